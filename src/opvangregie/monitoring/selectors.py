"""Figures for monitoring, for any date, at every level: region, housing region, municipality,
location. Nothing here is stored: every figure is computed from the stays and the capacity
history, through the capacity app's own selectors where they exist (``location_figures_on``,
``targets_progress_on``, ``broad_task_on``). No figure carries personal data.

Each selector does a fixed number of queries, however many locations or residents there are;
the aggregation up the levels happens in one pass in Python.
"""

import bisect
import datetime
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery

from opvangregie.accounts.constants import Role
from opvangregie.accounts.models import User
from opvangregie.accounts.selectors import user_roles
from opvangregie.capacity.constants import (
    OPERATING_STATUSES,
    SHORT_STAY_TYPES,
    LocationType,
    TaskKind,
)
from opvangregie.capacity.models import CapacityRecord, Location, LocationStatusEvent
from opvangregie.capacity.selectors import (
    BroadTask,
    Figures,
    LocationFigures,
    TargetProgress,
    broad_task_on,
    figures_per_municipality_and_type_on,
    location_figures_on,
    stays_on_q,
    targets_progress_on,
)
from opvangregie.core.dates import today
from opvangregie.core.memo import ScopedMemo
from opvangregie.organisations.constants import OrganisationKind
from opvangregie.organisations.models import Organisation
from opvangregie.organisations.selectors import (
    housing_regions_on,
    municipality_names_on,
    safety_regions_on,
)
from opvangregie.residents.constants import Arrival, DepartureReason, Sex
from opvangregie.residents.models import Stay

from .constants import AGE_BANDS, CNO_NORM_DAYS, LARGEST_SIZE_BAND, NO_UNIT, Level

LEVELS: tuple[str, ...] = tuple(Level.values)

# -- the structure: which unit at each level a municipality belongs to ------------------------


@dataclass(frozen=True)
class Unit:
    level: str
    code: str
    name: str


@dataclass(frozen=True)
class Place:
    """Where a municipality sits: itself, its housing region and its safety region."""

    municipality: Unit
    housing_region: Unit
    region: Unit

    def unit(self, level: str) -> Unit:
        if level == Level.REGION:
            return self.region
        if level == Level.HOUSING_REGION:
            return self.housing_region
        return self.municipality


_places: ScopedMemo[datetime.date, dict[str, Place]] = ScopedMemo("places_memo")
# pk -> (uuid, name, municipality code, municipality name), in the order of the pages
# (municipality name, location name); one key, None.
LocationDirectory = dict[int, tuple[str, str, str, str]]
_directory: ScopedMemo[None, LocationDirectory] = ScopedMemo("location_directory_memo")


@contextmanager
def places_memo() -> Iterator[None]:
    """Within this block ``places_on`` reads the structure once per date and
    ``location_directory`` the locations once: a dashboard or a report asks for them from
    several selectors, and they do not change meanwhile."""
    with _places.active(), _directory.active():
        yield


def location_directory() -> LocationDirectory:
    """Every location (also one closed since) with its municipality, whatever the date."""
    return _directory.get(None, _directory_read)


def _directory_read() -> LocationDirectory:
    return {
        pk: (str(uuid), name, code, municipality)
        for pk, uuid, name, code, municipality in Location.objects.order_by(
            "municipality__name", "name"
        ).values_list("pk", "uuid", "name", "municipality__code", "municipality__name")
    }


def places_on(*, on: datetime.date) -> dict[str, Place]:
    """Every municipality on a date (by CBS code) with its housing and safety region."""
    return _places.get(on, lambda: _places_read(on))


def _places_read(on: datetime.date) -> dict[str, Place]:
    regions = safety_regions_on(on=on)
    housing = housing_regions_on(on=on)
    places = {}
    for code, name in municipality_names_on(on=on):
        region_code, region_name = regions.get(code, (NO_UNIT, NO_UNIT))
        housing_code, housing_name = housing.get(code, (NO_UNIT, NO_UNIT))
        places[code] = Place(
            municipality=Unit(Level.MUNICIPALITY, code, name),
            housing_region=Unit(Level.HOUSING_REGION, housing_code, housing_name),
            region=Unit(Level.REGION, region_code, region_name),
        )
    return places


def place_of(places: Mapping[str, Place], code: str, name: str) -> Place:
    """The place of a municipality, also for one that is no longer (or not yet) in the structure."""
    return places.get(code) or Place(
        municipality=Unit(Level.MUNICIPALITY, code, name),
        housing_region=Unit(Level.HOUSING_REGION, NO_UNIT, NO_UNIT),
        region=Unit(Level.REGION, NO_UNIT, NO_UNIT),
    )


def _parents(place: Place, level: str) -> dict[str, str]:
    """The codes of the units above ``level`` (a location's municipality included)."""
    above = {
        Level.LOCATION: (Level.MUNICIPALITY, Level.HOUSING_REGION, Level.REGION),
        Level.MUNICIPALITY: (Level.HOUSING_REGION, Level.REGION),
        Level.HOUSING_REGION: (Level.REGION,),
        Level.REGION: (),
    }[Level(level)]
    return {str(up): place.unit(up).code for up in above}


def _check_level(level: str) -> Level:
    if level not in LEVELS:
        raise ValueError(level)
    return Level(level)


# -- scope: which figures a user may see -----------------------------------------------------


@dataclass(frozen=True)
class FiguresScope:
    """The units a user may see figures for, per level.

    ``visible[level]`` is ``None`` for every unit at that level, or the set of unit codes; for
    the location level the set holds the CBS codes of the municipalities whose locations are
    visible. A level that is missing is not visible at all.
    """

    visible: Mapping[str, frozenset[str] | None] = field(default_factory=dict)

    @property
    def levels(self) -> list[str]:
        return [level for level in LEVELS if level in self.visible]

    @property
    def is_empty(self) -> bool:
        return not self.visible

    def allows_level(self, level: str) -> bool:
        return level in self.visible

    def allows(self, *, level: str, code: str, municipality: str | None = None) -> bool:
        if level not in self.visible:
            return False
        codes = self.visible[level]
        if codes is None:
            return True
        return (municipality if level == Level.LOCATION else code) in codes

    def as_dict(self) -> dict[str, Any]:
        return {
            level: None if codes is None else sorted(codes) for level, codes in self.visible.items()
        }


EVERYTHING = FiguresScope(dict.fromkeys(LEVELS))

# Roles that see every unit of the region down to the municipalities (aggregates, no locations:
# a small location's figures come too close to the people in it).
REGION_WIDE_ROLES = frozenset({Role.STEERING_GROUP_MEMBER})
# Roles outside the region: the region and the housing regions only, the large aggregates, until
# small counts are suppressed (DESIGN.md: "small-count suppression in every aggregate that
# leaves the region").
OUTSIDE_ROLES = frozenset({Role.PROVINCE})
HOUSING_REGION_ROLES = frozenset({Role.RRT_MEMBER, Role.RRT_SECRETARY})


def figures_scope_for(*, user: User, on: datetime.date | None = None) -> FiguresScope:
    """Which levels and units ``user`` may see figures for (the union over the user's roles).

    - coordinator: everything, down to each location;
    - steering group member: every region, housing region and municipality;
    - province: every region and housing region (figures that leave the region stay coarse);
    - RRT member or secretary: the region, and their own housing region (a member held for a
      municipality sees that municipality's housing region);
    - municipal officer: the region, and their own municipality with its locations;
    - anyone else (administrator without another role, no role): nothing.
    """
    if not getattr(user, "is_authenticated", False):
        return FiguresScope()
    grants = user_roles(user=user, on=on)
    roles = {g.role for g in grants}
    if Role.COORDINATOR in roles:
        return EVERYTHING
    whole: set[str] = set()  # levels seen in full
    own: dict[str, set[str]] = defaultdict(set)  # levels seen for some units only
    if roles & REGION_WIDE_ROLES:
        whole.update((Level.REGION, Level.HOUSING_REGION, Level.MUNICIPALITY))
    if roles & OUTSIDE_ROLES:
        whole.update((Level.REGION, Level.HOUSING_REGION))
    housing = [g.organisation_code for g in grants if g.role in HOUSING_REGION_ROLES]
    officer = [g.organisation_code for g in grants if g.role == Role.MUNICIPAL_OFFICER]
    if housing or officer:
        whole.add(Level.REGION)
    if housing:
        places = places_on(on=on or today())
        kinds = dict(Organisation.objects.filter(code__in=housing).values_list("code", "kind"))
        for code in housing:
            if kinds.get(code) == OrganisationKind.MUNICIPALITY:
                if code in places and places[code].housing_region.code != NO_UNIT:
                    own[Level.HOUSING_REGION].add(places[code].housing_region.code)
            else:
                own[Level.HOUSING_REGION].add(code)
    for code in officer:
        own[Level.MUNICIPALITY].add(code)
        own[Level.LOCATION].add(code)
    return FiguresScope(
        {
            level: None if level in whole else frozenset(own[level])
            for level in LEVELS
            if level in whole or own.get(level)
        }
    )


def _allowed(scope: FiguresScope | None, level: str, code: str, municipality: str | None) -> bool:
    return scope is None or scope.allows(level=level, code=code, municipality=municipality)


# -- capacity and occupancy ------------------------------------------------------------------


def _by_type(figures: Mapping[str, Figures]) -> dict[str, Figures]:
    return {t: figures.get(t, Figures()) for t in LocationType.values}


@dataclass(frozen=True)
class UnitFigures:
    """Capacity and occupancy of one unit, in total and per location type.

    ``parents`` holds the codes of the units above it (for a location also its municipality);
    ``location_type`` and ``status`` are only set for a location.
    """

    level: str
    code: str
    name: str
    parents: Mapping[str, str]
    by_type: Mapping[str, Figures]
    location_type: str | None = None
    status: str | None = None

    @cached_property  # the figures are frozen: sum them once
    def total(self) -> Figures:
        return sum(self.by_type.values(), Figures())

    @cached_property  # the figures are frozen: sum them once
    def short_stay(self) -> Figures:
        return sum((f for t, f in self.by_type.items() if t in SHORT_STAY_TYPES), Figures())

    @cached_property  # the figures are frozen: sum them once
    def long_stay(self) -> Figures:
        return sum((f for t, f in self.by_type.items() if t not in SHORT_STAY_TYPES), Figures())

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"level": self.level, "code": self.code, "name": self.name}
        body["parents"] = dict(self.parents)
        if self.level == Level.LOCATION:
            body["type"] = self.location_type
            body["status"] = self.status
        body["total"] = self.total.as_dict()
        body["short_stay"] = self.short_stay.as_dict()
        body["long_stay"] = self.long_stay.as_dict()
        body["by_type"] = {t: f.as_dict() for t, f in self.by_type.items()}
        return body


@dataclass(frozen=True)
class LevelFigures:
    on: datetime.date
    level: str
    units: list[UnitFigures]

    def as_dict(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "level": self.level,
            "units": [u.as_dict() for u in self.units],
        }


# The columns of the figures in CSV: one row per unit and breakdown (total, short/long stay, type).
FIGURES_COLUMNS = [
    "on",
    "level",
    "code",
    "name",
    "breakdown",
    "capacity",
    "allocable",
    "occupied",
    "free",
    "free_allocable",
    "occupancy_pct",
]


def figures_rows(result: LevelFigures) -> list[list[Any]]:
    """The figures as rows under :data:`FIGURES_COLUMNS`."""
    rows = []
    for unit in result.units:
        parts = [("total", unit.total), ("short_stay", unit.short_stay)]
        parts += [("long_stay", unit.long_stay), *unit.by_type.items()]
        for breakdown, figures in parts:
            values = figures.as_dict()
            rows.append(
                [result.on.isoformat(), unit.level, unit.code, unit.name, breakdown]
                + [values[c] for c in FIGURES_COLUMNS[5:]]
            )
    return rows


def _location_unit(row: LocationFigures, place: Place) -> UnitFigures:
    return UnitFigures(
        level=Level.LOCATION,
        code=row.uuid,
        name=row.name,
        parents=_parents(place, Level.LOCATION),
        by_type=_by_type({row.type: row.figures}),
        location_type=row.type,
        status=row.status,
    )


def _per_municipality(rows: Iterable[LocationFigures]) -> dict[tuple[str, str, str], Figures]:
    """The figures per municipality (code, name) and location type: the levels above add up
    a few hundred of these, not every location."""
    sums: dict[tuple[str, str, str], Figures] = {}
    for row in rows:
        key = (row.municipality_code, row.municipality_name, row.type)
        sums[key] = sums.get(key, Figures()) + row.figures
    return sums


def _aggregate(
    rows: Iterable[LocationFigures],
    summed: Mapping[tuple[str, str, str], Figures],
    places: Mapping[str, Place],
    level: Level,
) -> list[UnitFigures]:
    """The units at ``level``: each location (``rows``), or the sums per municipality and type
    (``summed``, from :func:`_per_municipality`) added up to the units above."""
    if level == Level.LOCATION:
        return [
            _location_unit(r, place_of(places, r.municipality_code, r.municipality_name))
            for r in rows
        ]
    sums: dict[Unit, dict[str, Figures]] = {}
    parents: dict[Unit, dict[str, str]] = {}
    for place in places.values():  # every unit of the structure, also one without locations
        sums.setdefault(place.unit(level), {})
        parents.setdefault(place.unit(level), _parents(place, level))
    for (code, name, location_type), figures in summed.items():
        place = place_of(places, code, name)
        unit = place.unit(level)
        if unit not in parents:
            parents[unit] = _parents(place, level)
        by_type = sums.setdefault(unit, {})
        by_type[location_type] = by_type.get(location_type, Figures()) + figures
    return [
        UnitFigures(level, u.code, u.name, parents[u], _by_type(sums[u]))
        for u in sorted(sums, key=lambda u: (u.code == NO_UNIT, u.name))
    ]


def _filter(units: list[UnitFigures], scope: FiguresScope | None) -> list[UnitFigures]:
    return [
        u
        for u in units
        if _allowed(scope, u.level, u.code, u.parents.get(Level.MUNICIPALITY, u.code))
    ]


def figures_on(*, on: datetime.date, level: str, scope: FiguresScope | None = None) -> LevelFigures:
    """Capacity, allocable, occupied, free, free allocable and occupancy % per unit at ``level``
    on a date, in total, short/long stay and per location type; only units ``scope`` allows
    (``None``: all). Raises ``ValueError`` for an unknown level."""
    return figures_all_levels_on(on=on, levels=(level,), scope=scope)[level]


def figures_all_levels_on(
    *, on: datetime.date, levels: Iterable[str] = LEVELS, scope: FiguresScope | None = None
) -> dict[str, LevelFigures]:
    """:func:`figures_on` for several levels at once, from one computation of the occupancy:
    per location if the locations are wanted, else summed per municipality and location type by
    the database."""
    wanted = [_check_level(level) for level in levels]
    places = places_on(on=on)
    rows: list[LocationFigures] = []
    if Level.LOCATION in wanted:
        rows = location_figures_on(on=on)
        summed = _per_municipality(rows)  # once for all levels above the locations
    else:
        summed = figures_per_municipality_and_type_on(on=on)
    return {
        str(level): LevelFigures(
            on, str(level), _filter(_aggregate(rows, summed, places, level), scope)
        )
        for level in wanted
    }


@dataclass(frozen=True)
class HistoryPoint:
    day: datetime.date
    capacity: int
    occupied: int


def figures_history(
    *,
    now: LevelFigures,
    days: Iterable[datetime.date],
    codes: Iterable[str] | None = None,
) -> dict[str, list[HistoryPoint]]:
    """Capacity and occupied of every unit in ``now`` (the figures on a date; of the units with
    ``codes`` only, if given) on each of ``days`` (none after ``now.on``), by unit code, in a
    fixed number of queries whatever the number of days or locations: each equals
    :func:`figures_on` on that day for the units of the structure on ``now.on``.

    Worked back from ``now``: the occupied of a day is today's, less the stays that started
    after that day, plus those that ended after it (two grouped queries over the stays of the
    period); the capacity changes only at the locations with a status event or capacity record
    in the period, whose history is read in full (two small queries)."""
    on, level = now.on, Level(now.level)
    days = sorted(set(days))
    if days and days[-1] > on:
        raise ValueError("a day after the figures")
    if not days:
        return {u.code: [] for u in now.units}
    first = days[0]
    places = places_on(on=on)
    unit_of: dict[int, str] = {}
    for pk, (uuid, _name, code, name) in location_directory().items():
        unit_of[pk] = (
            uuid if level == Level.LOCATION else place_of(places, code, name).unit(level).code
        )
    wanted = None if codes is None else set(codes)
    within = None
    if wanted is not None:
        within = _pushed_down([pk for pk, u in unit_of.items() if u in wanted], len(unit_of))
    # later[unit][i]: the stays that started after days[i] (up to ``on``) less those that ended
    # after it. An event on ``day`` counts for the days before it: days[:bisect_left(days, day)].
    at: dict[str, list[int]] = defaultdict(lambda: [0] * (len(days) + 1))
    period = (first + datetime.timedelta(days=1), on)
    for field_name, sign in (("start_date", 1), ("end_date", -1)):
        stays = Stay.objects.filter(**{f"{field_name}__range": period})
        if within is not None:
            stays = stays.filter(location_id__in=within)
        grouped = (
            stays.order_by()
            .values("location_id", field_name)
            .annotate(n=Count("*"))  # (not the stay's id: the count reads the index only)
            .values_list("location_id", field_name, "n")
        )
        for location, day, n in grouped:
            at[unit_of[location]][bisect.bisect_left(days, day)] += sign * n
    later: dict[str, list[int]] = {}
    for unit, counts in at.items():
        running, suffix = 0, [0] * len(days)
        for i in range(len(days) - 1, -1, -1):
            running += counts[i + 1]
            suffix[i] = running
        later[unit] = suffix

    # capacity[unit][i]: the capacity on ``on`` less that on days[i], at the locations changed.
    changed = Location.objects.filter(
        Q(status_events__effective_date__range=period) | Q(capacity__valid_from__range=period)
    ).values("pk")
    statuses: dict[int, list[tuple[datetime.date, str]]] = defaultdict(list)
    for location, day, status in (
        LocationStatusEvent.objects.filter(location_id__in=changed, effective_date__lte=on)
        .order_by("location_id", "effective_date")
        .values_list("location_id", "effective_date", "status")
    ):
        statuses[location].append((day, status))
    beds: dict[int, list[tuple[datetime.date, int]]] = defaultdict(list)
    for location, day, n in (
        CapacityRecord.objects.filter(location_id__in=changed, valid_from__lte=on)
        .order_by("location_id", "valid_from")
        .values_list("location_id", "valid_from", "beds")
    ):
        beds[location].append((day, n))

    def capacity(location: int, day: datetime.date) -> int:
        status = [s for d, s in statuses[location] if d <= day]
        record = [n for d, n in beds[location] if d <= day]
        return record[-1] if status and record and status[-1] in OPERATING_STATUSES else 0

    lost: dict[str, list[int]] = defaultdict(lambda: [0] * len(days))
    for location in set(statuses) | set(beds):
        today_beds = capacity(location, on)
        changes = lost[unit_of[location]]
        for i, d in enumerate(days):
            changes[i] += today_beds - capacity(location, d)

    zero = [0] * len(days)
    history = {}
    for u in now.units:
        if wanted is not None and u.code not in wanted:
            continue
        total, unit_lost, unit_later = u.total, lost.get(u.code, zero), later.get(u.code, zero)
        history[u.code] = [
            HistoryPoint(day, total.capacity - unit_lost[i], total.occupied - unit_later[i])
            for i, day in enumerate(days)
        ]
    return history


# Above this many locations a list of them costs the database more than reading the stays of
# the locations left out (and the Python side filters them anyway).
_PUSHED_DOWN_LOCATIONS = 500


def _pushed_down(within: list[int], every: int) -> list[int] | None:
    """The locations ``within`` for a query to read only their stays, or ``None`` (read them
    all) when they are all ``every`` locations or the list would be long."""
    if len(within) == every or len(within) > _PUSHED_DOWN_LOCATIONS:
        return None
    return within


# -- flows: inflow and outflow per ISO week ------------------------------------------------------


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def week_label(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Tally:
    """A number of persons and the number of distinct households they belong to."""

    persons: int = 0
    households: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"persons": self.persons, "households": self.households}


@dataclass(frozen=True)
class WeekFlows:
    week: str
    starts_on: datetime.date
    arrivals: Tally
    departures: Tally
    departures_by_reason: Mapping[str, Tally]
    moves_in: Tally
    moves_out: Tally

    @property
    def inflow(self) -> int:
        """Persons coming in: arrivals plus moves in from another unit."""
        return self.arrivals.persons + self.moves_in.persons

    @property
    def outflow(self) -> int:
        """Persons going out: departures plus moves out to another unit."""
        return self.departures.persons + self.moves_out.persons

    @property
    def net(self) -> int:
        return self.inflow - self.outflow

    def as_dict(self) -> dict[str, Any]:
        return {
            "week": self.week,
            "starts_on": self.starts_on.isoformat(),
            "arrivals": self.arrivals.as_dict(),
            "departures": self.departures.as_dict(),
            "departures_by_reason": {
                reason: tally.as_dict() for reason, tally in self.departures_by_reason.items()
            },
            "moves_in": self.moves_in.as_dict(),
            "moves_out": self.moves_out.as_dict(),
            "inflow": self.inflow,
            "outflow": self.outflow,
            "net": self.net,
        }


@dataclass(frozen=True)
class UnitFlows:
    level: str
    code: str
    name: str
    parents: Mapping[str, str]
    weeks: list[WeekFlows]

    @property
    def net(self) -> int:
        return sum(w.net for w in self.weeks)

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "code": self.code,
            "name": self.name,
            "parents": dict(self.parents),
            "weeks": [w.as_dict() for w in self.weeks],
        }


@dataclass(frozen=True)
class Flows:
    """Flows per unit per ISO week from the Monday of ``start``'s week to the Sunday of
    ``end``'s week."""

    start: datetime.date
    end: datetime.date
    level: str
    units: list[UnitFlows]

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "level": self.level,
            "units": [u.as_dict() for u in self.units],
        }


FLOWS_COLUMNS = [
    "level",
    "code",
    "name",
    "week",
    "starts_on",
    "arrivals_persons",
    "arrivals_households",
    "moves_in_persons",
    "moves_out_persons",
    "departures_persons",
    "departures_households",
    *(f"departures_{reason}_persons" for reason in DepartureReason.values),
    "inflow",
    "outflow",
    "net",
]


def flows_rows(result: Flows) -> list[list[Any]]:
    """The flows as rows under :data:`FLOWS_COLUMNS`."""
    rows = []
    for unit in result.units:
        for w in unit.weeks:
            rows.append(
                [unit.level, unit.code, unit.name, w.week, w.starts_on.isoformat()]
                + [w.arrivals.persons, w.arrivals.households]
                + [w.moves_in.persons, w.moves_out.persons]
                + [w.departures.persons, w.departures.households]
                + [w.departures_by_reason[r].persons for r in DepartureReason.values]
                + [w.inflow, w.outflow, w.net]
            )
    return rows


class _Events:
    """Persons (counted per event) and households (distinct) per unit (by its code, unique
    within a level), week and kind."""

    def __init__(self, *, households: bool = True) -> None:
        self.persons: Counter[tuple[str, datetime.date, str]] = Counter()
        self.households: dict[tuple[str, datetime.date, str], set[int]] = defaultdict(set)
        self.mondays: dict[datetime.date, datetime.date] = {}
        self.count_households = households

    def add(self, unit: str, day: datetime.date, kind: str, household: int, n: int = 1) -> None:
        monday = self.mondays.get(day)
        if monday is None:
            monday = self.mondays[day] = week_start(day)
        key = (unit, monday, kind)
        self.persons[key] += n
        if self.count_households:
            self.households[key].add(household)

    def tally(self, unit: str, monday: datetime.date, kind: str) -> Tally:
        key = (unit, monday, kind)
        return Tally(self.persons[key], len(self.households.get(key, ())))


@dataclass(frozen=True)
class _StaysOfPeriod:
    """The stay events of a period, read once for every level: per person (with their
    household) when households are counted, else counted per location and day in the database
    (arrivals, departures per reason, and moves from one location to another)."""

    households: bool
    starts: list[tuple[Any, ...]] = field(default_factory=list)
    ends: list[tuple[Any, ...]] = field(default_factory=list)
    moves: list[tuple[Any, ...]] = field(default_factory=list)

    @classmethod
    def read(
        cls,
        first: datetime.date,
        last: datetime.date,
        *,
        households: bool,
        within: list[int] | None = None,
    ) -> "_StaysOfPeriod":
        """``within``: only the events that touch these locations are needed (``None``: all);
        the others may be read too."""
        started = Stay.objects.filter(start_date__range=(first, last)).order_by()
        ended = Stay.objects.filter(end_date__range=(first, last)).order_by()
        here = Q() if within is None else Q(location_id__in=within)
        if households:
            # Both halves of every move are read: a move counts where it leaves and arrives.
            if within is not None:
                started = started.filter(here | ~Q(arrival=Arrival.INTAKE))
                ended = ended.filter(here | Q(departure_reason=""))
            return cls(
                households,
                starts=list(
                    started.values_list(
                        "person_id", "person__household_id", "location_id", "start_date", "arrival"
                    )
                ),
                ends=list(
                    ended.values_list(
                        "person_id",
                        "person__household_id",
                        "location_id",
                        "end_date",
                        "departure_reason",
                    )
                ),
            )
        # A move: a stay that starts (not as an intake) on the day the same person's stay at
        # another location ended without a reason.
        source = (
            Stay.objects.filter(
                person=OuterRef("person"), end_date=OuterRef("start_date"), departure_reason=""
            )
            .order_by()  # (the default order joins the persons)
            .values("location_id")[:1]
        )
        return cls(
            households,
            starts=list(
                started.filter(here, arrival=Arrival.INTAKE)
                .values("location_id", "start_date")
                .annotate(n=Count("*"))
                .values_list("location_id", "start_date", "n")
            ),
            ends=list(
                ended.filter(here)
                .exclude(departure_reason="")
                .values("location_id", "end_date", "departure_reason")
                .annotate(n=Count("*"))
                .values_list("location_id", "end_date", "departure_reason", "n")
            ),
            moves=list(
                started.exclude(arrival=Arrival.INTAKE)
                .annotate(source=Subquery(source))  # none: not a move (skipped below)
                .filter(here | (Q() if within is None else Q(source__in=within)))
                .values("source", "location_id", "start_date")
                .annotate(n=Count("*"))
                .values_list("source", "location_id", "start_date", "n")
            ),
        )

    def events(self, unit_of: Mapping[int, str]) -> "_Events":
        events = _Events(households=self.households)
        if not self.households:
            for location, day, n in self.starts:
                events.add(unit_of[location], day, "arrival", 0, n)
            for location, day, reason, n in self.ends:
                events.add(unit_of[location], day, "departure", 0, n)
                events.add(unit_of[location], day, f"departure:{reason}", 0, n)
            for from_location, to_location, day, n in self.moves:
                if from_location is None:
                    continue
                source, target = unit_of[from_location], unit_of[to_location]
                if source != target:
                    events.add(source, day, "move_out", 0, n)
                    events.add(target, day, "move_in", 0, n)
            return events
        moved_from: dict[tuple[int, datetime.date], int] = {}
        for person, household, location, day, reason in self.ends:
            if reason:
                events.add(unit_of[location], day, "departure", household)
                events.add(unit_of[location], day, f"departure:{reason}", household)
            else:
                moved_from[(person, day)] = location  # the first half of a move, if one follows
        for person, household, location, day, arrival in self.starts:
            if arrival == Arrival.INTAKE:
                events.add(unit_of[location], day, "arrival", household)
            elif (person, day) in moved_from:
                source, target = unit_of[moved_from[(person, day)]], unit_of[location]
                if source != target:
                    events.add(source, day, "move_out", household)
                    events.add(target, day, "move_in", household)
        return events


def flows_between(
    *,
    start: datetime.date,
    end: datetime.date,
    level: str = Level.REGION,
    scope: FiguresScope | None = None,
    households: bool = True,
) -> Flows:
    """Inflow and outflow per ISO week for the units at ``level`` (three queries).

    - arrival: a stay that starts with arrival "intake" (a move is not an arrival);
    - departure: a stay that ends with a departure reason, counted per reason;
    - move in / move out: a move between two locations in different units at ``level`` (never
      at the region level within one safety region);
    persons count events (a person arriving twice counts twice), households are distinct.
    Units are those of the structure on ``end``. With ``households=False`` the households are
    not counted (every household tally is 0): for a caller that shows persons only, it saves
    joining the stays of the period with their persons.
    """
    return flows_all_levels_between(
        start=start, end=end, levels=(level,), scope=scope, households=households
    )[str(level)]


def flows_all_levels_between(
    *,
    start: datetime.date,
    end: datetime.date,
    levels: Iterable[str] = LEVELS,
    scope: FiguresScope | None = None,
    households: bool = True,
) -> dict[str, Flows]:
    """:func:`flows_between` for several levels at once, from one reading of the stays."""
    wanted = [_check_level(level) for level in levels]
    if end < start:
        raise ValueError("end before start")
    first, last = week_start(start), week_start(end) + datetime.timedelta(days=6)
    places = places_on(on=end)
    locations = {
        pk: (uuid, name, place_of(places, code, mname))
        for pk, (uuid, name, code, mname) in location_directory().items()
    }
    within = None
    if scope is not None:  # only the stays of the locations in a unit shown
        shown = [
            pk
            for pk, (uuid, _name, place) in locations.items()
            if any(
                scope.allows(
                    level=level,
                    code=uuid if level == Level.LOCATION else place.unit(level).code,
                    municipality=place.municipality.code,
                )
                for level in wanted
            )
        ]
        within = _pushed_down(shown, len(locations))
    stays = _StaysOfPeriod.read(first, last, households=households, within=within)
    mondays = [first + datetime.timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]
    return {
        str(level): Flows(
            start=first,
            end=last,
            level=level,
            units=_flows_at(level, places, locations, stays, mondays, scope),
        )
        for level in wanted
    }


def _flows_at(
    level: Level,
    places: Mapping[str, Place],
    locations: Mapping[int, tuple[str, str, Place]],
    stays: "_StaysOfPeriod",
    mondays: list[datetime.date],
    scope: FiguresScope | None,
) -> list[UnitFlows]:
    unit_of = {  # location id -> the code of its unit at ``level``
        pk: uuid if level == Level.LOCATION else place.unit(level).code
        for pk, (uuid, _name, place) in locations.items()
    }
    events = stays.events(unit_of)

    if level == Level.LOCATION:
        units = [
            (Unit(Level.LOCATION, uuid, name), _parents(place, Level.LOCATION))
            for uuid, name, place in locations.values()
        ]
    else:
        seen: dict[Unit, dict[str, str]] = {}
        every = [*places.values(), *(p for _u, _n, p in locations.values())]  # also one gone since
        for place in every:
            unit = place.unit(level)
            if unit not in seen:
                seen[unit] = _parents(place, level)
        units = sorted(seen.items(), key=lambda item: (item[0].code == NO_UNIT, item[0].name))
    result = []
    for unit, parents in units:
        if not _allowed(scope, level, unit.code, parents.get(Level.MUNICIPALITY, unit.code)):
            continue
        weeks = [
            WeekFlows(
                week=week_label(monday),
                starts_on=monday,
                arrivals=events.tally(unit.code, monday, "arrival"),
                departures=events.tally(unit.code, monday, "departure"),
                departures_by_reason={
                    r: events.tally(unit.code, monday, f"departure:{r}")
                    for r in DepartureReason.values
                },
                moves_in=events.tally(unit.code, monday, "move_in"),
                moves_out=events.tally(unit.code, monday, "move_out"),
            )
            for monday in mondays
        ]
        result.append(UnitFlows(level, unit.code, unit.name, parents, weeks))
    return result


# -- waiting at the crisis location (CNO) ----------------------------------------------------------


@dataclass(frozen=True)
class Waiting:
    """Who waits at a crisis location on a date and for how long (in whole days since the start
    of their current stay there). "Over 72 hours" is more than three days."""

    on: datetime.date
    persons: int
    households: int
    median_days: float | None
    max_days: int | None
    over_72h_persons: int
    over_72h_households: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "persons": self.persons,
            "households": self.households,
            "median_days": self.median_days,
            "max_days": self.max_days,
            "over_72h_persons": self.over_72h_persons,
            "over_72h_households": self.over_72h_households,
        }


@dataclass(frozen=True)
class WaitingAtCno:
    total: Waiting
    by_location: Mapping[str, Waiting]  # per CNO location, by its name

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.total.as_dict(),
            "by_location": {name: w.as_dict() for name, w in self.by_location.items()},
        }


def _waiting(on: datetime.date, rows: list[tuple[int, int]]) -> Waiting:
    """``rows``: (household id, days waited) per person."""
    days = [d for _h, d in rows]
    longest: dict[int, int] = {}
    for household, waited in rows:
        longest[household] = max(waited, longest.get(household, 0))
    return Waiting(
        on=on,
        persons=len(rows),
        households=len(longest),
        median_days=float(statistics.median(days)) if days else None,
        max_days=max(days) if days else None,
        over_72h_persons=sum(1 for d in days if d > CNO_NORM_DAYS),
        over_72h_households=sum(1 for d in longest.values() if d > CNO_NORM_DAYS),
    )


def waiting_at_cno_on(*, on: datetime.date) -> WaitingAtCno:
    """Persons and households staying at a crisis location on a date, with their waiting time:
    the median and longest number of days since the start of their stay there, and how many
    waited more than 72 hours (one query)."""
    stays = (
        Stay.objects.filter(stays_on_q(on), location__type__in=SHORT_STAY_TYPES)
        .order_by("location__name")
        .values_list("location__name", "person__household_id", "start_date")
    )
    per_location: dict[str, list[tuple[int, int]]] = defaultdict(list)
    everyone = []
    for name, household, started in stays:
        row = (household, (on - started).days)
        per_location[name].append(row)
        everyone.append(row)
    return WaitingAtCno(
        total=_waiting(on, everyone),
        by_location={name: _waiting(on, rows) for name, rows in per_location.items()},
    )


# -- composition of the residents ----------------------------------------------------------------


def age_band(birth_date: datetime.date, on: datetime.date) -> str:
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    label = AGE_BANDS[0][1]
    for lower, band in AGE_BANDS:
        if age >= lower:
            label = band
    return label


def size_band(size: int) -> str:
    return f"{LARGEST_SIZE_BAND}+" if size >= LARGEST_SIZE_BAND else str(size)


SIZE_BANDS = [size_band(n) for n in range(1, LARGEST_SIZE_BAND + 1)]


@dataclass(frozen=True)
class UnitComposition:
    """The residents of a unit on a date: households by size (the members staying in the unit),
    persons by age band and by sex."""

    level: str
    code: str
    name: str
    parents: Mapping[str, str]
    persons: int
    households: int
    household_sizes: Mapping[str, int]
    age_bands: Mapping[str, int]
    sexes: Mapping[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "code": self.code,
            "name": self.name,
            "parents": dict(self.parents),
            "persons": self.persons,
            "households": self.households,
            "household_sizes": dict(self.household_sizes),
            "age_bands": dict(self.age_bands),
            "sexes": dict(self.sexes),
        }


@dataclass(frozen=True)
class Composition:
    on: datetime.date
    level: str
    units: list[UnitComposition]

    def as_dict(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "level": self.level,
            "units": [u.as_dict() for u in self.units],
        }


def composition_on(
    *, on: datetime.date, level: str, scope: FiguresScope | None = None
) -> Composition:
    """Households by size, persons by age band and sex, per unit at ``level`` on a date (one
    query over the stays of that day, plus the structure). Units without residents are left
    out at the location level and shown empty at the others."""
    level = _check_level(level)
    places = places_on(on=on)
    stays = Stay.objects.filter(stays_on_q(on)).values_list(
        "location__uuid",
        "location__name",
        "location__municipality__code",
        "location__municipality__name",
        "person__household_id",
        "person__birth_date",
        "person__sex",
    )
    members: dict[Unit, Counter[int]] = defaultdict(Counter)
    ages: dict[Unit, Counter[str]] = defaultdict(Counter)
    sexes: dict[Unit, Counter[str]] = defaultdict(Counter)
    parents: dict[Unit, dict[str, str]] = {}
    if level != Level.LOCATION:
        for place in places.values():
            parents.setdefault(place.unit(level), _parents(place, level))
    for uuid, name, code, mname, household, birth_date, sex in stays:
        place = place_of(places, code, mname)
        unit = (
            Unit(Level.LOCATION, str(uuid), name) if level == Level.LOCATION else place.unit(level)
        )
        parents.setdefault(unit, _parents(place, level))
        members[unit][household] += 1
        ages[unit][age_band(birth_date, on)] += 1
        sexes[unit][sex] += 1
    units = []
    for unit in sorted(parents, key=lambda u: (u.code == NO_UNIT, u.name)):
        if not _allowed(scope, level, unit.code, parents[unit].get(Level.MUNICIPALITY, unit.code)):
            continue
        sizes = Counter(size_band(n) for n in members[unit].values())
        units.append(
            UnitComposition(
                level=level,
                code=unit.code,
                name=unit.name,
                parents=parents[unit],
                persons=sum(members[unit].values()),
                households=len(members[unit]),
                household_sizes={band: sizes[band] for band in SIZE_BANDS},
                age_bands={band: ages[unit][band] for _lower, band in AGE_BANDS},
                sexes={sex: sexes[unit][sex] for sex in Sex.values},
            )
        )
    return Composition(on=on, level=level, units=units)


# -- targets and the broad task ----------------------------------------------------------------


def _housing_region_codes(places: Mapping[str, Place]) -> dict[str, str]:
    """Housing region name → code (the capacity selectors name housing regions by name)."""
    return {p.housing_region.name: p.housing_region.code for p in places.values()}


def targets_progress_visible_on(
    *,
    on: datetime.date,
    scope: FiguresScope | None = None,
    kind: str = TaskKind.UKRAINIAN,
    municipalities: LevelFigures | None = None,
) -> TargetProgress:
    """Target against realised places per municipality and housing region
    (``capacity.selectors.targets_progress_on``), only the units ``scope`` allows. Given the
    figures of every municipality on ``on`` (``municipalities``, unscoped: a housing region adds
    up all its municipalities), the realised Ukrainian places are read from them (their
    long-stay capacity, the same number) instead of computed again."""
    realised = _realised(on, municipalities) if kind == TaskKind.UKRAINIAN else None
    progress = targets_progress_on(on=on, kind=kind, realised_places=realised)
    if scope is None:
        return progress
    codes = _housing_region_codes(places_on(on=on))
    return TargetProgress(
        on=progress.on,
        kind=progress.kind,
        municipalities=[
            p
            for p in progress.municipalities
            if scope.allows(level=Level.MUNICIPALITY, code=p.code)
        ],
        housing_regions=[
            p
            for p in progress.housing_regions
            if scope.allows(level=Level.HOUSING_REGION, code=codes.get(p.code, NO_UNIT))
        ],
    )


def _realised(on: datetime.date, municipalities: LevelFigures | None) -> dict[str, int] | None:
    """The realised Ukrainian places per municipality read from its figures (the capacity of
    its operating long-stay locations: the same number ``targets_progress_on`` computes)."""
    if municipalities is None:
        return None
    if municipalities.on != on or municipalities.level != Level.MUNICIPALITY:
        raise ValueError("the figures of the municipalities on the same day")
    return {u.code: u.long_stay.capacity for u in municipalities.units}


def broad_task_visible_on(
    *,
    on: datetime.date,
    scope: FiguresScope | None = None,
    municipalities: LevelFigures | None = None,
) -> BroadTask:
    """The broad task side by side (``capacity.selectors.broad_task_on``), only the
    municipalities and housing regions ``scope`` allows; ``municipalities`` as in
    :func:`targets_progress_visible_on`."""
    task = broad_task_on(on=on, realised_places=_realised(on, municipalities))
    if scope is None:
        return task
    codes = _housing_region_codes(places_on(on=on))
    return BroadTask(
        rows=[r for r in task.rows if scope.allows(level=Level.MUNICIPALITY, code=r.code)],
        housing_regions=[
            p
            for p in task.housing_regions
            if scope.allows(level=Level.HOUSING_REGION, code=codes.get(p.code, NO_UNIT))
        ],
    )
