from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from opvangregie.core.dates import today
from opvangregie.governance import selectors
from opvangregie.governance.constants import (
    AgreementStatus,
    Attendance,
    MeetingState,
    Metric,
    Urgency,
)
from opvangregie.governance.models import (
    AgendaDocument,
    AgendaItem,
    Agreement,
    AgreementNote,
    Escalation,
    Meeting,
    MeetingAttendance,
)
from opvangregie.organisations.constants import DecisionOutcome
from opvangregie.organisations.models import Decision

# The largest value of a positive integer column on every database we run on.
MAX_INTEGER = 2**31 - 1


class AgendaItemSerializer(serializers.ModelSerializer[AgendaItem]):
    documents = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = [
            "uuid",
            "position",
            "title",
            "owner",
            "description",
            "decision_asked",
            "documents",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_documents(self, item: AgendaItem) -> list[dict[str, Any]]:
        return [document_body(d) for d in item.documents.all()]


def document_body(document: AgendaDocument) -> dict[str, Any]:
    return {
        "uuid": str(document.uuid),
        "title": document.title,
        "reference": document.reference,
        "file": bool(document.file),
    }


class AgendaDocumentSerializer(serializers.Serializer[Any]):
    """A document as the meeting shows it: ``file`` says whether a file was uploaded (it is
    downloaded from the meeting's page by those who see the meeting)."""

    uuid = serializers.UUIDField(read_only=True)
    title = serializers.CharField(read_only=True)
    reference = serializers.CharField(read_only=True)
    file = serializers.BooleanField(read_only=True)


class AgendaDocumentCreateSerializer(serializers.Serializer[Any]):
    item = serializers.UUIDField(help_text="An agenda item of this meeting.")
    title = serializers.CharField(max_length=300)
    file = serializers.FileField(
        required=False,
        default=None,
        allow_null=True,
        help_text="The document (PDF, office formats, text, CSV, PNG, JPG; at most 25 MB).",
    )
    reference = serializers.CharField(
        max_length=500,
        required=False,
        default="",
        allow_blank=True,
        help_text="Or, instead of a file, a link or a register number.",
    )


class AttendanceSerializer(serializers.ModelSerializer[MeetingAttendance]):
    seat = serializers.CharField(source="seat.code")
    role = serializers.CharField(source="seat.role")
    holder = serializers.CharField(source="seat.holder")

    class Meta:
        model = MeetingAttendance
        fields = ["seat", "role", "holder", "status", "substitute"]


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    url = serializers.HyperlinkedIdentityField(view_name="api:decision-detail", lookup_field="uuid")
    body = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)  # type: ignore[var-annotated]
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)  # type: ignore[var-annotated]
    meeting = serializers.SerializerMethodField()
    supersedes = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "url",
            "uuid",
            "code",
            "body",
            "organisation",
            "decision_maker",
            "decided_on",
            "date_confirmed",
            "subject",
            "outcome",
            "note",
            "meeting",
            "supersedes",
        ]

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_meeting(self, decision: Decision) -> str | None:
        record = getattr(decision, "record", None)
        return str(record.meeting.uuid) if record is not None and record.meeting else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_supersedes(self, decision: Decision) -> str | None:
        record = getattr(decision, "record", None)
        return record.supersedes.code if record is not None and record.supersedes else None


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    url = serializers.HyperlinkedIdentityField(view_name="api:meeting-detail", lookup_field="uuid")
    body = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = Meeting
        fields = ["url", "uuid", "body", "starts_at", "ends_at", "place", "state", "published_at"]


class MeetingDetailSerializer(MeetingSerializer):
    items = AgendaItemSerializer(many=True, read_only=True)
    attendance = AttendanceSerializer(many=True, read_only=True)
    decisions = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "minutes", "items", "attendance", "decisions"]

    @extend_schema_field(DecisionSerializer(many=True))
    def get_decisions(self, meeting: Meeting) -> Any:
        decisions = [r.decision for r in meeting.decisions.select_related("decision__body")]
        return DecisionSerializer(decisions, many=True, context=self.context).data


class PartyProgressSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    share = serializers.IntegerField(allow_null=True)
    baseline = serializers.IntegerField(allow_null=True)
    realised = serializers.IntegerField(allow_null=True)
    gained = serializers.IntegerField(allow_null=True)


class ProgressSerializer(serializers.Serializer[Any]):
    on = serializers.DateField()
    measurable = serializers.BooleanField()
    target = serializers.IntegerField(allow_null=True)
    baseline = serializers.IntegerField(allow_null=True)
    realised = serializers.IntegerField(allow_null=True)
    gained = serializers.IntegerField(allow_null=True)
    pct = serializers.FloatField(allow_null=True)
    time_pct = serializers.FloatField()
    derived_status = serializers.CharField()
    status = serializers.CharField()
    overridden = serializers.BooleanField()
    parties = PartyProgressSerializer(many=True)


class AgreementSerializer(serializers.ModelSerializer[Agreement]):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:agreement-detail", lookup_field="uuid"
    )
    body = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "url",
            "uuid",
            "title",
            "description",
            "body",
            "owner",
            "start_date",
            "deadline",
            "metric",
            "target",
            "status_reason",
            "progress",
        ]

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, agreement: Agreement) -> Any:
        on = self.context.get("on") or today()
        cache = self.context.get("cache")
        progress = selectors.agreement_progress(agreement=agreement, on=on, cache=cache)
        return ProgressSerializer(progress).data


class EscalationSerializer(serializers.ModelSerializer[Escalation]):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:escalation-detail", lookup_field="uuid"
    )
    body = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)  # type: ignore[var-annotated]
    decision = serializers.SlugRelatedField(slug_field="uuid", read_only=True, allow_null=True)  # type: ignore[var-annotated]
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Escalation
        fields = [
            "url",
            "uuid",
            "body",
            "title",
            "question",
            "options",
            "advice",
            "urgency",
            "raised_on",
            "deadline",
            "status",
            "overdue",
            "decision",
            "decided_on",
            "closing_note",
        ]

    def get_overdue(self, escalation: Escalation) -> bool:
        return selectors.escalation_overdue(escalation, today())


class EscalationCreateSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=300)
    question = serializers.CharField()
    options = serializers.CharField(required=False, default="", allow_blank=True)
    advice = serializers.CharField(required=False, default="", allow_blank=True)
    urgency = serializers.ChoiceField(
        choices=Urgency.values, required=False, default=Urgency.NORMAL
    )
    deadline = serializers.DateField()


# -- writes -----------------------------------------------------------------------------------
# What a call may send. Codes and UUIDs are looked up in the view, after the permission check;
# the rules of each lifecycle are the services'.


class MeetingCreateSerializer(serializers.Serializer[Any]):
    body = serializers.SlugField(
        max_length=64, help_text="Code of the body, e.g. rrt-holland-rijnland."
    )
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    place = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class MeetingUpdateSerializer(serializers.Serializer[Any]):
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    minutes = serializers.CharField(required=False, allow_blank=True)
    ends_at = serializers.DateTimeField(required=False)


class MeetingStateSerializer(serializers.Serializer[Any]):
    state = serializers.ChoiceField(
        choices=MeetingState.values,
        help_text="published (the agenda), held or cancelled, as the lifecycle allows.",
    )


class AgendaItemCreateSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=300)
    owner = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    description = serializers.CharField(required=False, default="", allow_blank=True)
    decision_asked = serializers.CharField(required=False, default="", allow_blank=True)


class AttendanceSetSerializer(serializers.Serializer[Any]):
    seat = serializers.SlugField(max_length=64, help_text="Code of the seat, as in attendance.")
    status = serializers.ChoiceField(choices=Attendance.values)
    substitute = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class DecisionCreateSerializer(serializers.Serializer[Any]):
    subject = serializers.CharField()
    outcome = serializers.ChoiceField(
        choices=DecisionOutcome.values, required=False, default=DecisionOutcome.ADOPTED
    )
    item = serializers.UUIDField(required=False, allow_null=True, default=None)
    supersedes = serializers.SlugField(
        max_length=96,
        required=False,
        allow_null=True,
        default=None,
        help_text="Code of the decision this one replaces.",
    )
    note = serializers.CharField(required=False, default="", allow_blank=True)


class PartySerializer(serializers.Serializer[Any]):
    organisation = serializers.SlugField(
        max_length=64, help_text="Code of a municipality (CBS code), region or province."
    )
    share = serializers.IntegerField(
        min_value=0, max_value=MAX_INTEGER, required=False, allow_null=True, default=None
    )


class AgreementCreateSerializer(serializers.Serializer[Any]):
    body = serializers.SlugField(max_length=64, help_text="Code of the body where it was made.")
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, default="", allow_blank=True)
    owner = serializers.CharField(max_length=200)
    start_date = serializers.DateField()
    deadline = serializers.DateField()
    parties = PartySerializer(many=True, allow_empty=False)
    metric = serializers.ChoiceField(
        choices=Metric.values, required=False, default=Metric.NONE, allow_blank=True
    )
    target = serializers.IntegerField(
        min_value=1, max_value=MAX_INTEGER, required=False, allow_null=True, default=None
    )
    meeting = serializers.UUIDField(required=False, allow_null=True, default=None)


class AgreementStatusSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(
        choices=AgreementStatus.values,
        help_text="open hands it back to the rule; on_track, at_risk, late override it; "
        "done and dropped end it.",
    )
    reason = serializers.CharField()


class AgreementNoteCreateSerializer(serializers.Serializer[Any]):
    text = serializers.CharField()


class AgreementNoteSerializer(serializers.ModelSerializer[AgreementNote]):
    status_from = serializers.CharField(help_text="Status before a change; empty for a note.")
    status_to = serializers.CharField(help_text="Status after a change; empty for a note.")
    author = serializers.SerializerMethodField(
        help_text="Who wrote the note or changed the status: the name, as on the page "
        "(the user name when the account has no name)."
    )

    class Meta:
        model = AgreementNote
        fields = ["text", "status_from", "status_to", "author", "at"]

    def get_author(self, note: AgreementNote) -> str:
        return note.author.get_full_name() or note.author.get_username()


class EscalationScheduleSerializer(serializers.Serializer[Any]):
    item = serializers.UUIDField(help_text="An agenda item of a meeting of the dilemma's body.")


class EscalationDecideSerializer(serializers.Serializer[Any]):
    decision = serializers.UUIDField(help_text="A decision of the dilemma's body.")
    note = serializers.CharField(required=False, default="", allow_blank=True)


class EscalationCloseSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        help_text="Required when a dilemma that was not decided is closed (withdrawn).",
    )
