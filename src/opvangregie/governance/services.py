"""Use cases of the governance workflow. Each is one transaction and checks who may do it
(``PermissionDenied``) and the rules of its lifecycle (``ValidationError``, in the user's
words); e-mail notices go out only after the transaction commits.
"""

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from opvangregie.accounts.models import RoleAssignment, User
from opvangregie.accounts.selectors import is_coordinator
from opvangregie.core.dates import today
from opvangregie.core.validity import valid_on_q
from opvangregie.organisations.constants import (
    BodyKind,
    BodyLevel,
    DecisionMaker,
    DecisionOutcome,
    OrganisationKind,
)
from opvangregie.organisations.models import Body, Decision, Organisation, Seat

from . import packs, selectors
from .constants import (
    AGREEMENT_TRANSITIONS,
    DEADLINE_NEAR_DAYS,
    DOCUMENT_EXTENSIONS,
    DOCUMENT_MAX_BYTES,
    ESCALATION_TRANSITIONS,
    MEETING_TRANSITIONS,
    OPEN_ESCALATION,
    AgreementStatus,
    Attendance,
    EscalationStatus,
    MeetingState,
    Metric,
    NoticeKind,
    PackState,
    Urgency,
)
from .models import (
    AgendaDocument,
    AgendaItem,
    Agreement,
    AgreementNote,
    AgreementParty,
    DecisionRecord,
    Escalation,
    EscalationEvent,
    Meeting,
    MeetingAttendance,
    NoticeSent,
    NotificationPreference,
    PrtPack,
)


def _require_secretary(user: User, body: Body, on: datetime.date) -> None:
    if not selectors.body_access(user=user, body=body, on=on).may_edit:
        raise PermissionDenied(_("Only the secretary of %(body)s may do this.") % {"body": body})


def _lock(model: Any, pk: int) -> Any:
    return model.objects.select_for_update().get(pk=pk)


# -- meetings ---------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    user: User,
    body: Body,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None = None,
    place: str = "",
) -> Meeting:
    """A meeting of a body, with one attendance row per seat of the body on its date."""
    day = timezone.localdate(starts_at)
    _require_secretary(user, body, day)
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationError(_("A meeting ends after it starts."))
    meeting = Meeting.objects.create(
        body=body, starts_at=starts_at, ends_at=ends_at, place=place, created_by=user
    )
    seats = Seat.objects.filter(valid_on_q(day), body=body)
    MeetingAttendance.objects.bulk_create(
        MeetingAttendance(meeting=meeting, seat=seat) for seat in seats
    )
    return meeting


@transaction.atomic
def meeting_update(
    *,
    user: User,
    meeting: Meeting,
    place: str | None = None,
    minutes: str | None = None,
    ends_at: datetime.datetime | None = None,
) -> Meeting:
    meeting = _lock(Meeting, meeting.pk)
    _require_secretary(user, meeting.body, selectors.meeting_day(meeting))
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError(_("A cancelled meeting cannot be changed."))
    if place is not None:
        meeting.place = place
    if minutes is not None:
        meeting.minutes = minutes
    if ends_at is not None:
        if ends_at <= meeting.starts_at:
            raise ValidationError(_("A meeting ends after it starts."))
        meeting.ends_at = ends_at
    meeting.save()
    return meeting


@transaction.atomic
def meeting_transition(*, user: User, meeting: Meeting, state: str) -> Meeting:
    """Publish the agenda, record the meeting as held, or cancel it. Publishing notifies the
    members (after commit)."""
    meeting = _lock(Meeting, meeting.pk)
    _require_secretary(user, meeting.body, selectors.meeting_day(meeting))
    if state not in MEETING_TRANSITIONS[meeting.state]:
        raise ValidationError(
            _("A meeting that is %(from)s cannot become %(to)s.")
            % {"from": meeting.get_state_display(), "to": MeetingState(state).label}
        )
    if state == MeetingState.PUBLISHED and not meeting.items.exists():
        raise ValidationError(_("Add at least one agenda item before publishing."))
    meeting.state = state
    if state == MeetingState.PUBLISHED:
        meeting.published_at = timezone.now()
        pk = meeting.pk
        transaction.on_commit(lambda: notify_agenda_published(meeting=Meeting.objects.get(pk=pk)))
    meeting.save()
    return meeting


def _editable(meeting: Meeting) -> None:
    if meeting.state in (MeetingState.HELD, MeetingState.CANCELLED):
        raise ValidationError(_("The agenda of a held or cancelled meeting is closed."))


@transaction.atomic
def agenda_item_add(
    *,
    user: User,
    meeting: Meeting,
    title: str,
    owner: str = "",
    description: str = "",
    decision_asked: str = "",
) -> AgendaItem:
    meeting = _lock(Meeting, meeting.pk)
    _require_secretary(user, meeting.body, selectors.meeting_day(meeting))
    _editable(meeting)
    if not title.strip():
        raise ValidationError(_("An agenda item needs a title."))
    position = (meeting.items.aggregate(m=Max("position"))["m"] or 0) + 1
    return AgendaItem.objects.create(
        meeting=meeting,
        position=position,
        title=title.strip(),
        owner=owner,
        description=description,
        decision_asked=decision_asked,
    )


def _check_document_file(file: UploadedFile) -> None:
    name = file.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in DOCUMENT_EXTENSIONS:
        raise ValidationError(
            _("A document is a file of one of these kinds: %(kinds)s.")
            % {"kinds": ", ".join(sorted(DOCUMENT_EXTENSIONS))}
        )
    if file.size is not None and file.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("A document may be at most %(mb)d MB.") % {"mb": DOCUMENT_MAX_BYTES // 2**20}
        )


@transaction.atomic
def agenda_document_add(
    *,
    user: User,
    item: AgendaItem,
    title: str,
    file: UploadedFile | None = None,
    reference: str = "",
) -> AgendaDocument:
    meeting = _lock(Meeting, item.meeting_id)
    _require_secretary(user, meeting.body, selectors.meeting_day(meeting))
    if not title.strip():
        raise ValidationError(_("A document needs a title."))
    if file is None and not reference.strip():
        raise ValidationError(_("A document is a file or a reference."))
    if file is not None:
        _check_document_file(file)
    document = AgendaDocument(item=item, title=title, reference=reference.strip())
    if file is not None:
        document.file.save(file.name or "document", file, save=False)
    document.save()
    return document


@transaction.atomic
def attendance_set(
    *, user: User, meeting: Meeting, seat: Seat, status: str, substitute: str = ""
) -> MeetingAttendance:
    meeting = _lock(Meeting, meeting.pk)
    _require_secretary(user, meeting.body, selectors.meeting_day(meeting))
    if status not in Attendance.values:
        raise ValidationError(_("Unknown attendance."))
    row = MeetingAttendance.objects.filter(meeting=meeting, seat=seat).first()
    if row is None:
        raise ValidationError(_("This seat is not at this meeting."))
    row.status = status
    row.substitute = substitute if status == Attendance.SUBSTITUTED else ""
    row.save()
    return row


# -- decisions --------------------------------------------------------------------------------


@transaction.atomic
def decision_record(
    *,
    user: User,
    meeting: Meeting,
    subject: str,
    outcome: str = DecisionOutcome.ADOPTED,
    item: AgendaItem | None = None,
    supersedes: Decision | None = None,
    note: str = "",
) -> Decision:
    """Enter a decision taken at a meeting in the register (``organisations.Decision``)."""
    meeting = _lock(Meeting, meeting.pk)
    day = selectors.meeting_day(meeting)
    _require_secretary(user, meeting.body, day)
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError(_("A cancelled meeting takes no decisions."))
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError(_("The agenda item belongs to another meeting."))
    if outcome not in DecisionOutcome.values:
        raise ValidationError(_("Unknown outcome."))
    if not subject.strip():
        raise ValidationError(_("A decision needs a subject."))
    number = Decision.objects.filter(code__startswith=f"{meeting.body.code}-{day}-").count() + 1
    decision = Decision.objects.create(
        code=f"{meeting.body.code}-{day}-{number}",
        body=meeting.body,
        decision_maker=DecisionMaker.BODY,
        decided_on=day,
        subject=subject.strip(),
        outcome=outcome,
        note=note,
    )
    DecisionRecord.objects.create(
        decision=decision, meeting=meeting, item=item, supersedes=supersedes, recorded_by=user
    )
    return decision


# -- agreements -------------------------------------------------------------------------------


@transaction.atomic
def agreement_create(
    *,
    user: User,
    body: Body,
    title: str,
    owner: str,
    start_date: datetime.date,
    deadline: datetime.date,
    parties: Sequence[tuple[Organisation, int | None]],
    metric: str = Metric.NONE,
    target: int | None = None,
    description: str = "",
    meeting: Meeting | None = None,
) -> Agreement:
    """An agreement made at ``body``; parties are municipalities or regions, each with its
    share of the target when the target is split between them."""
    _require_secretary(user, body, today())
    if deadline <= start_date:
        raise ValidationError(_("The deadline lies after the start date."))
    if bool(metric) != bool(target):
        raise ValidationError(
            _("A measurable agreement has a metric and a target; otherwise give neither.")
        )
    if not parties:
        raise ValidationError(_("An agreement has at least one party."))
    allowed = {
        OrganisationKind.MUNICIPALITY,
        OrganisationKind.COOPERATION_REGION,
        OrganisationKind.SAFETY_REGION,
        OrganisationKind.PROVINCE,
    }
    if any(o.kind not in allowed for o, _share in parties):
        raise ValidationError(_("Parties are municipalities, regions or provinces."))
    shares = [s for _o, s in parties if s is not None]
    if shares and target and sum(shares) != target:
        raise ValidationError(
            _("The shares of the parties (%(sum)d) do not add up to the target (%(target)d).")
            % {"sum": sum(shares), "target": target}
        )
    if meeting is not None and meeting.body_id != body.pk:
        raise ValidationError(_("The meeting is one of another body."))
    agreement = Agreement(
        body=body,
        meeting=meeting,
        title=title,
        owner=owner,
        start_date=start_date,
        deadline=deadline,
        metric=metric,
        target=target,
        description=description,
        created_by=user,
    )
    agreement.full_clean()
    agreement.save()
    AgreementParty.objects.bulk_create(
        AgreementParty(agreement=agreement, organisation=o, share=s) for o, s in parties
    )
    return agreement


@transaction.atomic
def agreement_note_add(*, user: User, agreement: Agreement, text: str) -> AgreementNote:
    if not selectors.may_note_agreement(user=user, agreement=agreement):
        raise PermissionDenied(_("Only a secretary involved may add progress notes."))
    if not text.strip():
        raise ValidationError(_("Write a note."))
    return AgreementNote.objects.create(agreement=agreement, text=text.strip(), author=user)


@transaction.atomic
def agreement_status_set(
    *, user: User, agreement: Agreement, status: str, reason: str
) -> Agreement:
    """Change the status along the lifecycle with a reason: ``open`` hands it back to the
    rule, ``on_track``/``at_risk``/``late`` override the rule, ``done``/``dropped`` end it."""
    agreement = _lock(Agreement, agreement.pk)
    _require_secretary(user, agreement.body, today())
    if status not in AGREEMENT_TRANSITIONS.get(agreement.status, frozenset()):
        raise ValidationError(
            _("An agreement that is %(from)s cannot become %(to)s.")
            % {"from": agreement.get_status_display(), "to": AgreementStatus(status).label}
            if status in AgreementStatus.values
            else _("Unknown status.")
        )
    if not reason.strip():
        raise ValidationError(_("Give a reason for the change of status."))
    before = agreement.status
    agreement.status = status
    agreement.status_reason = reason.strip()
    agreement.save()
    AgreementNote.objects.create(
        agreement=agreement, text=reason.strip(), status_from=before, status_to=status, author=user
    )
    return agreement


# -- dilemmas ---------------------------------------------------------------------------------


def steering_group(on: datetime.date) -> Body:
    body = Body.objects.filter(valid_on_q(on), kind=BodyKind.STEERING_GROUP).first()
    if body is None:
        raise ValidationError(_("No steering group exists on %(date)s.") % {"date": on})
    return body


def _escalation_event(
    escalation: Escalation, before: str, user: User, note: str = ""
) -> EscalationEvent:
    return EscalationEvent.objects.create(
        escalation=escalation,
        status_from=before,
        status_to=escalation.status,
        note=note,
        actor=user,
    )


@transaction.atomic
def escalation_raise(
    *,
    user: User,
    title: str,
    question: str,
    deadline: datetime.date,
    options: str = "",
    advice: str = "",
    urgency: str = Urgency.NORMAL,
    body: Body | None = None,
    raised_on: datetime.date | None = None,
) -> Escalation:
    """The TWOV manager (a coordinator) puts a dilemma to the steering group."""
    day = raised_on or today()
    if not is_coordinator(user=user, on=day):
        raise PermissionDenied(_("Only the TWOV raises dilemmas to the steering group."))
    body = body or steering_group(day)
    if deadline < day:
        raise ValidationError(_("The deadline cannot lie before the day it is raised."))
    if urgency not in Urgency.values:
        raise ValidationError(_("Unknown urgency."))
    escalation = Escalation.objects.create(
        body=body,
        title=title,
        question=question,
        options=options,
        advice=advice,
        urgency=urgency,
        deadline=deadline,
        raised_on=day,
        raised_by=user,
    )
    _escalation_event(escalation, "", user)
    return escalation


def _escalation_move(escalation: Escalation, status: str) -> None:
    if status not in ESCALATION_TRANSITIONS[escalation.status]:
        raise ValidationError(
            _("A dilemma that is %(from)s cannot become %(to)s.")
            % {"from": escalation.get_status_display(), "to": EscalationStatus(status).label}
        )


@transaction.atomic
def escalation_schedule(*, user: User, escalation: Escalation, item: AgendaItem) -> Escalation:
    """Put the dilemma on the agenda of a meeting of its body."""
    escalation = _lock(Escalation, escalation.pk)
    _require_secretary(user, escalation.body, today())
    if item.meeting.body_id != escalation.body_id:
        raise ValidationError(_("The agenda item is not on a meeting of the steering group."))
    _editable(item.meeting)
    _escalation_move(escalation, EscalationStatus.ON_AGENDA)
    before = escalation.status
    escalation.status = EscalationStatus.ON_AGENDA
    escalation.item = item
    escalation.save()
    _escalation_event(escalation, before, user, str(item))
    return escalation


@transaction.atomic
def escalation_decide(
    *, user: User, escalation: Escalation, decision: Decision, note: str = ""
) -> Escalation:
    """Link the decision the steering group took; the dilemma is answered on its date."""
    escalation = _lock(Escalation, escalation.pk)
    _require_secretary(user, escalation.body, today())
    if decision.body_id != escalation.body_id:
        raise ValidationError(_("The decision was not taken by the steering group."))
    _escalation_move(escalation, EscalationStatus.DECIDED)
    before = escalation.status
    escalation.status = EscalationStatus.DECIDED
    escalation.decision = decision
    escalation.decided_on = decision.decided_on
    escalation.save()
    _escalation_event(escalation, before, user, note)
    return escalation


@transaction.atomic
def escalation_close(*, user: User, escalation: Escalation, note: str) -> Escalation:
    """Close a decided dilemma, or withdraw an open one (with a reason)."""
    escalation = _lock(Escalation, escalation.pk)
    if not selectors.escalation_may_close(user=user, escalation=escalation):
        raise PermissionDenied(_("Only the secretary or who raised it may close a dilemma."))
    _escalation_move(escalation, EscalationStatus.CLOSED)
    if escalation.status in OPEN_ESCALATION and not note.strip():
        raise ValidationError(_("Say why an undecided dilemma is closed."))
    before = escalation.status
    escalation.status = EscalationStatus.CLOSED
    escalation.closing_note = note.strip()
    escalation.save()
    _escalation_event(escalation, before, user, note)
    return escalation


# -- PRT packs --------------------------------------------------------------------------------


def _pack_roles(user: User, pack: PrtPack) -> selectors.BodyAccess:
    return selectors.pack_access(user=user, pack=pack)


@transaction.atomic
def prt_pack_create(
    *, user: User, housing_region: Organisation, on: datetime.date, meeting: Meeting | None = None
) -> PrtPack:
    if housing_region.kind != OrganisationKind.COOPERATION_REGION:
        raise ValidationError(_("A PRT pack is made for a housing region."))
    rrt = selectors.rrt_of(housing_region, on)
    if rrt is None:
        raise ValidationError(_("This housing region has no regional table on that date."))
    access = selectors.body_access(user=user, body=rrt, on=on)
    if not (access.may_edit or access.chair):
        raise PermissionDenied(_("Only the chair or secretary of the RRT prepares its pack."))
    if meeting is not None and meeting.body.level != BodyLevel.PROVINCIAL:
        raise ValidationError(_("The meeting is not one of the PRT."))
    return PrtPack.objects.create(
        housing_region=housing_region, on=on, meeting=meeting, created_by=user
    )


@transaction.atomic
def prt_pack_notes(
    *,
    user: User,
    pack: PrtPack,
    chair_notes: str | None = None,
    secretary_notes: str | None = None,
) -> PrtPack:
    """The chair writes the chair's notes, the secretary the secretary's, until it is frozen."""
    pack = _lock(PrtPack, pack.pk)
    access = _pack_roles(user, pack)
    if pack.state != PackState.DRAFT:
        raise ValidationError(_("A frozen pack no longer changes."))
    if chair_notes is not None:
        if not access.chair:
            raise PermissionDenied(_("Only the chair writes the chair's notes."))
        pack.chair_notes = chair_notes
    if secretary_notes is not None:
        if not access.secretary:
            raise PermissionDenied(_("Only the secretary writes the secretary's notes."))
        pack.secretary_notes = secretary_notes
    pack.save()
    return pack


class PersonalDataError(ValidationError):
    pass


@transaction.atomic
def prt_pack_freeze(*, user: User, pack: PrtPack) -> PrtPack:
    """Assemble the content, refuse it if it holds personal data, store it with its SHA-256
    checksum. From then on the pack is what it was."""
    pack = _lock(PrtPack, pack.pk)
    access = _pack_roles(user, pack)
    if not (access.secretary or access.chair):
        raise PermissionDenied(_("Only the chair or secretary of the RRT freezes its pack."))
    if pack.state != PackState.DRAFT:
        raise ValidationError(_("This pack is frozen already."))
    content = packs.pack_content(
        housing_region=pack.housing_region,
        on=pack.on,
        chair_notes=pack.chair_notes,
        secretary_notes=pack.secretary_notes,
    )
    found = packs.content_personal_data(content)
    if found:
        raise PersonalDataError(
            _(
                "The pack holds personal data (%(kinds)s) and cannot be frozen: governance "
                "documents hold aggregates only. Remove it from the notes or texts."
            )
            % {"kinds": ", ".join(found)}
        )
    pack.content = content
    pack.checksum = packs.checksum(content)
    pack.state = PackState.FROZEN
    pack.frozen_by = user
    pack.frozen_at = timezone.now()
    pack.save()
    pk = pack.pk
    transaction.on_commit(lambda: notify_pack_ready(pack=PrtPack.objects.get(pk=pk)))
    return pack


@transaction.atomic
def prt_pack_send(*, user: User, pack: PrtPack) -> PrtPack:
    pack = _lock(PrtPack, pack.pk)
    access = _pack_roles(user, pack)
    if not access.secretary:
        raise PermissionDenied(_("Only the secretary of the RRT sends its pack."))
    if pack.state != PackState.FROZEN:
        raise ValidationError(_("Only a frozen pack can be sent."))
    if pack.content is None or packs.checksum(pack.content) != pack.checksum:
        raise ValidationError(_("The pack's content no longer matches its checksum."))
    pack.state = PackState.SENT
    pack.sent_by = user
    pack.sent_at = timezone.now()
    pack.save()
    return pack


# -- notifications ----------------------------------------------------------------------------

PREFERENCE_FIELD: dict[str, str] = {
    NoticeKind.AGENDA_PUBLISHED: "agenda_published",
    NoticeKind.PACK_READY: "pack_ready",
    NoticeKind.DEADLINE: "deadline",
}


def notification_preferences_set(*, user: User, **choices: bool) -> NotificationPreference:
    preference, _created = NotificationPreference.objects.get_or_create(user=user)
    for name, value in choices.items():
        if name not in PREFERENCE_FIELD.values():
            raise ValidationError(_("Unknown notice."))
        setattr(preference, name, bool(value))
    preference.save()
    return preference


def _wants(user: User, kind: str) -> bool:
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference is None or bool(getattr(preference, PREFERENCE_FIELD[kind]))


def notify(*, kind: str, key: str, users: Iterable[User], subject: str, message: str) -> int:
    """E-mail ``users`` who want ``kind`` and have an address, each (kind, key) at most once
    (a unique row per notice and user, written before the mail goes out). Returns how many."""
    sent = 0
    for user in users:
        if not user.email or not user.is_active or not _wants(user, kind):
            continue
        try:
            with transaction.atomic():
                NoticeSent.objects.create(kind=kind, key=key, user=user)
        except IntegrityError:
            continue
        send_mail(subject, message, settings.DEFAULT_FROM_EMAIL, [user.email])
        sent += 1
    return sent


def body_people(*, body: Body, on: datetime.date) -> list[User]:
    """Members and secretaries of a body on a date (who receive its notices)."""
    organisations = set(
        Seat.objects.filter(valid_on_q(on), body=body).values_list("organisation_id", flat=True)
    )
    if body.secretary_organisation_id:
        organisations.add(body.secretary_organisation_id)
    users = User.objects.filter(
        pk__in=RoleAssignment.objects.filter(
            valid_on_q(on), organisation_id__in=organisations
        ).values("user_id")
    ).order_by("pk")
    result = []
    for user in users:
        access = selectors.body_access(user=user, body=body, on=on)
        if access.member or access.secretary:
            result.append(user)
    return result


def notify_agenda_published(*, meeting: Meeting) -> int:
    day = selectors.meeting_day(meeting)
    items = "\n".join(f"{i.position}. {i.title}" for i in meeting.items.all())
    return notify(
        kind=NoticeKind.AGENDA_PUBLISHED,
        key=f"meeting:{meeting.uuid}",
        users=body_people(body=meeting.body, on=day),
        subject=_("Agenda published: %(body)s on %(date)s") % {"body": meeting.body, "date": day},
        message=_("The agenda of %(body)s on %(date)s (%(place)s):\n\n%(items)s")
        % {"body": meeting.body, "date": day, "place": meeting.place or "-", "items": items},
    )


def notify_pack_ready(*, pack: PrtPack) -> int:
    rrt = selectors.rrt_of(pack.housing_region, pack.on)
    users = body_people(body=rrt, on=pack.on) if rrt else []
    return notify(
        kind=NoticeKind.PACK_READY,
        key=f"pack:{pack.uuid}",
        users=users,
        subject=_("PRT pack ready: %(region)s for %(date)s")
        % {"region": pack.housing_region, "date": pack.on},
        message=_(
            "The PRT preparation pack of %(region)s for %(date)s is frozen (SHA-256 %(sum)s)."
        )
        % {"region": pack.housing_region, "date": pack.on, "sum": pack.checksum},
    )


def notify_deadlines(*, on: datetime.date) -> int:
    """Notices for agreements and dilemmas whose deadline is within
    :data:`DEADLINE_NEAR_DAYS` days or has passed, once per item and stage (near, passed):
    safe to run every day."""
    sent = 0
    near = on + datetime.timedelta(days=DEADLINE_NEAR_DAYS)
    cache = selectors.FiguresCache()
    for agreement in Agreement.objects.filter(
        status__in=[s for s in AgreementStatus.values if s not in ("done", "dropped")],
        deadline__lte=near,
    ).select_related("body"):
        stage = "passed" if agreement.deadline < on else "near"
        progress = selectors.agreement_progress(agreement=agreement, on=on, cache=cache)
        subject = (
            _("Deadline passed: %(title)s") if stage == "passed" else _("Deadline near: %(title)s")
        ) % {"title": agreement.title}
        sent += notify(
            kind=NoticeKind.DEADLINE,
            key=f"agreement:{agreement.uuid}:{stage}",
            users=body_people(body=agreement.body, on=on),
            subject=subject,
            message=_("Agreement of %(body)s, owner %(owner)s, deadline %(deadline)s: %(status)s.")
            % {
                "body": agreement.body,
                "owner": agreement.owner,
                "deadline": agreement.deadline,
                "status": progress.status_label,
            },
        )
    for escalation in Escalation.objects.filter(
        status__in=OPEN_ESCALATION, deadline__lte=near
    ).select_related("body"):
        stage = "passed" if escalation.deadline < on else "near"
        subject = (
            _("Dilemma overdue: %(title)s")
            if stage == "passed"
            else _("Dilemma deadline near: %(title)s")
        ) % {"title": escalation.title}
        sent += notify(
            kind=NoticeKind.DEADLINE,
            key=f"escalation:{escalation.uuid}:{stage}",
            users=body_people(body=escalation.body, on=on),
            subject=subject,
            message=_("Dilemma for %(body)s, answer needed by %(deadline)s.")
            % {"body": escalation.body, "deadline": escalation.deadline},
        )
    return sent
