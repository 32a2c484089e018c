"""A synthetic but realistic reception scenario, generated with a fixed seed.

The demo (`make demo`) and the benchmarks need history: locations opening and closing since
March 2022, households arriving at the crisis location (CNO), moving on to municipal locations
after a few days, and leaving for their own reasons, with a few dozen waiting at the CNO today.

The scenario is simulated day by day in memory, respecting every rule the services enforce
(never more residents than allocable beds, no overlapping stays, intake only at open
locations), and then written in bulk: calling the services for each of 100,000 stays would
take hours. `scenario_check` verifies the written result with the same rules.
"""

import datetime
import heapq
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from opvangregie.capacity.constants import Feature, LocationStatus, LocationType
from opvangregie.capacity.models import (
    CapacityRecord,
    Location,
    LocationFeature,
    LocationStatusEvent,
)
from opvangregie.core.dates import today
from opvangregie.organisations.constants import MembershipKind, OrganisationKind, RegionKind
from opvangregie.organisations.models import Membership, Organisation, PopulationFigure

from .constants import Arrival, DepartureReason, Sex
from .models import Household, Person, Stay

START = datetime.date(2022, 3, 1)
PREFIX = "demo-"
WAIT_DAYS = 16

GIVEN_FEMALE = [
    "Olena",
    "Iryna",
    "Natalia",
    "Oksana",
    "Tetiana",
    "Svitlana",
    "Yulia",
    "Kateryna",
    "Anna",
    "Mariia",
    "Liudmyla",
    "Halyna",
    "Viktoriia",
    "Daria",
    "Sofiia",
    "Anastasiia",
]
GIVEN_MALE = [
    "Oleksandr",
    "Andrii",
    "Serhii",
    "Volodymyr",
    "Dmytro",
    "Mykola",
    "Ivan",
    "Yurii",
    "Maksym",
    "Artem",
    "Bohdan",
    "Taras",
    "Vasyl",
    "Denys",
    "Mykhailo",
    "Roman",
]
FAMILY = [
    "Melnyk",
    "Shevchenko",
    "Boiko",
    "Kovalenko",
    "Bondarenko",
    "Tkachenko",
    "Kravchenko",
    "Koval",
    "Oliinyk",
    "Shevchuk",
    "Polishchuk",
    "Lysenko",
    "Moroz",
    "Marchenko",
    "Savchenko",
    "Rudenko",
    "Petrenko",
    "Klymenko",
    "Pavlenko",
    "Kuzmenko",
]
DEPARTURE_REASONS = [
    (DepartureReason.OWN_HOUSING, 0.40),
    (DepartureReason.RETURNED, 0.28),
    (DepartureReason.OTHER_REGION, 0.17),
    (DepartureReason.LEFT_WITHOUT_NOTICE, 0.10),
    (DepartureReason.OTHER, 0.05),
]


@dataclass(frozen=True)
class Scale:
    name: str
    places: int  # long-stay places aimed for
    locations: int  # long-stay locations
    cno_beds: int
    arrivals_peak: float  # households per day in spring 2022
    arrivals_base: float  # households per day later on


SCALES = {
    "region": Scale(
        "region", places=3300, locations=80, cno_beds=100, arrivals_peak=22.0, arrivals_base=1.6
    ),
    "national": Scale(
        "national",
        places=95_000,
        locations=3000,
        cno_beds=2500,
        arrivals_peak=700.0,
        arrivals_base=45.0,
    ),
}


@dataclass
class _Loc:
    key: int
    name: str
    type: str
    municipality: int
    beds: int
    blocked: int
    opens: datetime.date
    closes: datetime.date | None
    capacity_changes: list[tuple[datetime.date, int]] = field(default_factory=list)
    features: list[str] = field(default_factory=list)
    occupied: int = 0
    db_id: int = 0
    initial_beds: int = 0

    def __post_init__(self) -> None:
        self.initial_beds = self.beds

    def allocable(self) -> int:
        return self.beds - self.blocked

    def open_on(self, day: datetime.date) -> bool:
        return self.opens <= day and (
            self.closes is None or day < self.closes - datetime.timedelta(days=30)
        )


@dataclass
class _Stay:
    location: int
    start: datetime.date
    end: datetime.date | None
    arrival: str
    reason: str = ""


@dataclass
class _Household:
    key: int
    persons: list[tuple[str, str, datetime.date, str]]
    stays: list[_Stay] = field(default_factory=list)
    location: int | None = None
    arrived: datetime.date | None = None

    @property
    def size(self) -> int:
        return len(self.persons)


@dataclass
class ScenarioReport:
    scale: str
    seed: int
    end: datetime.date
    municipalities: int
    locations: int
    households: int
    persons: int
    stays: int
    waiting_at_cno: int

    def as_dict(self) -> dict[str, object]:
        return {
            k: (v.isoformat() if isinstance(v, datetime.date) else v)
            for k, v in self.__dict__.items()
        }


def _days(a: datetime.date, b: datetime.date) -> int:
    return (b - a).days


def _arrival_rate(scale: Scale, day: datetime.date) -> float:
    """Households per day: a peak in spring 2022 that fades to a steady inflow."""
    t = _days(START, day)
    return scale.arrivals_base + (scale.arrivals_peak - scale.arrivals_base) * math.exp(-t / 45)


def _poisson(rng: random.Random, lam: float) -> int:
    if lam > 50:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _household(rng: random.Random, key: int, day: datetime.date) -> _Household:
    size = rng.choices([1, 2, 3, 4, 5, 6], weights=[34, 28, 20, 11, 5, 2])[0]
    family = rng.choice(FAMILY)
    persons = []
    # Mostly mothers with children and grandparents; few men of military age.
    adult_sex = Sex.FEMALE if rng.random() < 0.78 else Sex.MALE
    adult_age = rng.randint(19, 75)
    persons.append(_person(rng, family, adult_sex, adult_age, day))
    for i in range(1, size):
        if i == 1 and size >= 3 and rng.random() < 0.25:
            age = rng.randint(55, 85)
        else:
            age = rng.randint(0, 17) if adult_age < 60 else rng.randint(18, 45)
        sex = Sex.FEMALE if rng.random() < 0.5 else Sex.MALE
        persons.append(_person(rng, family, sex, age, day))
    return _Household(key=key, persons=persons)


def _person(
    rng: random.Random, family: str, sex: str, age: int, day: datetime.date
) -> tuple[str, str, datetime.date, str]:
    given = rng.choice(GIVEN_FEMALE if sex == Sex.FEMALE else GIVEN_MALE)
    birth = day - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
    return given, family, birth, sex


def _national_municipalities(rng: random.Random) -> list[Organisation]:
    """342 synthetic municipalities in 40 housing regions (codes GMN001…; never real ones)."""
    existing = list(Organisation.objects.filter(code__startswith="GMN").order_by("code"))
    if existing:
        return existing
    regions = Organisation.objects.bulk_create(
        Organisation(
            code=f"{PREFIX}woonregio-{i:02d}",
            kind=OrganisationKind.COOPERATION_REGION,
            region_kind=RegionKind.HOUSING,
            name=f"Synthetische woonregio {i:02d}",
        )
        for i in range(1, 41)
    )
    municipalities = Organisation.objects.bulk_create(
        Organisation(
            code=f"GMN{i:03d}",
            cbs_code=f"GMN{i:03d}",
            kind=OrganisationKind.MUNICIPALITY,
            name=f"Synthetische gemeente {i:03d}",
        )
        for i in range(1, 343)
    )
    regions = list(Organisation.objects.filter(code__startswith=f"{PREFIX}woonregio-"))
    municipalities = list(Organisation.objects.filter(code__startswith="GMN").order_by("code"))
    Membership.objects.bulk_create(
        Membership(member=m, group=regions[i % len(regions)], kind=MembershipKind.COOPERATION)
        for i, m in enumerate(municipalities)
    )
    PopulationFigure.objects.bulk_create(
        PopulationFigure(
            organisation=m,
            population=int(min(max(rng.lognormvariate(10.4, 0.8), 1000), 950_000)),
            reference_date=datetime.date(2024, 1, 1),
            status="synthetic",
        )
        for m in municipalities
    )
    return municipalities


def _populations(municipalities: list[Organisation]) -> dict[int, int]:
    figures = {
        f.organisation_id: f.population
        for f in PopulationFigure.objects.filter(organisation__in=municipalities).order_by(
            "reference_date"
        )
    }
    return {m.pk: figures.get(m.pk, 20_000) for m in municipalities}


def _plan_locations(
    rng: random.Random, scale: Scale, municipalities: list[Organisation], end: datetime.date
) -> list[_Loc]:
    populations = _populations(municipalities)
    total_pop = sum(populations.values())
    locations: list[_Loc] = []
    key = 0
    span = max(_days(START, min(end, datetime.date(2024, 12, 31))), 30)
    per_location = scale.places / scale.locations
    for municipality in municipalities:
        share = populations[municipality.pk] / total_pop
        count = max(1, round(scale.locations * share + rng.uniform(-0.4, 0.4)))
        for n in range(count):
            kind = rng.choices(
                [LocationType.MUNICIPAL, LocationType.PRIVATE_HOSTING, LocationType.OTHER],
                weights=[82, 10, 8],
            )[0]
            if kind == LocationType.PRIVATE_HOSTING:
                beds = rng.randint(2, 8)
            else:
                beds = max(6, int(rng.gauss(per_location * 1.1, per_location * 0.45)))
            opens = START + datetime.timedelta(
                days=int(rng.betavariate(1.1, 2.6) * span)
                if rng.random() > 0.25
                else rng.randint(3, 90)
            )
            closes = None
            if rng.random() < 0.18:
                closes = opens + datetime.timedelta(days=rng.randint(240, 900))
                if closes > end + datetime.timedelta(days=180):
                    closes = None
            blocked = rng.randint(1, max(1, beds // 8)) if rng.random() < 0.08 and beds > 10 else 0
            loc = _Loc(
                key=key,
                name=f"{_location_name(rng, kind, n)} {municipality.name} {n + 1}",
                type=kind,
                municipality=municipality.pk,
                beds=beds,
                blocked=blocked,
                opens=opens,
                closes=closes,
                features=[
                    f
                    for f, p in [
                        (Feature.WHEELCHAIR_ACCESSIBLE, 0.3),
                        (Feature.PETS_ALLOWED, 0.15),
                        (Feature.FAMILY_UNITS, 0.4),
                        (Feature.MEDICAL_CARE_NEARBY, 0.2),
                        (Feature.GROUND_FLOOR, 0.25),
                        (Feature.OWN_KITCHEN, 0.35),
                    ]
                    if rng.random() < p
                ],
            )
            if rng.random() < 0.2 and kind != LocationType.PRIVATE_HOSTING:
                when = opens + datetime.timedelta(days=rng.randint(60, 400))
                if when < end and (closes is None or when < closes - datetime.timedelta(days=60)):
                    loc.capacity_changes.append((when, beds + max(2, beds // rng.randint(4, 8))))
            locations.append(loc)
            key += 1
    return locations


def _location_name(rng: random.Random, kind: str, n: int) -> str:
    if kind == LocationType.PRIVATE_HOSTING:
        return f"Gastgezin {n + 1}"
    if kind == LocationType.OTHER:
        return rng.choice(["Hotel", "Vakantiepark", "Pension"])
    return rng.choice(
        [
            "Kantoorpand",
            "Voormalig verzorgingshuis",
            "Paviljoen",
            "Woonunits",
            "Voormalige school",
            "Kloostergebouw",
            "Flexwoningen",
            "Sporthal",
        ]
    )


def _cno(scale: Scale, municipalities: list[Organisation], rng: random.Random) -> list[_Loc]:
    existing = Location.objects.filter(type=LocationType.CNO, is_backup=False).order_by("pk")
    if scale.name == "region" and existing.exists():
        return [
            _Loc(
                key=-1 - i,
                name=loc.name,
                type=LocationType.CNO,
                municipality=loc.municipality_id,
                beds=scale.cno_beds,
                blocked=0,
                opens=START,
                closes=None,
                db_id=loc.pk,
            )
            for i, loc in enumerate(existing[:1])
        ]
    count = max(1, len(municipalities) // 14)
    beds = scale.cno_beds // count
    return [
        _Loc(
            key=-1 - i,
            name=f"CNO {municipalities[i * 14].name}",
            type=LocationType.CNO,
            municipality=municipalities[i * 14].pk,
            beds=beds,
            blocked=0,
            opens=START,
            closes=None,
        )
        for i in range(count)
    ]


def _simulate(
    rng: random.Random, scale: Scale, cnos: list[_Loc], locations: list[_Loc], end: datetime.date
) -> list[_Household]:
    households: list[_Household] = []
    at_cno: dict[int, list[_Household]] = defaultdict(list)
    departures: list[tuple[datetime.date, int, int]] = []  # (day, seq, household key)
    by_key: dict[int, _Household] = {}
    closing: dict[datetime.date, list[_Loc]] = defaultdict(list)
    changes: dict[datetime.date, list[tuple[_Loc, int]]] = defaultdict(list)
    for loc in locations:
        if loc.closes:
            closing[loc.closes].append(loc)
        for when, beds in loc.capacity_changes:
            changes[when].append((loc, beds))
    loc_by_key = {loc.key: loc for loc in locations + cnos}
    seq = 0
    day = START
    while day <= end:
        # Capacity grows where planned (never below the residents: it only grows).
        for loc, beds in changes.get(day, []):
            loc.beds = beds
        # Departures that fall today.
        while departures and departures[0][0] <= day:
            _when, _s, hkey = heapq.heappop(departures)
            hh = by_key[hkey]
            if hh.location is None or loc_by_key[hh.location].type == LocationType.CNO:
                continue
            _end_stay(hh, day, rng.choices(*zip(*DEPARTURE_REASONS, strict=True))[0])
            loc_by_key[hh.location].occupied -= hh.size
            hh.location = None
        # Locations that close today: residents move elsewhere, or leave for own housing.
        for loc in closing.get(day, []):
            for hh in [h for h in by_key.values() if h.location == loc.key]:
                target = _find_room(rng, locations, hh.size, day, exclude=loc.key)
                loc.occupied -= hh.size
                if target is None:
                    _end_stay(hh, day, DepartureReason.OWN_HOUSING)
                    hh.location = None
                else:
                    _end_stay(hh, day, "")
                    _start_stay(hh, target, day, Arrival.MOVE)
        # Placement from the CNO after one to three nights. In the last two weeks the municipal
        # locations take no one (a shortage), so a few dozen households wait at the CNO today.
        if _days(day, end) > WAIT_DAYS:
            for cno in cnos:
                still: list[_Household] = []
                for hh in at_cno[cno.key]:
                    if _days(hh.arrived or day, day) < rng.randint(1, 3):
                        still.append(hh)
                        continue
                    target = _find_room(rng, locations, hh.size, day)
                    if target is None:
                        still.append(hh)
                        continue
                    cno.occupied -= hh.size
                    _end_stay(hh, day, "")
                    _start_stay(hh, target, day, Arrival.MOVE)
                    seq += 1
                    leave = day + datetime.timedelta(days=int(rng.expovariate(1 / 520)) + 30)
                    heapq.heappush(departures, (leave, seq, hh.key))
                at_cno[cno.key] = still
        # Arrivals at the CNO, as far as it has room.
        for _ in range(_poisson(rng, _arrival_rate(scale, day))):
            hh = _household(rng, len(households), day)
            cno = rng.choice(cnos)
            if cno.occupied + hh.size > cno.allocable():
                continue
            households.append(hh)
            by_key[hh.key] = hh
            hh.arrived = day
            _start_stay(hh, cno, day, Arrival.INTAKE)
            at_cno[cno.key].append(hh)
        day += datetime.timedelta(days=1)
    return households


def _find_room(
    rng: random.Random, locations: list[_Loc], size: int, day: datetime.date, exclude: int = -99
) -> _Loc | None:
    """A random open location with room, more likely the more room it has."""
    candidates = [
        loc
        for loc in rng.sample(locations, min(len(locations), 40))
        if loc.key != exclude and loc.open_on(day) and loc.allocable() - loc.occupied >= size
    ]
    if not candidates:
        return None
    return rng.choices(candidates, weights=[c.allocable() - c.occupied for c in candidates])[0]


def _start_stay(hh: _Household, loc: _Loc, day: datetime.date, arrival: str) -> None:
    hh.stays.append(_Stay(loc.key, day, None, arrival))
    hh.location = loc.key
    loc.occupied += hh.size


def _end_stay(hh: _Household, day: datetime.date, reason: str) -> None:
    stay = hh.stays[-1]
    stay.end = day
    stay.reason = reason


@transaction.atomic
def scenario_generate(
    *, seed: int = 42, scale: str = "region", end: datetime.date | None = None
) -> ScenarioReport:
    """Generate the scenario into the database (refused if one is there already)."""
    if Household.objects.filter(external_id__startswith=PREFIX).exists():
        raise ValueError("A demo scenario is loaded already; use scenario_delete first.")
    spec = SCALES[scale]
    end = end or today()
    rng = random.Random(seed)  # noqa: S311 - a reproducible simulation, not security
    if scale == "national":
        municipalities = _national_municipalities(rng)
    else:
        municipalities = list(
            Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
            .exclude(code__startswith="GMN")
            .order_by("code")
        )
    if not municipalities:
        raise ValueError("Load the reference data first (opvangregie load-reference).")
    cnos = _cno(spec, municipalities, rng)
    locations = _plan_locations(rng, spec, municipalities, end)
    households = _simulate(rng, spec, cnos, locations, end)
    _write(cnos, locations, households, end)
    persons = sum(h.size for h in households)
    return ScenarioReport(
        scale=scale,
        seed=seed,
        end=end,
        municipalities=len(municipalities),
        locations=len(locations) + len(cnos),
        households=len(households),
        persons=persons,
        stays=sum(len(h.stays) * h.size for h in households),
        waiting_at_cno=sum(1 for h in households if h.location is not None and h.location < 0),
    )


def _write(
    cnos: list[_Loc], locations: list[_Loc], households: list[_Household], end: datetime.date
) -> None:
    new_cnos = [c for c in cnos if not c.db_id]
    rows = Location.objects.bulk_create(
        Location(
            external_id=f"{PREFIX}loc-{loc.key if loc.key >= 0 else 'cno' + str(-loc.key)}",
            name=loc.name,
            type=loc.type,
            municipality_id=loc.municipality,
            note="Synthetische demolocatie",
        )
        for loc in locations + new_cnos
    )
    ids = {
        r.external_id: r.pk
        for r in Location.objects.filter(external_id__startswith=f"{PREFIX}loc-")
    }
    del rows
    for loc in locations + new_cnos:
        loc.db_id = ids[f"{PREFIX}loc-{loc.key if loc.key >= 0 else 'cno' + str(-loc.key)}"]
    events: list[LocationStatusEvent] = []
    records: list[CapacityRecord] = []
    features: list[LocationFeature] = []
    for loc in locations + new_cnos:
        events.append(
            LocationStatusEvent(
                location_id=loc.db_id, status=LocationStatus.OPEN, effective_date=loc.opens
            )
        )
        if loc.closes:
            events.append(
                LocationStatusEvent(
                    location_id=loc.db_id,
                    status=LocationStatus.CLOSING,
                    effective_date=loc.closes - datetime.timedelta(days=30),
                )
            )
            events.append(
                LocationStatusEvent(
                    location_id=loc.db_id, status=LocationStatus.CLOSED, effective_date=loc.closes
                )
            )
        records.append(
            CapacityRecord(
                location_id=loc.db_id,
                valid_from=loc.opens,
                beds=loc.initial_beds,
                blocked_beds=loc.blocked,
                blocked_reason="renovatie" if loc.blocked else "",
            )
        )
        for when, beds in loc.capacity_changes:
            records.append(
                CapacityRecord(
                    location_id=loc.db_id,
                    valid_from=when,
                    beds=beds,
                    blocked_beds=loc.blocked,
                    blocked_reason="renovatie" if loc.blocked else "",
                )
            )
        features.extend(LocationFeature(location_id=loc.db_id, feature=f) for f in loc.features)
    LocationStatusEvent.objects.bulk_create(events, batch_size=2000)
    CapacityRecord.objects.bulk_create(records, batch_size=2000)
    LocationFeature.objects.bulk_create(features, batch_size=2000)
    db_loc = {loc.key: loc.db_id for loc in locations + cnos}
    Household.objects.bulk_create(
        (Household(external_id=f"{PREFIX}hh-{hh.key:06d}") for hh in households), batch_size=2000
    )
    hh_ids = dict(
        Household.objects.filter(external_id__startswith=PREFIX).values_list("external_id", "pk")
    )
    Person.objects.bulk_create(
        (
            Person(
                household_id=hh_ids[f"{PREFIX}hh-{hh.key:06d}"],
                external_id=f"{PREFIX}p-{hh.key:06d}-{i}",
                given_name=given,
                family_name=family,
                birth_date=birth,
                sex=sex,
                languages="uk,ru" if i % 3 else "uk",
            )
            for hh in households
            for i, (given, family, birth, sex) in enumerate(hh.persons)
        ),
        batch_size=2000,
    )
    person_ids = dict(
        Person.objects.filter(external_id__startswith=PREFIX).values_list("external_id", "pk")
    )
    Stay.objects.bulk_create(
        (
            Stay(
                person_id=person_ids[f"{PREFIX}p-{hh.key:06d}-{i}"],
                location_id=db_loc[stay.location],
                start_date=stay.start,
                end_date=stay.end,
                arrival=stay.arrival,
                departure_reason=stay.reason,
            )
            for hh in households
            for i in range(hh.size)
            for stay in hh.stays
        ),
        batch_size=2000,
    )


@transaction.atomic
def scenario_delete() -> int:
    """Remove a generated scenario (its stays, persons, households and locations)."""
    stays = Stay.objects.filter(person__household__external_id__startswith=PREFIX)
    count = stays.count()
    stays.delete()
    Person.objects.filter(household__external_id__startswith=PREFIX).delete()
    Household.objects.filter(external_id__startswith=PREFIX).delete()
    Location.objects.filter(external_id__startswith=f"{PREFIX}loc-").delete()
    return count


def scenario_check(*, days: list[datetime.date]) -> list[str]:
    """Problems with the rules (empty when all holds): no location fuller than its allocable
    beds on the given days, and no person with overlapping stays."""
    from opvangregie.capacity.selectors import occupancy_on

    problems = []
    for day in days:
        for row in occupancy_on(on=day, include_inactive=True).locations:
            if row.figures.occupied > row.figures.allocable:
                problems.append(
                    f"{day} {row.name}: {row.figures.occupied} > {row.figures.allocable}"
                )
    previous: tuple[int, datetime.date | None] | None = None
    for person, start, stop in Stay.objects.order_by("person", "start_date").values_list(
        "person", "start_date", "end_date"
    ):
        if previous and previous[0] == person and (previous[1] is None or previous[1] > start):
            problems.append(f"person {person} has overlapping stays from {start}")
        previous = (person, stop)
    return problems
