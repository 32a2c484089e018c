"""The governance workflow: meetings of the bodies, their agendas, attendance and minutes; the
decisions taken there (an extension of the decision register in ``organisations``);
administrative agreements with their progress; dilemmas escalated to the steering group; the
PRT preparation packs; and who wants which e-mail notices.

Governance documents hold aggregates only, never personal data (a check refuses a pack that
would, see ``services.personal_data_found``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opvangregie.core.models import PublicModel, TimeStampedModel
from opvangregie.organisations.models import Body, Decision, Organisation, Seat

from .constants import (
    AgreementStatus,
    Attendance,
    EscalationStatus,
    MeetingState,
    Metric,
    NoticeKind,
    PackState,
    Urgency,
)


class Meeting(PublicModel):
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("body")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=MeetingState.choices, default=MeetingState.DRAFT
    )
    minutes = models.TextField(_("minutes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("agenda published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("A meeting ends after it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.starts_at:%Y-%m-%d}"


class AgendaItem(PublicModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=300)
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    decision_asked = models.TextField(_("decision asked"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agendaitem_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class AgendaDocument(PublicModel):
    """A document for an agenda item: an uploaded file or a reference (a link, a register
    number)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="governance/%Y/%m/", blank=True)
    reference = models.CharField(_("reference"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["item", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(reference=""),
                name="agendadocument_file_or_reference",
                violation_error_message=_("A document is a file or a reference."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class MeetingAttendance(models.Model):
    """Who was there, per seat of the body on the meeting's date (rows made with the meeting)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("attendance"), max_length=16, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    substitute = models.CharField(_("substitute (function)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "seat__role", "seat__code"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "seat"], name="attendance_once_per_seat")
        ]

    def __str__(self) -> str:
        return f"{self.seat}: {self.get_status_display()}"


class DecisionRecord(TimeStampedModel):
    """Where and how an entry of the decision register (``organisations.Decision``) was taken:
    the meeting and agenda item, and the earlier decision it replaces."""

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="record")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    supersedes = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("decision record")
        verbose_name_plural = _("decision records")

    def __str__(self) -> str:
        return str(self.decision)


class Agreement(PublicModel):
    """A bestuurlijke afspraak, made at a body, with parties, an owner and a deadline; with a
    measurable target, progress is computed from the live figures (see selectors)."""

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("made at")
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="agreements"
    )
    owner = models.CharField(_("owner"), max_length=200)
    start_date = models.DateField(_("start date"), help_text=_("Progress counts from this day."))
    deadline = models.DateField(_("deadline"))
    metric = models.CharField(
        _("measured by"), max_length=32, choices=Metric.choices, default=Metric.NONE, blank=True
    )
    target = models.PositiveIntegerField(
        _("target"), null=True, blank=True, help_text=_("Extra places to realise by the deadline.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.OPEN
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("administrative agreement")
        verbose_name_plural = _("administrative agreements")
        ordering = ["deadline", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("start_date")),
                name="agreement_deadline_after_start",
                violation_error_message=_("The deadline lies after the start date."),
            ),
            models.CheckConstraint(
                condition=Q(metric="", target__isnull=True) | (~Q(metric="") & Q(target__gt=0)),
                name="agreement_target_with_metric",
                violation_error_message=_(
                    "A measurable agreement has a metric and a target above zero; "
                    "one that is not measurable has neither."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AgreementParty(models.Model):
    """A party to an agreement (a municipality or a region), with its share of the target when
    the target is split (an agreement made at the PRT shows at each RRT for its share)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    share = models.PositiveIntegerField(_("share of the target"), null=True, blank=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["agreement", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"], name="agreementparty_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class AgreementNote(models.Model):
    """A progress note or a status change, with who and when. Rows are only ever added."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    status_from = models.CharField(max_length=16, choices=AgreementStatus.choices, blank=True)
    status_to = models.CharField(max_length=16, choices=AgreementStatus.choices, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["agreement", "at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Escalation(PublicModel):
    """A strategic-tactical dilemma the TWOV manager puts to the steering group."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="escalations")
    title = models.CharField(_("title"), max_length=300)
    question = models.TextField(_("question"))
    options = models.TextField(_("options"), blank=True)
    advice = models.TextField(_("advice"), blank=True)
    urgency = models.CharField(
        _("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL
    )
    raised_on = models.DateField(_("raised on"))
    deadline = models.DateField(_("answer needed by"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EscalationStatus.choices,
        default=EscalationStatus.RAISED,
    )
    item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="escalations"
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="escalations"
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("dilemma")
        verbose_name_plural = _("dilemmas")
        ordering = ["deadline", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=EscalationStatus.DECIDED) | Q(decision__isnull=False),
                name="escalation_decided_has_decision",
                violation_error_message=_("A decided dilemma links its decision."),
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("raised_on")),
                name="escalation_deadline_after_raised",
                violation_error_message=_("The deadline cannot lie before the day it is raised."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EscalationEvent(models.Model):
    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="events")
    status_from = models.CharField(max_length=16, choices=EscalationStatus.choices, blank=True)
    status_to = models.CharField(max_length=16, choices=EscalationStatus.choices)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["escalation", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.status_from} → {self.status_to}"


class PrtPack(PublicModel):
    """The preparation pack of a housing region for a PRT meeting. While a draft it is assembled
    from the live figures on each view; freezing stores the content (JSON) with its SHA-256
    checksum, after which it no longer changes and can be sent."""

    housing_region = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("date of the PRT"))
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="packs"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=PackState.choices, default=PackState.DRAFT
    )
    chair_notes = models.TextField(_("notes of the chair"), blank=True)
    secretary_notes = models.TextField(_("notes of the secretary"), blank=True)
    content = models.JSONField(_("content"), null=True, blank=True, editable=False)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("PRT pack")
        verbose_name_plural = _("PRT packs")
        ordering = ["-on", "housing_region__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=PackState.DRAFT) | (Q(content__isnull=False) & ~Q(checksum="")),
                name="prtpack_frozen_has_content",
            )
        ]

    def __str__(self) -> str:
        return f"{self.housing_region} {self.on}"


class NotificationPreference(models.Model):
    """Which e-mail notices a user wants; a user without a row gets all of them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="governance_notices"
    )
    agenda_published = models.BooleanField(_("an agenda is published"), default=True)
    pack_ready = models.BooleanField(_("a PRT pack is ready"), default=True)
    deadline = models.BooleanField(_("a deadline is near or passed"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)


class NoticeSent(models.Model):
    """A notice that went out: the same (kind, key, user) is never sent twice."""

    kind = models.CharField(max_length=32, choices=NoticeKind.choices)
    key = models.CharField(max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notice sent")
        verbose_name_plural = _("notices sent")
        constraints = [models.UniqueConstraint(fields=["kind", "key", "user"], name="notice_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"
