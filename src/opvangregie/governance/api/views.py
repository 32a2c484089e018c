from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from opvangregie.core.dates import InvalidDateError, parse_on
from opvangregie.governance import selectors, services
from opvangregie.governance.models import Agreement, Escalation, Meeting
from opvangregie.organisations.models import Decision

from .serializers import (
    AgreementSerializer,
    DecisionSerializer,
    EscalationCreateSerializer,
    EscalationSerializer,
    MeetingDetailSerializer,
    MeetingSerializer,
)


class MeetingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Meeting]
):
    """Meetings of the bodies the user sits in on the meeting's date (members and
    secretaries; TWOV coordinators see all). A draft agenda is for its secretary only."""

    serializer_class = MeetingSerializer
    lookup_field = "uuid"

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


on_parameter = OpenApiParameter(
    "on", str, description="Progress on this date (YYYY-MM-DD; default today)."
)


class AgreementViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Agreement]
):
    """Administrative agreements with their progress computed from the live figures."""

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
        data = EscalationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user: Any = request.user
        escalation = services.escalation_raise(user=user, **data.validated_data)
        body = EscalationSerializer(escalation, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


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
