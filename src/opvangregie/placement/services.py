"""Use cases of placement: compute and store a proposal, change it by hand, send it, answer it,
approve it. Each is one transaction; each writes its event with who and when.

Permissions are checked here as well as in the views: a coordinator runs, changes, sends and
approves; a municipal officer answers for the households proposed to their own municipality.
"""

import dataclasses
import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opvangregie.accounts.models import User
from opvangregie.accounts.selectors import is_coordinator, may_manage_municipality
from opvangregie.allocation.backends import BACKENDS
from opvangregie.allocation.domain import Weights, exclusion, place, score, usage
from opvangregie.capacity.constants import SHORT_STAY_TYPES
from opvangregie.capacity.models import Location
from opvangregie.capacity.selectors import occupancy_on
from opvangregie.core.dates import today
from opvangregie.residents.models import Household, Stay
from opvangregie.residents.services import stay_intake, stay_move

from . import selectors
from .constants import Action, AlternativeReason, Outcome, Response, RunState
from .models import PlacementEvent, PlacementRun, ProposalLine

DEFAULT_TIME_LIMIT = 20.0


def _require_coordinator(user: User) -> None:
    if not is_coordinator(user=user):
        raise PermissionDenied(_("Only a coordinator of the TWOV may do this."))


def _event(
    run: PlacementRun,
    action: str,
    user: User,
    line: ProposalLine | None = None,
    **detail: Any,
) -> PlacementEvent:
    return PlacementEvent.objects.create(
        run=run, line=line, action=action, actor=user, detail=detail
    )


def _alternative_code(text: str | None) -> str:
    """The domain explains in words; the application keeps a code and words it per language."""
    if not text:
        return ""
    for prefix, code in (
        ("full", AlternativeReason.FULL),
        ("would push", AlternativeReason.FAIRNESS),
        ("it fits less", AlternativeReason.FIT),
    ):
        if text.startswith(prefix):
            return str(code)
    return str(AlternativeReason.EQUAL)


def run_create(
    *,
    user: User,
    on: datetime.date,
    backend: str = "highs",
    time_limit: float = DEFAULT_TIME_LIMIT,
    seed: int = 0,
    weights: Weights | None = None,
) -> PlacementRun:
    """Solve the placement of the households waiting on ``on`` and store it as a draft.

    Households and beds that proposals already sent to the municipalities cover are left out,
    so two runs never promise the same bed or the same household."""
    _require_coordinator(user)
    if backend not in BACKENDS:
        raise ValidationError(_("Unknown solver %(name)s.") % {"name": backend})
    if not 0 < time_limit <= 600:
        raise ValidationError(_("The time limit lies between 1 and 600 seconds."))
    in_flight = selectors.in_flight()
    instance = selectors.instance_on(
        on=on, weights=weights, reserved=in_flight.beds, skip=in_flight.households
    )
    if not instance.households:
        raise ValidationError(
            _("Nobody is waiting to be placed on %(date)s.") % {"date": on.isoformat()}
        )
    placement = place(instance, backend=backend, time_limit=time_limit, seed=seed)
    households = {
        str(u): pk
        for u, pk in Household.objects.filter(
            uuid__in=[h.id for h in instance.households]
        ).values_list("uuid", "pk")
    }
    locations = {
        str(u): pk
        for u, pk in Location.objects.filter(
            uuid__in=[loc.id for loc in instance.locations]
        ).values_list("uuid", "pk")
    }
    sizes = {h.id: h.size for h in instance.households}
    result = placement.result
    with transaction.atomic():
        run = PlacementRun.objects.create(
            on=on,
            created_by=user,
            backend=result.backend,
            time_limit=time_limit,
            seed=seed,
            weights=placement.weights.as_dict(),
            solver_status=str(result.status),
            objective=result.objective,
            bound=result.bound,
            gap=result.gap,
            seconds=result.seconds,
            solver_settings=result.settings,
            instance=dataclasses.asdict(instance),
            deviation_before=placement.deviation_before,
            deviation_after=placement.deviation_after,
        )
        ProposalLine.objects.bulk_create(
            ProposalLine(
                run=run,
                household_id=households[p.household],
                size=sizes[p.household],
                location_id=locations[p.location] if p.location else None,
                beds=p.beds,
                score=p.score,
                unplaced_reason="" if p.location else p.explanation,
                alternative_id=locations[p.alternative] if p.alternative else None,
                alternative_reason=_alternative_code(p.alternative_reason),
            )
            for p in placement.proposals
        )
        placed = sum(1 for p in placement.proposals if p.location)
        _event(
            run,
            Action.RUN,
            user,
            status=str(result.status),
            objective=result.objective,
            gap=result.gap,
            seconds=round(result.seconds, 3),
            placed=placed,
            unplaced=len(placement.proposals) - placed,
        )
    return run


def _lock_run(run: PlacementRun) -> PlacementRun:
    return PlacementRun.objects.select_for_update().get(pk=run.pk)


def _lock_line(line: ProposalLine) -> ProposalLine:
    return (
        ProposalLine.objects.select_for_update(of=("self",))
        .select_related("run", "location__municipality", "household")
        .get(pk=line.pk)
    )


# The domain names an exclusion in a few fixed words; the page says it in the reader's language.
_EXCLUSION_MESSAGES = {
    "needs": gettext_lazy("%(location)s does not meet the household's needs (%(detail)s)."),
    "single men only": gettext_lazy("%(location)s takes single men only."),
    "single women only": gettext_lazy("%(location)s takes single women only."),
    "no unit large enough": gettext_lazy(
        "%(location)s has no unit large enough for this household."
    ),
    "too few free beds": gettext_lazy("%(location)s has too few free beds left in this proposal."),
}


def _exclusion_error(reason: str, location_name: str) -> ValidationError:
    for prefix, message in _EXCLUSION_MESSAGES.items():
        if reason.startswith(prefix):
            detail = reason.removeprefix(prefix).strip()
            return ValidationError(str(message) % {"location": location_name, "detail": detail})
    return ValidationError(reason)


@transaction.atomic
def line_override(
    *, user: User, line: ProposalLine, location: Location | None, reason: str
) -> ProposalLine:
    """Move one household by hand (or leave it unplaced), with a reason.

    The change is checked against the run's own picture: the location must have had free beds
    on the run's date, meet the household's needs, and still have room beside the other
    households of the proposal. The effect on the objective is recorded."""
    _require_coordinator(user)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give a reason for the change."))
    line = _lock_line(line)
    run = _lock_run(line.run)
    if run.state not in (RunState.DRAFT, RunState.SENT):
        raise ValidationError(_("This proposal is closed; start a new run."))
    if line.outcome != Outcome.OPEN or line.response == Response.ACCEPTED:
        raise ValidationError(_("This household's placement has been accepted; it stays."))
    if location is not None and location.pk == line.location_id:
        raise ValidationError(_("The household is already proposed there."))
    picture = selectors.run_picture(run)
    instance = picture.instance
    household = picture.households[str(line.household.uuid)]
    lines = list(run.lines.select_related("location", "household"))
    assignment = {
        str(x.household.uuid): str(x.location.uuid) if x.location else None for x in lines
    }
    before = selectors.objective_of(instance, assignment)
    beds = 0
    parts: dict[str, float] = {}
    if location is not None:
        target = picture.locations.get(str(location.uuid))
        if target is None:
            raise ValidationError(
                _("%(location)s had no free allocable beds on %(date)s.")
                % {"location": location.name, "date": run.on.isoformat()}
            )
        taken = sum(
            x.beds
            for x in lines
            if x.location_id == location.pk and x.pk != line.pk and x.outcome != Outcome.CONFLICT
        )
        room = dataclasses.replace(target, free=target.free - taken)
        why_not = exclusion(household, room)
        if why_not:
            raise _exclusion_error(why_not, location.name)
        beds = usage(household, target) or household.size
        parts = score(household, target, instance.weights)
    assignment[str(line.household.uuid)] = str(location.uuid) if location else None
    after = selectors.objective_of(instance, assignment)
    old = line.location
    line.location = location
    line.beds = beds
    line.score = parts
    line.alternative = None
    line.alternative_reason = ""
    line.unplaced_reason = "" if location else reason
    line.overridden = True
    line.override_reason = reason
    line.response = Response.PENDING
    line.response_reason = ""
    line.responded_by = None
    line.responded_at = None
    line.save()
    _event(
        run,
        Action.OVERRIDE,
        user,
        line,
        from_location=old.name if old else None,
        to_location=location.name if location else None,
        reason=reason,
        objective_before=before,
        objective_after=after,
    )
    return line


@transaction.atomic
def run_send(*, user: User, run: PlacementRun) -> PlacementRun:
    """Send a draft to the receiving municipalities, who then answer per household."""
    _require_coordinator(user)
    run = _lock_run(run)
    if run.state != RunState.DRAFT:
        raise ValidationError(_("Only a draft can be sent."))
    if not run.lines.filter(location__isnull=False).exists():
        raise ValidationError(_("This proposal places nobody; there is nothing to send."))
    clash = selectors.in_flight().households & {
        str(u)
        for u in run.lines.filter(location__isnull=False).values_list("household__uuid", flat=True)
    }
    if clash:
        raise ValidationError(
            _(
                "%(count)d household(s) of this proposal are already in another proposal that "
                "was sent; compute a new run."
            )
            % {"count": len(clash)}
        )
    _assert_beds_still_free(run)
    run.state = RunState.SENT
    run.save(update_fields=["state", "updated_at"])
    _event(run, Action.SEND, user)
    return run


def _assert_beds_still_free(run: PlacementRun) -> None:
    """Beds may have gone since the run was computed (a check-in, another proposal sent): a
    proposal is only sent while every bed it promises is still free."""
    wanted: dict[str, int] = defaultdict(int)
    for location_uuid, beds in run.lines.filter(location__isnull=False).values_list(
        "location__uuid", "beds"
    ):
        wanted[str(location_uuid)] += beds
    reserved = selectors.in_flight().beds
    day = max(run.on, today())
    free = {
        row.uuid: (row.name, row.figures.free_allocable)
        for row in occupancy_on(on=day).locations
        if row.uuid in wanted
    }
    short = sorted(
        free.get(uuid, (uuid, 0))[0]
        for uuid, beds in wanted.items()
        if beds + reserved.get(uuid, 0) > free.get(uuid, ("", 0))[1]
    )
    if short:
        raise ValidationError(
            _(
                "Since this proposal was computed, beds have gone at %(locations)s; compute a "
                "new run."
            )
            % {"locations": ", ".join(short)}
        )


@transaction.atomic
def line_respond(*, user: User, line: ProposalLine, accept: bool, reason: str = "") -> ProposalLine:
    """The receiving municipality accepts or declines one household (declining needs a reason).
    An answer may change until the household has been placed."""
    line = _lock_line(line)
    if line.location is None:
        raise ValidationError(_("This household has no proposed location."))
    if not may_manage_municipality(user=user, municipality_code=line.location.municipality.code):
        raise PermissionDenied(_("Only the receiving municipality may answer."))
    if line.run.state != RunState.SENT:
        raise ValidationError(_("This proposal is not open for answers."))
    if line.outcome != Outcome.OPEN:
        raise ValidationError(_("This household has been dealt with already."))
    reason = reason.strip()
    if not accept and not reason:
        raise ValidationError(_("Give a reason for declining."))
    line.response = Response.ACCEPTED if accept else Response.DECLINED
    line.response_reason = reason
    line.responded_by = user
    line.responded_at = timezone.now()
    line.save()
    _event(
        line.run,
        Action.ACCEPT if accept else Action.DECLINE,
        user,
        line,
        location=line.location.name,
        reason=reason,
    )
    return line


@dataclass(frozen=True)
class Approval:
    placed: list[ProposalLine]
    conflicts: list[ProposalLine]


def _place(line: ProposalLine, on: datetime.date) -> list[Stay]:
    household = line.household
    location = line.location
    if location is None:
        raise ValidationError(_("This household has no proposed location."))
    current = list(
        Stay.objects.filter(person__household=household, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .select_related("location")
    )
    if not current:
        if Stay.objects.filter(person__household=household).exists():
            raise ValidationError(_("The household no longer waits: it has left or moved on."))
        return stay_intake(household=household, location=location, on=on)
    if any(s.location.type not in SHORT_STAY_TYPES for s in current):
        raise ValidationError(_("The household no longer waits at the CNO: it has moved on."))
    return stay_move(household=household, to_location=location, on=on)


@transaction.atomic
def run_approve(*, user: User, run: PlacementRun, on: datetime.date) -> Approval:
    """Place every accepted household of the run from ``on``: end its stay at the CNO and start
    one at the location, checking the room again under a lock on the location. A household that
    no longer fits is marked as a conflict with the reason; the others are placed."""
    _require_coordinator(user)
    run = _lock_run(run)
    if run.state != RunState.SENT:
        raise ValidationError(_("Only a proposal that was sent can be approved."))
    if on < run.on:
        raise ValidationError(_("Placement cannot start before the date of the proposal."))
    placed, conflicts = [], []
    lines = run.lines.filter(response=Response.ACCEPTED, outcome=Outcome.OPEN).select_related(
        "household", "location"
    )
    for line in lines.order_by("pk"):
        try:
            with transaction.atomic():
                _place(line, on)
        except ValidationError as exc:
            line.outcome = Outcome.CONFLICT
            line.outcome_message = " ".join(exc.messages)[:500]
            line.save(update_fields=["outcome", "outcome_message", "updated_at"])
            _event(run, Action.CONFLICT, user, line, message=line.outcome_message)
            conflicts.append(line)
            continue
        line.outcome = Outcome.PLACED
        line.outcome_message = ""
        line.save(update_fields=["outcome", "outcome_message", "updated_at"])
        _event(run, Action.PLACE, user, line, location=line.location.name, on=on.isoformat())  # type: ignore[union-attr]
        placed.append(line)
    if not placed and not conflicts:
        raise ValidationError(_("No accepted household is waiting for approval."))
    return Approval(placed=placed, conflicts=conflicts)


@transaction.atomic
def run_close(*, user: User, run: PlacementRun) -> PlacementRun:
    """Close a sent proposal (what is open stays unplaced) or withdraw a draft."""
    _require_coordinator(user)
    run = _lock_run(run)
    if run.state == RunState.DRAFT:
        run.state = RunState.WITHDRAWN
        action = Action.WITHDRAW
    elif run.state == RunState.SENT:
        run.state = RunState.CLOSED
        action = Action.CLOSE
    else:
        raise ValidationError(_("This proposal is closed already."))
    run.save(update_fields=["state", "updated_at"])
    _event(run, action, user)
    return run
