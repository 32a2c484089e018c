"""Choices and the allowed transitions of every lifecycle in the governance workflow."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from opvangregie.accounts.constants import Role
from opvangregie.organisations.constants import BodyKind


class MeetingState(models.TextChoices):
    DRAFT = "draft", _("in preparation")
    PUBLISHED = "published", _("agenda published")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


MEETING_TRANSITIONS: dict[str, frozenset[str]] = {
    MeetingState.DRAFT: frozenset({MeetingState.PUBLISHED, MeetingState.CANCELLED}),
    MeetingState.PUBLISHED: frozenset({MeetingState.HELD, MeetingState.CANCELLED}),
    MeetingState.HELD: frozenset(),
    MeetingState.CANCELLED: frozenset(),
}


class Attendance(models.TextChoices):
    UNKNOWN = "unknown", _("not recorded")
    PRESENT = "present", _("present")
    ABSENT = "absent", _("absent with notice")
    SUBSTITUTED = "substituted", _("represented by a substitute")


class AgreementStatus(models.TextChoices):
    """``open`` lets the rule decide (see ``selectors.derive_status``); ``on_track``, ``at_risk``
    and ``late`` set by a person override the rule, with a reason; ``done`` and ``dropped`` end
    the agreement."""

    OPEN = "open", _("open")
    ON_TRACK = "on_track", _("on track")
    AT_RISK = "at_risk", _("at risk")
    LATE = "late", _("late")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


ACTIVE_AGREEMENT = frozenset(
    {AgreementStatus.OPEN, AgreementStatus.ON_TRACK, AgreementStatus.AT_RISK, AgreementStatus.LATE}
)
OVERRIDES = frozenset({AgreementStatus.ON_TRACK, AgreementStatus.AT_RISK, AgreementStatus.LATE})
AGREEMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    **{
        status: frozenset(ACTIVE_AGREEMENT | {AgreementStatus.DONE, AgreementStatus.DROPPED})
        - {status}
        for status in ACTIVE_AGREEMENT
    },
    AgreementStatus.DONE: frozenset({AgreementStatus.OPEN}),
    AgreementStatus.DROPPED: frozenset({AgreementStatus.OPEN}),
}


class Metric(models.TextChoices):
    """What a measurable agreement counts, always for the municipalities of its parties."""

    NONE = "", _("not measurable")
    REALISED_PLACES = "realised_places", _("realised places (beds in long-stay locations)")
    ALLOCABLE_PLACES = "allocable_places", _("allocable places in long-stay locations")


# The status rule (docs/governance.md): on track while the share of the target realised is at
# least the share of the time elapsed minus this margin; at risk below it.
ON_TRACK_MARGIN = 0.10
# An agreement without a measurable target is at risk this many days before its deadline.
AT_RISK_DAYS = 14


class Urgency(models.TextChoices):
    LOW = "low", _("low")
    NORMAL = "normal", _("normal")
    HIGH = "high", _("high")
    URGENT = "urgent", _("urgent")


class EscalationStatus(models.TextChoices):
    RAISED = "raised", _("raised")
    ON_AGENDA = "on_agenda", _("on the agenda")
    DECIDED = "decided", _("decided")
    CLOSED = "closed", _("closed")


OPEN_ESCALATION = frozenset({EscalationStatus.RAISED, EscalationStatus.ON_AGENDA})
ESCALATION_TRANSITIONS: dict[str, frozenset[str]] = {
    EscalationStatus.RAISED: frozenset(
        {EscalationStatus.ON_AGENDA, EscalationStatus.DECIDED, EscalationStatus.CLOSED}
    ),
    EscalationStatus.ON_AGENDA: frozenset(
        {EscalationStatus.RAISED, EscalationStatus.DECIDED, EscalationStatus.CLOSED}
    ),
    EscalationStatus.DECIDED: frozenset({EscalationStatus.CLOSED}),
    EscalationStatus.CLOSED: frozenset(),
}


class PackState(models.TextChoices):
    DRAFT = "draft", _("draft")
    FROZEN = "frozen", _("frozen")
    SENT = "sent", _("sent")


class NoticeKind(models.TextChoices):
    AGENDA_PUBLISHED = "agenda_published", _("an agenda is published")
    PACK_READY = "pack_ready", _("a PRT pack is ready")
    DEADLINE = "deadline", _("a deadline of an agreement or dilemma is near or passed")


# A deadline is "near" this many days before it.
DEADLINE_NEAR_DAYS = 7

# Documents of an agenda item: the office formats a meeting pack holds, up to this size.
DOCUMENT_EXTENSIONS = frozenset(
    {"pdf", "docx", "doc", "xlsx", "xls", "pptx", "odt", "ods", "odp", "txt", "csv", "png", "jpg"}
)
DOCUMENT_MAX_BYTES = 25 * 1024 * 1024


# The membership rule (docs/governance.md): a user is a member of a body on a date when they
# hold, on that date, one of these roles (by kind of body) for an organisation that holds a seat
# in the body on that date.
MEMBER_ROLES: dict[str, frozenset[str]] = {
    BodyKind.STEERING_GROUP: frozenset({Role.STEERING_GROUP_MEMBER}),
    BodyKind.TABLE: frozenset({Role.RRT_MEMBER, Role.RRT_SECRETARY, Role.PROVINCE}),
    BodyKind.POLICY_TEAM: frozenset({Role.RRT_MEMBER, Role.STEERING_GROUP_MEMBER}),
    BodyKind.CONSULTATION: frozenset({Role.STEERING_GROUP_MEMBER, Role.PROVINCE}),
}
# The secretary rule: these roles held for the body's secretary organisation prepare its
# meetings (RRT: rrt_secretary of the housing region; stuurgroep: coordinator of the TWOV;
# PRT: the province).
SECRETARY_ROLES = frozenset({Role.RRT_SECRETARY, Role.COORDINATOR, Role.PROVINCE})
