"""The placement instance of a date, read from the live picture (no personal data leaves here:
households are identified by their UUID)."""

import dataclasses
import datetime
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from opvangregie.accounts.models import User
from opvangregie.accounts.selectors import is_coordinator, officer_municipalities
from opvangregie.allocation.domain import (
    NEED_FEATURE,
    Household,
    Instance,
    Location,
    Municipality,
    Weights,
    exclusion,
    instance_from_json,
    objective,
    score,
    usage,
)
from opvangregie.capacity.constants import RECEIVING_STATUSES, SHORT_STAY_TYPES
from opvangregie.capacity.models import CapacityRecord, DistributionKey, LocationFeature
from opvangregie.capacity.selectors import occupancy_on, stays_on_q
from opvangregie.core.validity import valid_on_q
from opvangregie.organisations.models import Organisation
from opvangregie.residents.constants import Need
from opvangregie.residents.models import Household as HouseholdModel
from opvangregie.residents.models import HouseholdNeed, HouseholdTie, Person

from .constants import Outcome, Response, RunState
from .models import PlacementRun, ProposalLine


def _age(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def instance_on(
    *,
    on: datetime.date,
    weights: Weights | None = None,
    reserved: dict[str, int] | None = None,
    skip: frozenset[str] = frozenset(),
) -> Instance:
    """Households waiting at a crisis location (CNO) on ``on`` or announced (registered, not yet
    arrived anywhere), the free allocable beds of the receiving long-stay locations, and per
    municipality its fair share of all residents.

    ``reserved``: beds per location UUID already promised in proposals that are under way;
    ``skip``: UUIDs of households that such proposals already cover."""
    reserved = reserved or {}
    occupancy = occupancy_on(on=on)
    long_stay = [r for r in occupancy.locations if not r.short_stay]
    receiving = [
        r
        for r in long_stay
        if r.status in RECEIVING_STATUSES and r.figures.free_allocable - reserved.get(r.uuid, 0) > 0
    ]
    ids = [r.location_id for r in receiving]
    features: dict[int, list[str]] = defaultdict(list)
    for location_id, feature in LocationFeature.objects.filter(location_id__in=ids).values_list(
        "location_id", "feature"
    ):
        features[location_id].append(feature)
    units: dict[int, tuple[int, ...]] = {}
    for record in (
        CapacityRecord.objects.filter(
            location_id__in=ids, valid_from__lte=on, location__lets_units=True
        )
        .order_by("location_id", "valid_from")
        .prefetch_related("units")
    ):
        units[record.location_id] = tuple(sorted(u.size for u in record.units.all()))
    locations = tuple(
        Location(
            id=r.uuid,
            municipality=r.municipality_code,
            free=r.figures.free_allocable - reserved.get(r.uuid, 0),
            features=tuple(sorted(features[r.location_id])),
            unit_sizes=units.get(r.location_id, ()),
            name=r.name,
        )
        for r in receiving
    )
    at_cno = HouseholdModel.objects.filter(
        stays_on_q(on, "persons__stays__"), persons__stays__location__type__in=SHORT_STAY_TYPES
    )
    announced = HouseholdModel.objects.exclude(persons__stays__isnull=False)
    waiting = (
        HouseholdModel.objects.filter(Q(pk__in=at_cno) | Q(pk__in=announced))
        .exclude(uuid__in=skip)
        .distinct()
    )
    persons: dict[int, list[Person]] = defaultdict(list)
    for person in Person.objects.filter(household__in=waiting).order_by("pk"):
        persons[person.household_id].append(person)
    needs: dict[int, list[str]] = defaultdict(list)
    for household_id, need in HouseholdNeed.objects.filter(household__in=waiting).values_list(
        "household_id", "need"
    ):
        needs[household_id].append(need)
    ties: dict[int, list[str]] = defaultdict(list)
    for household_id, code in HouseholdTie.objects.filter(household__in=waiting).values_list(
        "household_id", "municipality__code"
    ):
        ties[household_id].append(code)
    households = []
    for household in waiting.order_by("pk"):
        members = persons[household.pk]
        kind = "family"
        if len(members) == 1 and _age(members[0].birth_date, on) >= 18:
            kind = {"male": "single_man", "female": "single_woman"}.get(members[0].sex, "family")
        households.append(
            Household(
                id=str(household.uuid),
                size=len(members),
                needs=tuple(sorted(needs[household.pk])),
                ties=tuple(sorted(set(ties[household.pk]))),
                kind=kind,
            )
        )
    present: dict[str, float] = defaultdict(float)
    for row in long_stay:
        present[row.municipality_code] += row.figures.occupied
    to_place = sum(h.size for h in households)
    key = DistributionKey.objects.filter(valid_on_q(on)).order_by("-valid_from").first()
    municipalities: tuple[Municipality, ...] = ()
    if key is not None:
        shares = dict(key.shares.values_list("municipality__code", "weight"))
        total_weight = sum(shares.values()) or 1
        total = sum(present.values()) + to_place
        municipalities = tuple(
            Municipality(
                code=code, target=round(total * w / total_weight, 2), present=present.get(code, 0.0)
            )
            for code, w in sorted(shares.items())
        )
    return Instance(
        households=tuple(households),
        locations=locations,
        municipalities=municipalities,
        weights=weights or Weights(),
    )


@dataclass(frozen=True)
class InFlight:
    """What proposals sent to the municipalities already cover and no new run may promise again:
    the households (UUIDs) and the beds per location (UUID)."""

    households: frozenset[str]
    beds: dict[str, int]


def in_flight() -> InFlight:
    lines = ProposalLine.objects.filter(
        run__state=RunState.SENT,
        location__isnull=False,
        outcome=Outcome.OPEN,
        response__in=(Response.PENDING, Response.ACCEPTED),
    ).values_list("household__uuid", "location__uuid", "beds")
    households: set[str] = set()
    beds: dict[str, int] = defaultdict(int)
    for household, location, count in lines:
        households.add(str(household))
        beds[str(location)] += count
    return InFlight(households=frozenset(households), beds=dict(beds))


@dataclass(frozen=True)
class Picture:
    """The instance a run was solved on, with its households and locations by UUID."""

    instance: Instance
    households: dict[str, Household]
    locations: dict[str, Location]
    municipalities: dict[str, Municipality]


def run_picture(run: PlacementRun) -> Picture:
    instance = instance_from_json(json.dumps(run.instance))
    return Picture(
        instance=instance,
        households={h.id: h for h in instance.households},
        locations={loc.id: loc for loc in instance.locations},
        municipalities={m.code: m for m in instance.municipalities},
    )


def objective_of(instance: Instance, assignment: dict[str, str | None]) -> float:
    """The objective of a placement (household UUID → location UUID or None) on a run's
    instance, as the solver counts it (``allocation.domain.objective``)."""
    location_index = {loc.id: i for i, loc in enumerate(instance.locations)}
    indices = [
        location_index[location_id] if (location_id := assignment.get(h.id)) else -1
        for h in instance.households
    ]
    return round(objective(instance, indices), 6)


def proposed_to_q(municipalities: set[str]) -> Q:
    """Households proposed to one of these municipalities in a proposal that was sent and not
    declined: the receiving municipality may see them to answer (residents' scope rule)."""
    return Q(
        pk__in=ProposalLine.objects.filter(
            run__state=RunState.SENT,
            location__municipality__code__in=municipalities,
            outcome=Outcome.OPEN,
        )
        .exclude(response=Response.DECLINED)
        .values("household_id")
    )


def runs_visible_to(*, user: User) -> QuerySet[PlacementRun]:
    """Coordinators see every run; municipal officers the runs sent to their municipality."""
    runs = PlacementRun.objects.select_related("created_by")
    if is_coordinator(user=user):
        return runs
    municipalities = officer_municipalities(user=user)
    if not municipalities:
        return runs.none()
    return runs.filter(
        state__in=(RunState.SENT, RunState.CLOSED),
        lines__location__municipality__code__in=municipalities,
    ).distinct()


def proposal_lines_visible_to(*, user: User) -> QuerySet[ProposalLine]:
    """The lines a user may see: all for a coordinator; for a municipal officer the households
    proposed to their own municipality in proposals that were sent."""
    lines = ProposalLine.objects.select_related(
        "run", "household", "location__municipality", "alternative__municipality", "responded_by"
    )
    if is_coordinator(user=user):
        return lines
    return lines.filter(
        run__state__in=(RunState.SENT, RunState.CLOSED),
        location__municipality__code__in=officer_municipalities(user=user),
    )


def lines_visible_to(*, user: User, run: PlacementRun) -> QuerySet[ProposalLine]:
    return (
        proposal_lines_visible_to(user=user)
        .filter(run=run)
        .order_by("location__municipality__name", "location__name", "pk")
    )


@dataclass
class LocationBlock:
    location: Any
    free: int
    beds: int = 0
    lines: list[Any] = field(default_factory=list)


@dataclass
class MunicipalityBlock:
    code: str
    name: str
    target: float
    present: float
    placed: int = 0
    locations: dict[int, LocationBlock] = field(default_factory=dict)

    @property
    def deviation_before(self) -> float:
        return round(self.present - self.target, 1)

    @property
    def deviation_after(self) -> float:
        return round(self.present + self.placed - self.target, 1)

    @property
    def closer(self) -> bool:
        return abs(self.deviation_after) <= abs(self.deviation_before)


@dataclass(frozen=True)
class Review:
    municipalities: list[MunicipalityBlock]
    unplaced: list[Any]
    objective: float | None  # the current objective, with changes by hand (whole runs only)
    deviation_before: float
    deviation_after: float
    placed_households: int
    placed_persons: int


def review(*, run: PlacementRun, lines: Iterable[ProposalLine]) -> Review:
    """A run laid out for its review: per municipality its fair share before and after, and per
    location the households proposed to it with why; the households left unplaced."""
    picture = run_picture(run)
    names = dict(
        Organisation.objects.filter(code__in=picture.municipalities).values_list("code", "name")
    )
    blocks: dict[str, MunicipalityBlock] = {
        m.code: MunicipalityBlock(m.code, names.get(m.code, m.code), m.target, m.present)
        for m in picture.instance.municipalities
    }
    unplaced = []
    lines = list(lines)
    for line in lines:
        line.explanation = explain(line, picture)  # type: ignore[attr-defined]
        if line.location is None:
            unplaced.append(line)
            continue
        code = line.location.municipality.code
        block = blocks.setdefault(
            code, MunicipalityBlock(code, line.location.municipality.name, 0.0, 0.0)
        )
        if line.outcome != Outcome.CONFLICT:
            block.placed += line.size
        snapshot = picture.locations.get(str(line.location.uuid))
        location_block = block.locations.setdefault(
            line.location.pk, LocationBlock(line.location, snapshot.free if snapshot else 0)
        )
        location_block.beds += line.beds
        location_block.lines.append(line)
    assignment = {
        str(x.household.uuid): str(x.location.uuid) if x.location else None for x in lines
    }
    complete = set(assignment) == set(picture.households)
    visible = [b for b in blocks.values() if b.locations or b.placed or b.target]
    placed = [x for x in lines if x.location is not None]
    return Review(
        municipalities=sorted(visible, key=lambda b: b.name),
        unplaced=unplaced,
        objective=objective_of(picture.instance, assignment) if complete else None,
        deviation_before=round(sum(abs(b.deviation_before) for b in blocks.values()), 1),
        deviation_after=round(sum(abs(b.deviation_after) for b in blocks.values()), 1),
        placed_households=len(placed),
        placed_persons=sum(x.size for x in placed),
    )


def explain(line: ProposalLine, picture: Picture) -> str:
    """One sentence a coordinator can defend the proposal with, in the reader's language."""
    if line.location is None:
        if line.overridden:
            return _("Not placed, by hand: %(reason)s") % {"reason": line.override_reason}
        return _("Not placed: %(reason)s") % {"reason": _unplaced_reason(line, picture)}
    household = picture.households.get(str(line.household.uuid))
    location = line.location
    municipality = location.municipality
    reasons = []
    if "tie" in line.score:
        reasons.append(_("ties with %(municipality)s") % {"municipality": municipality.name})
    if "family_unit" in line.score:
        reasons.append(_("family units"))
    needs = [n for n in (household.needs if household else ()) if n in NEED_FEATURE]
    if needs:
        labels = ", ".join(str(Need(n).label) for n in needs if n in Need.values)
        reasons.append(_("meets the needs: %(needs)s") % {"needs": labels})
    target = picture.municipalities.get(municipality.code)
    if target is not None and target.present < target.target:
        reasons.append(
            _("%(municipality)s is below its fair share") % {"municipality": municipality.name}
        )
    if "waste" in line.score:
        reasons.append(_("%(beds)d beds in a whole unit") % {"beds": line.beds})
    if not reasons:
        reasons.append(_("a suitable location with room"))
    text = _("To %(location)s in %(municipality)s: %(reasons)s.") % {
        "location": location.name,
        "municipality": municipality.name,
        "reasons": ", ".join(str(r) for r in reasons),
    }
    if line.overridden:
        text += " " + _("Moved by hand: %(reason)s.") % {"reason": line.override_reason}
    elif line.alternative is not None:
        text += " " + _("Not %(alternative)s: %(reason)s.") % {
            "alternative": line.alternative.name,
            "reason": line.get_alternative_reason_display(),
        }
    return text


def _unplaced_reason(line: ProposalLine, picture: Picture) -> str:
    household = picture.households.get(str(line.household.uuid))
    if household is None:
        return line.unplaced_reason
    suitable = [
        loc
        for loc in picture.locations.values()
        if (exclusion(household, dataclasses.replace(loc, free=10**6)) is None)
    ]
    if not suitable:
        return _("no location with room meets its needs or fits its composition")
    return _("every suitable location is full")


def waiting_count(*, on: datetime.date) -> int:
    """How many households a run on ``on`` would consider (waiting or announced, not yet in a
    proposal that was sent)."""
    return len(instance_on(on=on, skip=in_flight().households).households)


@dataclass(frozen=True)
class Option:
    location: Location
    municipality: str  # its name
    room: int  # free beds left beside the other households of the run
    beds: int
    effect: float  # change of the objective if the household moved here
    excluded: str | None


def line_options(*, line: ProposalLine, picture: Picture, limit: int = 12) -> list[Option]:
    """Where else this household could go in this run, best first, with the effect on the
    objective: what a coordinator weighs before moving it by hand."""
    household = picture.households.get(str(line.household.uuid))
    if household is None:
        return []
    weights = picture.instance.weights
    lines = list(
        line.run.lines.exclude(outcome=Outcome.CONFLICT).values_list(
            "pk", "location__uuid", "beds", "size", "location__municipality__code"
        )
    )
    taken: dict[str, int] = defaultdict(int)
    placed: dict[str, float] = defaultdict(float)
    for pk, location_id, beds, size, code in lines:
        if location_id is not None:
            if pk != line.pk:
                taken[str(location_id)] += beds
            placed[code] += size
    current = picture.locations.get(str(line.location.uuid)) if line.location else None

    def deviation(code: str, extra: float) -> float:
        m = picture.municipalities.get(code)
        return abs(m.present + placed[code] + extra - m.target) if m else 0.0

    current_score = current_fairness = 0.0
    if current is not None:
        current_score = sum(score(household, current, weights).values())
        current_fairness = weights.fairness * (
            deviation(current.municipality, 0) - deviation(current.municipality, -household.size)
        )
    options = []
    for location in picture.locations.values():
        if current is not None and location.id == current.id:
            continue
        room = location.free - taken[location.id]
        excluded = exclusion(household, dataclasses.replace(location, free=room))
        if excluded and not excluded.startswith("too few"):
            continue
        effect = sum(score(household, location, weights).values()) - current_score
        if current is None or current.municipality != location.municipality:
            effect += current_fairness - weights.fairness * (
                deviation(location.municipality, household.size)
                - deviation(location.municipality, 0)
            )
        options.append(
            Option(
                location=location,
                municipality=location.municipality,
                room=room,
                beds=usage(household, location) or household.size,
                effect=round(effect, 2),
                excluded=excluded,
            )
        )
    options.sort(key=lambda o: (o.excluded is not None, -o.effect, o.location.label))
    options = options[:limit]
    names = dict(
        Organisation.objects.filter(code__in={o.municipality for o in options}).values_list(
            "code", "name"
        )
    )
    return [
        dataclasses.replace(o, municipality=names.get(o.municipality, o.municipality))
        for o in options
    ]
