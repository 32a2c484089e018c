"""Reads of the governance workflow: who may see and prepare what (the membership rule), the
progress of agreements computed from the live figures (the status rule), overdue dilemmas,
and the indicators of the evaluation. See docs/governance.md for the rules in words.
"""

import datetime
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from opvangregie.accounts.constants import Role
from opvangregie.accounts.models import RoleAssignment, User
from opvangregie.capacity.constants import SHORT_STAY_TYPES
from opvangregie.capacity.selectors import occupancy_on, targets_progress_on
from opvangregie.core.dates import today
from opvangregie.core.validity import holds_on, valid_on_q
from opvangregie.organisations.constants import BodyKind, BodyLevel, OrganisationKind, SeatRole
from opvangregie.organisations.models import Body, Decision, Membership, Organisation, Seat
from opvangregie.placement.constants import Response
from opvangregie.placement.models import ProposalLine
from opvangregie.residents.constants import Arrival
from opvangregie.residents.models import Stay

from .constants import (
    AT_RISK_DAYS,
    MEMBER_ROLES,
    ON_TRACK_MARGIN,
    OPEN_ESCALATION,
    OVERRIDES,
    SECRETARY_ROLES,
    AgreementStatus,
    EscalationStatus,
    Metric,
)
from .models import Agreement, AgreementNote, Escalation, Meeting, PrtPack

# -- access: the membership and secretary rules --------------------------------------------------


@dataclass(frozen=True)
class BodyAccess:
    """What a user is at a body on a date."""

    member: bool = False
    secretary: bool = False
    chair: bool = False
    coordinator: bool = False

    @property
    def may_view(self) -> bool:
        """Members and secretaries see the meetings and packs; TWOV coordinators see all."""
        return self.member or self.secretary or self.coordinator

    @property
    def may_edit(self) -> bool:
        return self.secretary


@dataclass(frozen=True)
class _Grant:
    role: str
    organisation_id: int
    valid_from: datetime.date | None
    valid_to: datetime.date | None


@dataclass(frozen=True)
class _Seat:
    organisation_id: int | None
    role: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None


class AccessMap:
    """The user's role assignments and every body's seats, read once (two queries), to answer
    :meth:`of` for any body and date in memory."""

    def __init__(self, user: User | Any) -> None:
        self.grants: list[_Grant] = []
        if getattr(user, "is_authenticated", False):
            self.grants = [
                _Grant(*row)
                for row in RoleAssignment.objects.filter(user=user).values_list(
                    "role", "organisation_id", "valid_from", "valid_to"
                )
            ]
        self.seats: dict[int, list[_Seat]] = defaultdict(list)
        if self.grants:
            for body_id, organisation_id, role, valid_from, valid_to in Seat.objects.values_list(
                "body_id", "organisation_id", "role", "valid_from", "valid_to"
            ):
                self.seats[body_id].append(_Seat(organisation_id, role, valid_from, valid_to))

    def of(self, body: Body, on: datetime.date) -> BodyAccess:
        grants = [g for g in self.grants if holds_on(g.valid_from, g.valid_to, on)]
        if not grants:
            return BodyAccess()
        seats = [s for s in self.seats.get(body.pk, []) if holds_on(s.valid_from, s.valid_to, on)]
        member_roles = MEMBER_ROLES.get(body.kind, frozenset())
        seated = {s.organisation_id for s in seats}
        chairs = {s.organisation_id for s in seats if s.role == SeatRole.CHAIR}
        secretaries = {s.organisation_id for s in seats if s.role == SeatRole.SECRETARY}
        return BodyAccess(
            member=any(g.role in member_roles and g.organisation_id in seated for g in grants),
            secretary=any(
                (g.role in SECRETARY_ROLES and g.organisation_id == body.secretary_organisation_id)
                or (g.role in member_roles and g.organisation_id in secretaries)
                for g in grants
            ),
            chair=any(
                g.role in member_roles - {Role.RRT_SECRETARY} and g.organisation_id in chairs
                for g in grants
            ),
            coordinator=any(g.role == Role.COORDINATOR for g in grants),
        )


def body_access(*, user: User | Any, body: Body, on: datetime.date | None = None) -> BodyAccess:
    return AccessMap(user).of(body, on or today())


def meeting_day(meeting: Meeting) -> datetime.date:
    return timezone.localdate(meeting.starts_at)


def meeting_access(*, user: User | Any, meeting: Meeting) -> BodyAccess:
    """Membership counts on the meeting's date: who held the seat then sees its pack."""
    return AccessMap(user).of(meeting.body, meeting_day(meeting))


def bodies_visible_to(*, user: User | Any, on: datetime.date | None = None) -> list[Body]:
    day = on or today()
    access = AccessMap(user)
    bodies = Body.objects.filter(valid_on_q(day)).select_related("organisation")
    return [b for b in bodies.order_by("level", "name") if access.of(b, day).may_view]


def bodies_editable_by(*, user: User | Any, on: datetime.date | None = None) -> list[Body]:
    day = on or today()
    access = AccessMap(user)
    bodies = Body.objects.filter(valid_on_q(day)).order_by("level", "name")
    return [b for b in bodies if access.of(b, day).may_edit]


def meetings_visible_to(*, user: User | Any) -> QuerySet[Meeting]:
    """The meetings the user may see: of each meeting's body on the meeting's date."""
    access = AccessMap(user)
    meetings = Meeting.objects.select_related("body")
    visible = [m.pk for m in meetings if access.of(m.body, meeting_day(m)).may_view]
    return Meeting.objects.filter(pk__in=visible).select_related("body").order_by("-starts_at")


# -- agreements: parties, figures and progress ---------------------------------------------------


def party_municipalities(
    *, organisations: Iterable[Organisation], on: datetime.date
) -> dict[int, set[str]]:
    """The CBS codes of the municipalities each party stands for on a date: a municipality
    itself; a region (housing, safety) or province its member municipalities."""
    result: dict[int, set[str]] = {}
    groups = []
    for organisation in organisations:
        if organisation.kind == OrganisationKind.MUNICIPALITY:
            result[organisation.pk] = {organisation.code}
        else:
            result[organisation.pk] = set()
            groups.append(organisation.pk)
    if groups:
        for group_id, code in Membership.objects.filter(
            valid_on_q(on), group_id__in=groups, member__kind=OrganisationKind.MUNICIPALITY
        ).values_list("group_id", "member__code"):
            result[group_id].add(code)
    return result


class FiguresCache:
    """Places per municipality per (metric, date), computed once however many agreements ask."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, datetime.date], dict[str, int]] = {}

    def places(self, metric: str, on: datetime.date) -> dict[str, int]:
        key = (metric, on)
        if key not in self._cache:
            self._cache[key] = places_by_municipality(metric=metric, on=on)
        return self._cache[key]


def places_by_municipality(*, metric: str, on: datetime.date) -> dict[str, int]:
    """Realised places per municipality on a date, from the capacity selectors: the beds of
    operating long-stay locations (``targets_progress_on``, as the target pages count them), or
    their allocable beds (beds minus blocked, ``occupancy_on``)."""
    if metric == Metric.REALISED_PLACES:
        return {p.code: p.realised for p in targets_progress_on(on=on).municipalities}
    if metric == Metric.ALLOCABLE_PLACES:
        places: dict[str, int] = defaultdict(int)
        for row in occupancy_on(on=on).locations:
            if row.type not in SHORT_STAY_TYPES:
                places[row.municipality_code] += row.figures.allocable
        return dict(places)
    raise ValueError(metric)


def derive_status(
    *,
    start: datetime.date,
    deadline: datetime.date,
    on: datetime.date,
    target: int | None,
    gained: int | None,
) -> str:
    """The status rule.

    With a measurable target: ``on_track`` once the target is reached, or while the share of it
    realised is at least the share of the period [start, deadline] elapsed minus
    :data:`ON_TRACK_MARGIN`; ``at_risk`` below that; ``late`` after the deadline when the target
    was not reached. Without a target: ``late`` after the deadline, ``at_risk`` from
    :data:`AT_RISK_DAYS` days before it, ``open`` before. Before the start always ``open``.
    """
    if on < start:
        return AgreementStatus.OPEN
    if target and gained is not None:
        if gained >= target:
            return AgreementStatus.ON_TRACK
        if on > deadline:
            return AgreementStatus.LATE
        elapsed = (on - start).days / (deadline - start).days
        if gained / target >= elapsed - ON_TRACK_MARGIN:
            return AgreementStatus.ON_TRACK
        return AgreementStatus.AT_RISK
    if on > deadline:
        return AgreementStatus.LATE
    if (deadline - on).days <= AT_RISK_DAYS:
        return AgreementStatus.AT_RISK
    return AgreementStatus.OPEN


@dataclass(frozen=True)
class PartyProgress:
    code: str
    name: str
    kind: str
    share: int | None
    baseline: int | None
    realised: int | None

    @property
    def gained(self) -> int | None:
        if self.baseline is None or self.realised is None:
            return None
        return self.realised - self.baseline

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "share": self.share,
            "baseline": self.baseline,
            "realised": self.realised,
            "gained": self.gained,
        }


@dataclass(frozen=True)
class AgreementProgress:
    """Progress on a date. ``baseline`` is the places of all parties on the start date,
    ``realised`` on ``on``; ``gained`` their difference, measured against ``target``."""

    on: datetime.date
    measurable: bool
    target: int | None
    baseline: int | None
    realised: int | None
    time_pct: float
    derived_status: str
    status: str
    overridden: bool
    parties: list[PartyProgress] = field(default_factory=list)

    @property
    def gained(self) -> int | None:
        if self.baseline is None or self.realised is None:
            return None
        return self.realised - self.baseline

    @property
    def pct(self) -> float | None:
        if not self.target or self.gained is None:
            return None
        return round(100 * self.gained / self.target, 1)

    @property
    def status_label(self) -> str:
        return str(AgreementStatus(self.status).label)

    def as_dict(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "measurable": self.measurable,
            "target": self.target,
            "baseline": self.baseline,
            "realised": self.realised,
            "gained": self.gained,
            "pct": self.pct,
            "time_pct": self.time_pct,
            "derived_status": self.derived_status,
            "status": self.status,
            "overridden": self.overridden,
            "parties": [p.as_dict() for p in self.parties],
        }


def agreement_progress(
    *, agreement: Agreement, on: datetime.date, cache: FiguresCache | None = None
) -> AgreementProgress:
    """Progress of an agreement on a date, computed from the live figures (never typed)."""
    cache = cache or FiguresCache()
    parties = list(agreement.parties.select_related("organisation"))
    span = (agreement.deadline - agreement.start_date).days
    elapsed = min(max((on - agreement.start_date).days, 0), span)
    time_pct = round(100 * elapsed / span, 1)
    rows: list[PartyProgress] = []
    baseline = realised = None
    if agreement.metric:
        members = party_municipalities(organisations=[p.organisation for p in parties], on=on)
        before = cache.places(agreement.metric, agreement.start_date)
        now = cache.places(agreement.metric, on)
        for party in parties:
            codes = members[party.organisation_id]
            rows.append(
                PartyProgress(
                    code=party.organisation.code,
                    name=party.organisation.name,
                    kind=party.organisation.kind,
                    share=party.share,
                    baseline=sum(before.get(c, 0) for c in codes),
                    realised=sum(now.get(c, 0) for c in codes),
                )
            )
        # A municipality that is party in its own right and through its region counts once.
        codes_all = set().union(*members.values()) if members else set()
        baseline = sum(before.get(c, 0) for c in codes_all)
        realised = sum(now.get(c, 0) for c in codes_all)
    else:
        rows = [
            PartyProgress(
                p.organisation.code, p.organisation.name, p.organisation.kind, p.share, None, None
            )
            for p in parties
        ]
    derived = derive_status(
        start=agreement.start_date,
        deadline=agreement.deadline,
        on=on,
        target=agreement.target,
        gained=None if baseline is None or realised is None else realised - baseline,
    )
    overridden = agreement.status in OVERRIDES
    status = derived if agreement.status == AgreementStatus.OPEN else agreement.status
    return AgreementProgress(
        on=on,
        measurable=bool(agreement.metric),
        target=agreement.target,
        baseline=baseline,
        realised=realised,
        time_pct=time_pct,
        derived_status=derived,
        status=status,
        overridden=overridden,
        parties=rows,
    )


def share_progress(
    progress: AgreementProgress, *, code: str, on: datetime.date, agreement: Agreement
) -> AgreementProgress:
    """The progress of one party's share (an agreement made at the PRT, seen at an RRT)."""
    party = next((p for p in progress.parties if p.code == code), None)
    if party is None or not progress.measurable or party.share is None:
        return progress
    derived = derive_status(
        start=agreement.start_date,
        deadline=agreement.deadline,
        on=on,
        target=party.share,
        gained=party.gained,
    )
    status = derived if agreement.status == AgreementStatus.OPEN else agreement.status
    return AgreementProgress(
        on=on,
        measurable=True,
        target=party.share,
        baseline=party.baseline,
        realised=party.realised,
        time_pct=progress.time_pct,
        derived_status=derived,
        status=status,
        overridden=progress.overridden,
        parties=[party],
    )


def rrt_of(housing_region: Organisation, on: datetime.date) -> Body | None:
    """The regional table (RRT) of a housing region on a date."""
    return (
        Body.objects.filter(
            valid_on_q(on), organisation=housing_region, level=BodyLevel.HOUSING_REGION
        )
        .order_by("code")
        .first()
    )


def housing_region_of(organisation: Organisation, on: datetime.date) -> Organisation | None:
    if organisation.kind == OrganisationKind.COOPERATION_REGION:
        return organisation
    if organisation.kind != OrganisationKind.MUNICIPALITY:
        return None
    membership = (
        Membership.objects.filter(
            valid_on_q(on), member=organisation, group__kind=OrganisationKind.COOPERATION_REGION
        )
        .select_related("group")
        .first()
    )
    return membership.group if membership else None


def agreements_visible_to(
    *, user: User | Any, on: datetime.date | None = None
) -> QuerySet[Agreement]:
    """Agreements made at a body the user may see, and those of which a party lies in a housing
    region whose RRT the user may see (an agreement of the PRT shows at each RRT)."""
    day = on or today()
    access = AccessMap(user)
    bodies = {b.pk for b in Body.objects.all() if access.of(b, day).may_view}
    rrt_regions = set(
        Body.objects.filter(pk__in=bodies, level=BodyLevel.HOUSING_REGION).values_list(
            "organisation_id", flat=True
        )
    )
    region_members = set(
        Membership.objects.filter(valid_on_q(day), group_id__in=rrt_regions).values_list(
            "member_id", flat=True
        )
    )
    party_ids = rrt_regions | region_members
    return Agreement.objects.filter(
        pk__in=Agreement.objects.filter(
            Q(body_id__in=bodies) | Q(parties__organisation_id__in=party_ids)
        ).values("pk")
    ).order_by("deadline", "title")


def agreement_visible(*, user: User | Any, agreement: Agreement) -> bool:
    return any(a.pk == agreement.pk for a in agreements_visible_to(user=user))


def agreement_access(*, user: User | Any, agreement: Agreement) -> BodyAccess:
    """Secretaries of the body where it was made change it; secretaries of a party's RRT may
    add progress notes (``may_note`` via ``note_bodies``)."""
    return body_access(user=user, body=agreement.body)


def may_note_agreement(*, user: User | Any, agreement: Agreement) -> bool:
    day = today()
    access = AccessMap(user)
    if access.of(agreement.body, day).may_edit:
        return True
    for party in agreement.parties.select_related("organisation"):
        region = housing_region_of(party.organisation, day)
        rrt = rrt_of(region, day) if region else None
        if rrt is not None and access.of(rrt, day).may_edit:
            return True
    return False


def agreements_for_region(
    *, housing_region: Organisation, on: datetime.date, cache: FiguresCache | None = None
) -> list[tuple[Agreement, AgreementProgress]]:
    """The agreements of a housing region: made at its RRT, or with it (or one of its
    municipalities) as a party; for a split target, the progress of the region's share."""
    cache = cache or FiguresCache()
    rrt = rrt_of(housing_region, on)
    members = set(
        Membership.objects.filter(valid_on_q(on), group=housing_region).values_list(
            "member_id", flat=True
        )
    )
    agreements = Agreement.objects.filter(
        pk__in=Agreement.objects.filter(
            Q(body=rrt) | Q(parties__organisation_id__in=members | {housing_region.pk})
        ).values("pk")
    ).order_by("deadline", "title")
    result = []
    for agreement in agreements:
        progress = agreement_progress(agreement=agreement, on=on, cache=cache)
        result.append(
            (
                agreement,
                share_progress(progress, code=housing_region.code, on=on, agreement=agreement),
            )
        )
    return result


def agreement_status_reason(*, agreement: Agreement, progress: AgreementProgress) -> str:
    """Why the agreement has its status, in one sentence: the reason the secretary gave when
    they set it by hand (or ended it), else what the status rule saw."""
    if agreement.status != AgreementStatus.OPEN:
        return _("Set by hand: %(reason)s") % {"reason": agreement.status_reason or "-"}
    if progress.on < agreement.start_date:
        return _("Counts from %(date)s.") % {"date": agreement.start_date.isoformat()}
    deadline = agreement.deadline.isoformat()
    if progress.measurable and progress.target and progress.gained is not None:
        figures = {"gained": progress.gained, "target": progress.target, "deadline": deadline}
        if progress.gained >= progress.target:
            return _("Target reached: %(gained)d of %(target)d.") % figures
        if progress.status == AgreementStatus.LATE:
            return _("Deadline %(deadline)s passed with %(gained)d of %(target)d.") % figures
        return _(
            "%(pct)s%% of the target realised, %(time)s%% of the time elapsed "
            "(on track from %(needed)s%%)."
        ) % {
            "pct": progress.pct,
            "time": progress.time_pct,
            "needed": max(round(progress.time_pct - 100 * ON_TRACK_MARGIN, 1), 0.0),
        }
    if progress.status == AgreementStatus.LATE:
        return _("Not measurable; deadline %(deadline)s passed.") % {"deadline": deadline}
    if progress.status == AgreementStatus.AT_RISK:
        return _("Not measurable; deadline %(deadline)s within %(days)d days.") % {
            "deadline": deadline,
            "days": AT_RISK_DAYS,
        }
    return _("Not measurable; deadline %(deadline)s.") % {"deadline": deadline}


@dataclass(frozen=True)
class AgreementLine:
    """One agreement in the overview (the ``agreements`` command): aggregates only."""

    agreement: Agreement
    parties: list[tuple[str, str, int | None]]  # code, name, share
    progress: AgreementProgress
    reason: str

    def as_dict(self) -> dict[str, Any]:
        a, p = self.agreement, self.progress
        return {
            "uuid": str(a.uuid),
            "title": a.title,
            "body": {"code": a.body.code, "name": a.body.name},
            "parties": [{"code": c, "name": n, "share": s} for c, n, s in self.parties],
            "owner": a.owner,
            "start_date": a.start_date.isoformat(),
            "deadline": a.deadline.isoformat(),
            "metric": a.metric or None,
            "target": a.target,
            "progress": {
                "measurable": p.measurable,
                "value": p.gained,
                "target": p.target,
                "percentage": p.pct,
                "baseline": p.baseline,
                "realised": p.realised,
                "time_elapsed_percentage": p.time_pct,
            },
            "status": {
                "code": p.status,
                "label": p.status_label,
                "set_by_hand": a.status != AgreementStatus.OPEN,
                "reason": self.reason,
            },
        }

    def row(self) -> list[Any]:
        a, p = self.agreement, self.progress
        return [
            str(a.uuid),
            a.title,
            a.body.code,
            "; ".join(f"{c}={s}" if s is not None else c for c, _n, s in self.parties),
            a.owner,
            a.start_date.isoformat(),
            a.deadline.isoformat(),
            a.metric,
            "" if p.gained is None else p.gained,
            "" if p.target is None else p.target,
            "" if p.pct is None else p.pct,
            p.time_pct,
            p.status,
            "yes" if a.status != AgreementStatus.OPEN else "no",
            self.reason,
        ]


AGREEMENT_COLUMNS = [
    "uuid",
    "title",
    "body",
    "parties",
    "owner",
    "start_date",
    "deadline",
    "metric",
    "progress_value",
    "progress_target",
    "progress_percentage",
    "time_elapsed_percentage",
    "status",
    "set_by_hand",
    "status_reason",
]


def agreements_overview(
    *,
    on: datetime.date,
    status: str | None = None,
    body: Body | None = None,
    housing_region: Organisation | None = None,
    cache: FiguresCache | None = None,
) -> list[AgreementLine]:
    """Every agreement with its progress and status on a date, as the agreement pages compute
    them; ``status`` filters on the status shown (the rule's, or the one set by hand). For a
    housing region: the agreements of its RRT and those it (or a municipality of it) is party
    to, with the progress of its share when the target is split, as at the RRT."""
    cache = cache or FiguresCache()
    if housing_region is not None:
        pairs = agreements_for_region(housing_region=housing_region, on=on, cache=cache)
        if body is not None:
            pairs = [(a, p) for a, p in pairs if a.body_id == body.pk]
    else:
        agreements = Agreement.objects.all()
        if body is not None:
            agreements = agreements.filter(body=body)
        pairs = [
            (a, agreement_progress(agreement=a, on=on, cache=cache))
            for a in agreements.order_by("deadline", "title")
        ]
    by_pk = {
        a.pk: a
        for a in Agreement.objects.filter(pk__in=[a.pk for a, _p in pairs])
        .select_related("body")
        .prefetch_related("parties__organisation")
    }
    lines = []
    for found, progress in pairs:
        if status is not None and progress.status != status:
            continue
        agreement = by_pk[found.pk]
        lines.append(
            AgreementLine(
                agreement=agreement,
                parties=[
                    (p.organisation.code, p.organisation.name, p.share)
                    for p in agreement.parties.all()
                ],
                progress=progress,
                reason=agreement_status_reason(agreement=agreement, progress=progress),
            )
        )
    return lines


# -- dilemmas -----------------------------------------------------------------------------------


def escalation_overdue(escalation: Escalation, on: datetime.date) -> bool:
    """Overdue: still open (raised or on the agenda) after its deadline."""
    return escalation.status in OPEN_ESCALATION and escalation.deadline < on


def escalation_may_close(*, user: User | Any, escalation: Escalation) -> bool:
    """The secretary of its body, or who raised it, closes (or withdraws) a dilemma."""
    return body_access(
        user=user, body=escalation.body
    ).may_edit or escalation.raised_by_id == getattr(user, "pk", None)


def escalations_visible_to(*, user: User | Any) -> QuerySet[Escalation]:
    day = today()
    access = AccessMap(user)
    bodies = [b.pk for b in Body.objects.all() if access.of(b, day).may_view]
    return (
        Escalation.objects.filter(body_id__in=bodies)
        .select_related("body", "decision", "item__meeting")
        .order_by("deadline", "title")
    )


def open_escalations(*, on: datetime.date) -> QuerySet[Escalation]:
    return Escalation.objects.filter(status__in=OPEN_ESCALATION, raised_on__lte=on).order_by(
        "deadline"
    )


# -- decisions ------------------------------------------------------------------------------------


def decisions_visible_to(*, user: User | Any) -> QuerySet[Decision]:
    """Entries of the register taken at a body the user may see, and those of organisations
    (colleges, boards) which are public record."""
    day = today()
    access = AccessMap(user)
    bodies = [b.pk for b in Body.objects.all() if access.of(b, day).may_view]
    if not access.grants:
        return Decision.objects.none()
    return (
        Decision.objects.filter(Q(body_id__in=bodies) | Q(body__isnull=True))
        .select_related("body", "organisation")
        .order_by("-decided_on", "code")
    )


def decisions_between(
    *,
    bodies: Iterable[Body],
    organisations: Iterable[Organisation],
    start: datetime.date,
    end: datetime.date,
) -> QuerySet[Decision]:
    """Decisions of the bodies or organisations taken in [start, end)."""
    return (
        Decision.objects.filter(decided_on__gte=start, decided_on__lt=end)
        .filter(
            Q(body__in=[b.pk for b in bodies]) | Q(organisation__in=[o.pk for o in organisations])
        )
        .select_related("body", "organisation")
        .order_by("decided_on", "code")
    )


# -- PRT packs ------------------------------------------------------------------------------------


def prt_of(on: datetime.date) -> Body | None:
    return Body.objects.filter(valid_on_q(on), level=BodyLevel.PROVINCIAL).order_by("code").first()


def previous_prt_date(*, housing_region: Organisation, on: datetime.date) -> datetime.date:
    """The day of the last PRT before ``on``: the latest PRT meeting, or failing that the latest
    earlier pack of the region; failing both, four weeks before."""
    prt = prt_of(on)
    days = []
    if prt is not None:
        days += [
            meeting_day(m)
            for m in Meeting.objects.filter(body=prt, starts_at__date__lt=on).order_by(
                "-starts_at"
            )[:1]
        ]
    days += list(
        PrtPack.objects.filter(housing_region=housing_region, on__lt=on)
        .order_by("-on")
        .values_list("on", flat=True)[:1]
    )
    return max(days) if days else on - datetime.timedelta(days=28)


def packs_visible_to(*, user: User | Any) -> QuerySet[PrtPack]:
    day = today()
    access = AccessMap(user)
    regions = [
        b.organisation_id
        for b in Body.objects.filter(level=BodyLevel.HOUSING_REGION)
        if access.of(b, day).may_view
    ]
    prt = prt_of(day)
    if prt is not None and access.of(prt, day).may_view:
        return PrtPack.objects.select_related("housing_region").order_by("-on")
    return PrtPack.objects.filter(housing_region_id__in=regions).select_related("housing_region")


def pack_access(*, user: User | Any, pack: PrtPack) -> BodyAccess:
    """The RRT of the pack's region prepares it: its chair and secretary add notes, freeze and
    send; its members read it. PRT members read packs once they are frozen."""
    rrt = rrt_of(pack.housing_region, pack.on)
    access = AccessMap(user)
    own = access.of(rrt, pack.on) if rrt else BodyAccess()
    prt = prt_of(pack.on)
    if not own.may_view and prt is not None and pack.state != "draft":
        theirs = access.of(prt, pack.on)
        return BodyAccess(member=theirs.may_view)
    return own


def may_see_evaluation(*, user: User | Any) -> bool:
    """The evaluation is for the steering group: its members and secretary (and the TWOV)."""
    day = today()
    access = AccessMap(user)
    return any(
        access.of(b, day).may_view
        for b in Body.objects.filter(valid_on_q(day), kind=BodyKind.STEERING_GROUP)
    )


# -- evaluation -----------------------------------------------------------------------------------


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """The first day of the quarter and the first day after it."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(quarter)
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    return start, end


@dataclass(frozen=True)
class Evaluation:
    year: int
    quarter: int
    start: datetime.date
    end: datetime.date
    cno_stays: int
    cno_over_72h: int
    placed_households: int
    placement_days_median: float | None
    placement_days_mean: float | None
    placement_days_max: int | None
    proposals_answered: int
    proposals_declined: int
    decline_reasons: list[tuple[str, int]]
    agreements_due: int
    agreements_on_time: int
    dilemmas_due: int
    dilemmas_in_time: int

    @staticmethod
    def _pct(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def cno_over_72h_pct(self) -> float | None:
        return self._pct(self.cno_over_72h, self.cno_stays)

    @property
    def declined_pct(self) -> float | None:
        return self._pct(self.proposals_declined, self.proposals_answered)

    @property
    def agreements_on_time_pct(self) -> float | None:
        return self._pct(self.agreements_on_time, self.agreements_due)

    @property
    def dilemmas_in_time_pct(self) -> float | None:
        return self._pct(self.dilemmas_in_time, self.dilemmas_due)

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "quarter": self.quarter,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "cno_stays": self.cno_stays,
            "cno_over_72h": self.cno_over_72h,
            "cno_over_72h_pct": self.cno_over_72h_pct,
            "placed_households": self.placed_households,
            "placement_days_median": self.placement_days_median,
            "placement_days_mean": self.placement_days_mean,
            "placement_days_max": self.placement_days_max,
            "proposals_answered": self.proposals_answered,
            "proposals_declined": self.proposals_declined,
            "declined_pct": self.declined_pct,
            "decline_reasons": [{"reason": r, "count": n} for r, n in self.decline_reasons],
            "agreements_due": self.agreements_due,
            "agreements_on_time": self.agreements_on_time,
            "agreements_on_time_pct": self.agreements_on_time_pct,
            "dilemmas_due": self.dilemmas_due,
            "dilemmas_in_time": self.dilemmas_in_time,
            "dilemmas_in_time_pct": self.dilemmas_in_time_pct,
        }


# The stays at a crisis location longer than this many days count as "over 72 hours".
CNO_NORM_DAYS = 3


def evaluation_for(
    *, year: int, quarter: int, withheld: str = "", reason_filter: Any = None
) -> Evaluation:
    """The indicators of a quarter [start, end):

    - CNO stays: stays at a crisis location that started in the quarter, and how many of them
      lasted more than 72 hours (counted until their end, or the end of the quarter or today);
    - arrival to placement: per household whose first move into a long-stay location happened
      in the quarter, the days from the start of its first stay at a crisis location;
    - placement proposals answered in the quarter, how many declined and why (reasons that
      ``reason_filter`` rejects — those holding personal data — are counted under ``withheld``);
    - agreements with their deadline in the quarter that were done by it;
    - dilemmas with their deadline in the quarter decided by it.
    """
    start, end = quarter_bounds(year, quarter)
    last = min(end, today() + datetime.timedelta(days=1))
    cno = list(
        Stay.objects.filter(
            location__type__in=SHORT_STAY_TYPES, start_date__gte=start, start_date__lt=end
        ).values_list("start_date", "end_date")
    )
    over = sum(1 for s, e in cno if ((e or last) - s).days > CNO_NORM_DAYS)

    placed_households = set(
        Stay.objects.filter(arrival=Arrival.MOVE, start_date__gte=start, start_date__lt=end)
        .exclude(location__type__in=SHORT_STAY_TYPES)
        .values_list("person__household_id", flat=True)
    )
    first_cno: dict[int, datetime.date] = {}
    first_long: dict[int, datetime.date] = {}
    for household, kind, started in Stay.objects.filter(
        person__household_id__in=placed_households
    ).values_list("person__household_id", "location__type", "start_date"):
        target = first_cno if kind in SHORT_STAY_TYPES else first_long
        if household not in target or started < target[household]:
            target[household] = started
    days = [
        (first_long[h] - first_cno[h]).days
        for h in placed_households
        if h in first_cno
        and h in first_long
        and start <= first_long[h] < end
        and first_long[h] >= first_cno[h]
    ]

    answered = ProposalLine.objects.filter(
        responded_at__date__gte=start, responded_at__date__lt=end
    ).exclude(response=Response.PENDING)
    reasons: Counter[str] = Counter()
    for reason in answered.filter(response=Response.DECLINED).values_list(
        "response_reason", flat=True
    ):
        text = " ".join(reason.split())
        if reason_filter is not None and not reason_filter(text):
            text = withheld
        reasons[text] += 1

    due = list(Agreement.objects.filter(deadline__gte=start, deadline__lt=end))
    done_on = {
        agreement_id: timezone.localdate(at)
        for agreement_id, at in AgreementNote.objects.filter(
            agreement__in=due, status_to=AgreementStatus.DONE
        )
        .order_by("at")
        .values_list("agreement_id", "at")
    }
    on_time = sum(
        1
        for a in due
        if a.status == AgreementStatus.DONE and a.pk in done_on and done_on[a.pk] <= a.deadline
    )
    dilemmas = list(Escalation.objects.filter(deadline__gte=start, deadline__lt=end))
    in_time = sum(
        1
        for e in dilemmas
        if e.status in (EscalationStatus.DECIDED, EscalationStatus.CLOSED)
        and e.decided_on is not None
        and e.decided_on <= e.deadline
    )
    return Evaluation(
        year=year,
        quarter=quarter,
        start=start,
        end=end,
        cno_stays=len(cno),
        cno_over_72h=over,
        placed_households=len(days),
        placement_days_median=float(statistics.median(days)) if days else None,
        placement_days_mean=round(statistics.fmean(days), 1) if days else None,
        placement_days_max=max(days) if days else None,
        proposals_answered=answered.count(),
        proposals_declined=sum(reasons.values()),
        decline_reasons=reasons.most_common(),
        agreements_due=len(due),
        agreements_on_time=on_time,
        dilemmas_due=len(dilemmas),
        dilemmas_in_time=in_time,
    )
