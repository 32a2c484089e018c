"""The placement instance of a date, read from the live picture (no personal data leaves here:
households are identified by their UUID)."""

import datetime
from collections import defaultdict

from opvangregie.allocation.domain import Household, Instance, Location, Municipality, Weights
from opvangregie.capacity.constants import RECEIVING_STATUSES, SHORT_STAY_TYPES
from opvangregie.capacity.models import CapacityRecord, DistributionKey, LocationFeature
from opvangregie.capacity.selectors import occupancy_on, stays_on_q
from opvangregie.core.validity import valid_on_q
from opvangregie.residents.models import Household as HouseholdModel
from opvangregie.residents.models import HouseholdNeed, HouseholdTie, Person


def _age(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def instance_on(*, on: datetime.date, weights: Weights | None = None) -> Instance:
    """Households waiting at a crisis location (CNO) on ``on``, the free allocable beds of the
    receiving long-stay locations, and per municipality its fair share of all residents."""
    occupancy = occupancy_on(on=on)
    long_stay = [r for r in occupancy.locations if not r.short_stay]
    receiving = [
        r for r in long_stay if r.status in RECEIVING_STATUSES and r.figures.free_allocable > 0
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
            free=r.figures.free_allocable,
            features=tuple(sorted(features[r.location_id])),
            unit_sizes=units.get(r.location_id, ()),
            name=r.name,
        )
        for r in receiving
    )
    waiting = HouseholdModel.objects.filter(
        stays_on_q(on, "persons__stays__"), persons__stays__location__type__in=SHORT_STAY_TYPES
    ).distinct()
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
