"""The governance API. Reads are filtered by the membership rule; every write is one call of
a service (one transaction, which also writes the agreement's note or the dilemma's event).
Who may act is answered before what they sent is checked: a non-secretary gets 403, not 400;
who may not see the object gets 404. Errors are problem details (``api/exceptions.py``)."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from opvangregie.accounts.selectors import is_coordinator
from opvangregie.core.dates import InvalidDateError, parse_on
from opvangregie.governance import selectors, services
from opvangregie.governance.models import AgendaItem, Agreement, Escalation, Meeting
from opvangregie.organisations.models import Body, Decision, Organisation, Seat

from .serializers import (
    AgendaDocumentCreateSerializer,
    AgendaDocumentSerializer,
    AgendaItemCreateSerializer,
    AgendaItemSerializer,
    AgreementCreateSerializer,
    AgreementNoteCreateSerializer,
    AgreementNoteSerializer,
    AgreementSerializer,
    AgreementStatusSerializer,
    AttendanceSerializer,
    AttendanceSetSerializer,
    DecisionCreateSerializer,
    DecisionSerializer,
    EscalationCloseSerializer,
    EscalationCreateSerializer,
    EscalationDecideSerializer,
    EscalationScheduleSerializer,
    EscalationSerializer,
    MeetingCreateSerializer,
    MeetingDetailSerializer,
    MeetingSerializer,
    MeetingStateSerializer,
    MeetingUpdateSerializer,
    document_body,
)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _unknown(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _body(code: str) -> Body:
    body = Body.objects.filter(code=code).first()
    if body is None:
        raise _unknown("body", f"Unknown body {code}.")
    return body


class MeetingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Meeting],
):
    """Meetings of the bodies the user sits in on the meeting's date (members and
    secretaries; TWOV coordinators see all). A draft agenda is for its secretary only. The
    body's secretaries plan meetings, set the agenda, attendance and minutes, record decisions
    and move the meeting along its lifecycle."""

    serializer_class = MeetingSerializer
    lookup_field = "uuid"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Meeting]:
        if getattr(self, "swagger_fake_view", False):
            return Meeting.objects.none()
        user: Any = self.request.user
        return selectors.meetings_visible_to(user=user)

    @extend_schema(responses={200: MeetingDetailSerializer})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A meeting with its agenda, attendance, minutes and decisions."""
        meeting = self.get_object()
        access = selectors.meeting_access(user=request.user, meeting=meeting)
        data = MeetingDetailSerializer(meeting, context={"request": request}).data
        if meeting.state == "draft" and not (access.may_edit or access.coordinator):
            data["items"] = []
            data["minutes"] = ""
        return Response(data)

    def _secretary_of(self, meeting: Meeting) -> None:
        access = selectors.meeting_access(user=self.request.user, meeting=meeting)
        _require(access.may_edit, "Only the secretary of the body may change its meetings.")

    def _detail(self, meeting: Meeting, status_code: int = status.HTTP_200_OK) -> Response:
        meeting = Meeting.objects.select_related("body").get(pk=meeting.pk)
        data = MeetingDetailSerializer(meeting, context={"request": self.request}).data
        return Response(data, status=status_code)

    @extend_schema(request=MeetingCreateSerializer, responses={201: MeetingDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Plan a meeting of a body (its secretaries), with a row of attendance per seat."""
        user: Any = request.user
        _require(
            bool(selectors.bodies_editable_by(user=user)),
            "Only the secretary of a body may plan its meetings.",
        )
        data = MeetingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        meeting = services.meeting_create(user=user, body=_body(values.pop("body")), **values)
        return self._detail(meeting, status.HTTP_201_CREATED)

    @extend_schema(request=MeetingUpdateSerializer, responses={200: MeetingDetailSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change the place, the end or the minutes."""
        meeting = self.get_object()
        self._secretary_of(meeting)
        data = MeetingUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        user: Any = request.user
        meeting = services.meeting_update(user=user, meeting=meeting, **data.validated_data)
        return self._detail(meeting)

    @extend_schema(request=MeetingStateSerializer, responses={200: MeetingDetailSerializer})
    @action(detail=True, methods=["post"], url_path="state")
    def state(self, request: Request, uuid: str | None = None) -> Response:
        """Publish the agenda (members are notified), record the meeting as held, or cancel it."""
        meeting = self.get_object()
        self._secretary_of(meeting)
        data = MeetingStateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user: Any = request.user
        meeting = services.meeting_transition(
            user=user, meeting=meeting, state=data.validated_data["state"]
        )
        return self._detail(meeting)

    @extend_schema(request=AgendaItemCreateSerializer, responses={201: AgendaItemSerializer})
    @action(detail=True, methods=["post"], url_path="items")
    def items(self, request: Request, uuid: str | None = None) -> Response:
        """Add an item at the end of the agenda (not once the meeting is held or cancelled)."""
        meeting = self.get_object()
        self._secretary_of(meeting)
        data = AgendaItemCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user: Any = request.user
        item = services.agenda_item_add(user=user, meeting=meeting, **data.validated_data)
        body = AgendaItemSerializer(item, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": AgendaDocumentCreateSerializer},
        responses={201: AgendaDocumentSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="documents",
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def documents(self, request: Request, uuid: str | None = None) -> Response:
        """Add a document to an agenda item: an uploaded file (multipart) or a reference."""
        meeting = self.get_object()
        self._secretary_of(meeting)
        data = AgendaDocumentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        item = meeting.items.filter(uuid=values.pop("item")).first()
        if item is None:
            raise _unknown("item", "No agenda item of this meeting has that UUID.")
        user: Any = request.user
        document = services.agenda_document_add(user=user, item=item, **values)
        return Response(document_body(document), status=status.HTTP_201_CREATED)

    @extend_schema(request=AttendanceSetSerializer, responses={200: AttendanceSerializer})
    @action(detail=True, methods=["post"], url_path="attendance")
    def attendance(self, request: Request, uuid: str | None = None) -> Response:
        """Record who was there for a seat of the body (a substitute by function only)."""
        meeting = self.get_object()
        self._secretary_of(meeting)
        data = AttendanceSetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        seat = Seat.objects.filter(body=meeting.body, code=values.pop("seat")).first()
        if seat is None:
            raise _unknown("seat", "No seat of this body has that code.")
        user: Any = request.user
        row = services.attendance_set(user=user, meeting=meeting, seat=seat, **values)
        return Response(AttendanceSerializer(row).data)

    @extend_schema(request=DecisionCreateSerializer, responses={201: DecisionSerializer})
    @action(detail=True, methods=["post"], url_path="decisions")
    def decisions(self, request: Request, uuid: str | None = None) -> Response:
        """Enter a decision taken at the meeting in the register, dated on the meeting day."""
        meeting = self.get_object()
        self._secretary_of(meeting)
        data = DecisionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        item = None
        if values["item"] is not None:
            item = meeting.items.filter(uuid=values["item"]).first()
            if item is None:
                raise _unknown("item", "No agenda item of this meeting has that UUID.")
        supersedes = None
        if values["supersedes"] is not None:
            # As on the page: a decision replaces an earlier one of the same body.
            supersedes = Decision.objects.filter(
                body=meeting.body, code=values["supersedes"]
            ).first()
            if supersedes is None:
                raise _unknown("supersedes", "No decision of this body has that code.")
        user: Any = request.user
        decision = services.decision_record(
            user=user,
            meeting=meeting,
            subject=values["subject"],
            outcome=values["outcome"],
            item=item,
            supersedes=supersedes,
            note=values["note"],
        )
        body = DecisionSerializer(decision, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


on_parameter = OpenApiParameter(
    "on", str, description="Progress on this date (YYYY-MM-DD; default today)."
)


class AgreementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Agreement],
):
    """Administrative agreements with their progress computed from the live figures. The
    secretaries of the body where one is made record it and change its status (with a
    reason); the secretaries of a party's RRT add progress notes."""

    serializer_class = AgreementSerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[Agreement]:
        if getattr(self, "swagger_fake_view", False):
            return Agreement.objects.none()
        user: Any = self.request.user
        return selectors.agreements_visible_to(user=user).select_related("body")

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        try:
            context["on"] = parse_on(self.request.query_params.get("on"))
        except InvalidDateError as exc:
            raise ValidationError({"on": [str(exc)]}) from exc
        context["cache"] = selectors.FiguresCache()
        return context

    @extend_schema(parameters=[on_parameter])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[on_parameter])
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    def _agreement(self, agreement: Agreement, status_code: int = status.HTTP_200_OK) -> Response:
        agreement = Agreement.objects.select_related("body").get(pk=agreement.pk)
        body = AgreementSerializer(agreement, context=self.get_serializer_context()).data
        return Response(body, status=status_code)

    @extend_schema(request=AgreementCreateSerializer, responses={201: AgreementSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record an agreement made at a body, with its parties (and their shares of a split
        target); measurable with a metric and a target, or neither."""
        user: Any = request.user
        _require(
            bool(selectors.bodies_editable_by(user=user)),
            "Only the secretary of a body may record its agreements.",
        )
        data = AgreementCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        body = _body(values.pop("body"))
        parties = []
        codes = [p["organisation"] for p in values.pop("parties")]
        shares = [p["share"] for p in data.validated_data["parties"]]
        if len(set(codes)) != len(codes):
            raise _unknown("parties", "A party is named twice.")
        found = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
        for code, share in zip(codes, shares, strict=True):
            if code not in found:
                raise _unknown("parties", f"Unknown organisation {code}.")
            parties.append((found[code], share))
        meeting = None
        if values["meeting"] is not None:
            meeting = (
                selectors.meetings_visible_to(user=user).filter(uuid=values["meeting"]).first()
            )
            if meeting is None:
                raise _unknown("meeting", "Unknown meeting.")
        values["meeting"] = meeting
        values["metric"] = values["metric"] or ""
        agreement = services.agreement_create(user=user, body=body, parties=parties, **values)
        return self._agreement(agreement, status.HTTP_201_CREATED)

    @extend_schema(request=AgreementStatusSerializer, responses={200: AgreementSerializer})
    @action(detail=True, methods=["post"], url_path="status")
    def status_set(self, request: Request, uuid: str | None = None) -> Response:
        """Set the status with a reason: open hands it back to the rule, on_track, at_risk and
        late override the rule, done and dropped end it (and can be reopened)."""
        agreement = self.get_object()
        user: Any = request.user
        _require(
            selectors.agreement_access(user=user, agreement=agreement).may_edit,
            "Only the secretary of the body where it was made may change its status.",
        )
        data = AgreementStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agreement = services.agreement_status_set(
            user=user, agreement=agreement, **data.validated_data
        )
        return self._agreement(agreement)

    @extend_schema(
        methods=["GET"], request=None, responses={200: AgreementNoteSerializer(many=True)}
    )
    @extend_schema(
        methods=["POST"],
        request=AgreementNoteCreateSerializer,
        responses={201: AgreementNoteSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="notes", pagination_class=None)
    def notes(self, request: Request, uuid: str | None = None) -> Response:
        """The progress notes and status changes (GET); add a progress note (POST: the
        secretaries of the body and of a party's RRT)."""
        agreement = self.get_object()
        user: Any = request.user
        if request.method == "GET":
            notes = agreement.notes.select_related("author")
            return Response(AgreementNoteSerializer(notes, many=True).data)
        _require(
            selectors.may_note_agreement(user=user, agreement=agreement),
            "Only a secretary involved may add progress notes.",
        )
        data = AgreementNoteCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = services.agreement_note_add(
            user=user, agreement=agreement, text=data.validated_data["text"]
        )
        return Response(AgreementNoteSerializer(note).data, status=status.HTTP_201_CREATED)


class EscalationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Escalation],
):
    """Dilemmas put to the steering group, with whether they are overdue."""

    serializer_class = EscalationSerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[Escalation]:
        if getattr(self, "swagger_fake_view", False):
            return Escalation.objects.none()
        user: Any = self.request.user
        return selectors.escalations_visible_to(user=user)

    @extend_schema(request=EscalationCreateSerializer, responses={201: EscalationSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Raise a dilemma to the steering group (the TWOV's coordinators)."""
        user: Any = request.user
        _require(is_coordinator(user=user), "Only the TWOV raises dilemmas to the steering group.")
        data = EscalationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        escalation = services.escalation_raise(user=user, **data.validated_data)
        return self._escalation(escalation, status.HTTP_201_CREATED)

    def _escalation(
        self, escalation: Escalation, status_code: int = status.HTTP_200_OK
    ) -> Response:
        escalation = Escalation.objects.select_related("body", "decision").get(pk=escalation.pk)
        body = EscalationSerializer(escalation, context={"request": self.request}).data
        return Response(body, status=status_code)

    def _secretary_of(self, escalation: Escalation) -> None:
        access = selectors.body_access(user=self.request.user, body=escalation.body)
        _require(access.may_edit, "Only the secretary of the steering group may do this.")

    @extend_schema(request=EscalationScheduleSerializer, responses={200: EscalationSerializer})
    @action(detail=True, methods=["post"], url_path="schedule")
    def schedule(self, request: Request, uuid: str | None = None) -> Response:
        """Put the dilemma on an agenda item of a meeting of its body (not held or cancelled)."""
        escalation = self.get_object()
        self._secretary_of(escalation)
        data = EscalationScheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = (
            AgendaItem.objects.select_related("meeting__body")
            .filter(uuid=data.validated_data["item"], meeting__body=escalation.body)
            .first()
        )
        if item is None:
            raise _unknown("item", "No agenda item of a meeting of this body has that UUID.")
        user: Any = request.user
        escalation = services.escalation_schedule(user=user, escalation=escalation, item=item)
        return self._escalation(escalation)

    @extend_schema(request=EscalationDecideSerializer, responses={200: EscalationSerializer})
    @action(detail=True, methods=["post"], url_path="decide")
    def decide(self, request: Request, uuid: str | None = None) -> Response:
        """Link the decision the steering group took; the dilemma is answered on its date."""
        escalation = self.get_object()
        self._secretary_of(escalation)
        data = EscalationDecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision = Decision.objects.filter(
            uuid=data.validated_data["decision"], body=escalation.body
        ).first()
        if decision is None:
            raise _unknown("decision", "No decision of this body has that UUID.")
        user: Any = request.user
        escalation = services.escalation_decide(
            user=user, escalation=escalation, decision=decision, note=data.validated_data["note"]
        )
        return self._escalation(escalation)

    @extend_schema(request=EscalationCloseSerializer, responses={200: EscalationSerializer})
    @action(detail=True, methods=["post"], url_path="close")
    def close(self, request: Request, uuid: str | None = None) -> Response:
        """Close a decided dilemma, or withdraw one that is open (with a reason): the
        secretary, or who raised it."""
        escalation = self.get_object()
        user: Any = request.user
        _require(
            selectors.escalation_may_close(user=user, escalation=escalation),
            "Only the secretary or who raised it may close a dilemma.",
        )
        data = EscalationCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        escalation = services.escalation_close(
            user=user, escalation=escalation, note=data.validated_data["note"]
        )
        return self._escalation(escalation)


class DecisionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Decision]
):
    """The decision register: decisions of the bodies the user sits in, and those of colleges
    and boards; with the meeting where each was taken and what it supersedes."""

    serializer_class = DecisionSerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[Decision]:
        if getattr(self, "swagger_fake_view", False):
            return Decision.objects.none()
        user: Any = self.request.user
        return selectors.decisions_visible_to(user=user).select_related(
            "record__meeting", "record__supersedes"
        )
