"""The capacity runway: on which date free allocable capacity runs out under an inflow scenario.

For the region and each housing region, from a date ``on``:

    projected free allocable (t) = allocable (t) - occupied (on) - net inflow per week * days / 7

``allocable (t)`` follows the known capacity history and status events after ``on`` (the
pipeline: planned openings, capacity changes, closings); ``occupied (on)`` is today's
occupancy from ``capacity.selectors.occupancy_on``. The runway ends on the first day on which
the projected free allocable capacity is zero or less; with a net outflow (or no net inflow) and
no capacity lost, it never ends (``None``).

A scenario is either the average of the last 4 or 12 complete ISO weeks before the week of
``on`` (each unit its own average, from :func:`flows_between`), or numbers per week entered for
the region, divided over the housing regions by their share of the Ukrainian targets (by their
share of the allocable capacity when there are no targets).
"""

import datetime
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from opvangregie.capacity.constants import OPERATING_STATUSES, TaskKind
from opvangregie.capacity.models import CapacityRecord, Location, LocationStatusEvent
from opvangregie.capacity.selectors import targets_on

from .constants import FORECAST_WEEKS, Level
from .selectors import (
    FiguresScope,
    LevelFigures,
    Place,
    Unit,
    figures_all_levels_on,
    flows_all_levels_between,
    place_of,
    places_on,
    week_start,
)

LEVELS = (Level.REGION, Level.HOUSING_REGION)
AVERAGE, ENTERED = "average", "entered"


@dataclass(frozen=True)
class Scenario:
    """The assumption behind a forecast: an average over past weeks, or entered numbers."""

    method: str
    weeks: int | None = None
    inflow_per_week: int | None = None
    outflow_per_week: int | None = None

    @classmethod
    def average(cls, weeks: int) -> "Scenario":
        if weeks < 1:
            raise ValueError("weeks")
        return cls(AVERAGE, weeks=weeks)

    @classmethod
    def entered(cls, *, inflow_per_week: int, outflow_per_week: int = 0) -> "Scenario":
        if inflow_per_week < 0 or outflow_per_week < 0:
            raise ValueError("negative flow")
        return cls(ENTERED, inflow_per_week=inflow_per_week, outflow_per_week=outflow_per_week)


@dataclass(frozen=True)
class RunwayPoint:
    day: datetime.date
    allocable: int
    projected_occupied: float
    projected_free_allocable: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "allocable": self.allocable,
            "projected_occupied": round(self.projected_occupied, 1),
            "projected_free_allocable": round(self.projected_free_allocable, 1),
        }


@dataclass(frozen=True)
class Runway:
    """One unit's runway. ``inflow``/``outflow`` are persons per week under the scenario;
    ``share`` is the unit's share of entered numbers (``None`` for an average)."""

    level: str
    code: str
    name: str
    allocable: int
    occupied: int
    free_allocable: int
    inflow_per_week: Fraction
    outflow_per_week: Fraction
    share: Fraction | None
    runs_out_on: datetime.date | None
    series: list[RunwayPoint]

    @property
    def net_per_week(self) -> Fraction:
        return self.inflow_per_week - self.outflow_per_week

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "code": self.code,
            "name": self.name,
            "allocable": self.allocable,
            "occupied": self.occupied,
            "free_allocable": self.free_allocable,
            "inflow_per_week": round(float(self.inflow_per_week), 2),
            "outflow_per_week": round(float(self.outflow_per_week), 2),
            "net_per_week": round(float(self.net_per_week), 2),
            "share": None if self.share is None else round(float(self.share), 4),
            "runs_out_on": self.runs_out_on.isoformat() if self.runs_out_on else None,
            "series": [p.as_dict() for p in self.series],
        }


@dataclass(frozen=True)
class Forecast:
    on: datetime.date
    scenario: Scenario
    basis_from: datetime.date | None
    basis_to: datetime.date | None
    units: list[Runway] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "scenario": {
                "method": self.scenario.method,
                "weeks": self.scenario.weeks,
                "inflow_per_week": self.scenario.inflow_per_week,
                "outflow_per_week": self.scenario.outflow_per_week,
                "basis_from": self.basis_from.isoformat() if self.basis_from else None,
                "basis_to": self.basis_to.isoformat() if self.basis_to else None,
            },
            "units": [u.as_dict() for u in self.units],
        }


FORECAST_COLUMNS = [
    "level",
    "code",
    "name",
    "runs_out_on",
    "net_per_week",
    "day",
    "allocable",
    "projected_occupied",
    "projected_free_allocable",
]


def forecast_rows(result: Forecast) -> list[list[Any]]:
    """The weekly series as rows under :data:`FORECAST_COLUMNS`."""
    rows = []
    for unit in result.units:
        values = unit.as_dict()
        for point in unit.series:
            p = point.as_dict()
            rows.append(
                [
                    unit.level,
                    unit.code,
                    unit.name,
                    values["runs_out_on"],
                    values["net_per_week"],
                    p["day"],
                    p["allocable"],
                    p["projected_occupied"],
                    p["projected_free_allocable"],
                ]
            )
    return rows


class _AllocableTimeline:
    """Changes in allocable capacity per unit after ``on`` (two queries for all locations).

    A location's allocable capacity on a day is the beds minus blocked beds of its latest
    capacity record, when its latest status is an operating one; otherwise zero — the same
    rule as ``capacity.selectors.occupancy_on``.
    """

    def __init__(self, on: datetime.date, unit_of_location: Mapping[int, list[Unit]]) -> None:
        self.on = on
        records: dict[int, list[tuple[datetime.date, int]]] = defaultdict(list)
        for location, day, beds, blocked in CapacityRecord.objects.order_by(
            "location_id", "valid_from"
        ).values_list("location_id", "valid_from", "beds", "blocked_beds"):
            records[location].append((day, beds - blocked))
        statuses: dict[int, list[tuple[datetime.date, bool]]] = defaultdict(list)
        for location, day, status in LocationStatusEvent.objects.order_by(
            "location_id", "effective_date"
        ).values_list("location_id", "effective_date", "status"):
            statuses[location].append((day, status in OPERATING_STATUSES))
        # Per unit: the change in allocable capacity on each day after ``on``.
        self.changes: dict[Unit, dict[datetime.date, int]] = defaultdict(lambda: defaultdict(int))
        for location in set(records) | set(statuses):
            units = unit_of_location.get(location, [])
            days = sorted({d for d, _a in records[location]} | {d for d, _o in statuses[location]})
            before = self._allocable(records[location], statuses[location], on)
            for day in (d for d in days if d > on):
                after = self._allocable(records[location], statuses[location], day)
                for unit in units:
                    self.changes[unit][day] += after - before
                before = after

    @staticmethod
    def _allocable(
        records: list[tuple[datetime.date, int]],
        statuses: list[tuple[datetime.date, bool]],
        day: datetime.date,
    ) -> int:
        record = [a for d, a in records if d <= day]
        status = [o for d, o in statuses if d <= day]
        return record[-1] if record and status and status[-1] else 0

    def change_days(self, unit: Unit) -> list[datetime.date]:
        return sorted(d for d, delta in self.changes[unit].items() if delta)


def runs_out_on(
    *,
    on: datetime.date,
    occupied: int,
    net_per_week: Fraction,
    allocable: int,
    changes: Mapping[datetime.date, int] | None = None,
) -> datetime.date | None:
    """The first day from ``on`` on which ``allocable (t) - occupied - net * days / 7 <= 0``.

    ``allocable`` holds on ``on``; ``changes`` adds to it from the given (later) days.
    """
    steps = sorted((d, v) for d, v in (changes or {}).items() if d > on)
    segment_starts = [on] + [d for d, _v in steps]
    level = allocable
    for index, start in enumerate(segment_starts):
        if index:
            level += steps[index - 1][1]
        end = segment_starts[index + 1] if index + 1 < len(segment_starts) else None
        if level - occupied - net_per_week * (start - on).days / 7 <= 0:
            return start
        if net_per_week > 0:
            day = on + datetime.timedelta(days=math.ceil(7 * (level - occupied) / net_per_week))
            if day >= start and (end is None or day < end):
                return day
    return None


def _shares(
    on: datetime.date, units: list[Unit], allocable: Mapping[Unit, int]
) -> dict[Unit, Fraction]:
    """Each housing region's share of the region's Ukrainian targets (or of its allocable
    capacity when no targets hold on ``on``)."""
    places = places_on(on=on)
    targets: dict[Unit, int] = defaultdict(int)
    for (kind, code), amount in targets_on(on=on).items():
        if kind == TaskKind.UKRAINIAN and code in places:
            targets[places[code].housing_region] += amount
    weights = targets if sum(targets.values()) else allocable
    total = sum(weights.get(u, 0) for u in units)
    return {u: Fraction(weights.get(u, 0), total) if total else Fraction(0) for u in units}


def runway_on(
    *,
    on: datetime.date,
    scenario: Scenario,
    scope: FiguresScope | None = None,
    weeks: int = FORECAST_WEEKS,
    figures: Mapping[str, LevelFigures] | None = None,
) -> Forecast:
    """The capacity runway of the region and each housing region (those ``scope`` allows)
    on a date under ``scenario``, with a weekly series of ``weeks`` points after ``on``.
    A caller that has the unscoped figures of both levels on ``on`` passes them (``figures``)
    and saves computing them again."""
    if figures is None or any(lv not in figures or figures[lv].on != on for lv in LEVELS):
        figures = figures_all_levels_on(on=on, levels=LEVELS)
    units: list[tuple[Unit, int, int, int]] = []  # unit, allocable, occupied, free allocable
    for level in LEVELS:
        for u in figures[level].units:
            total = u.total
            units.append(
                (
                    Unit(level, u.code, u.name),
                    total.allocable,
                    total.occupied,
                    total.free_allocable,
                )
            )
    places = places_on(on=on)
    location_units = _location_units(places)
    timeline = _AllocableTimeline(on, location_units)

    inflow: dict[Unit, Fraction] = {}
    outflow: dict[Unit, Fraction] = {}
    shares: dict[Unit, Fraction] = {}
    basis_from = basis_to = None
    if scenario.method == AVERAGE:
        n = scenario.weeks or 1
        basis_to = week_start(on) - datetime.timedelta(days=1)
        basis_from = week_start(on) - datetime.timedelta(weeks=n)
        flows = flows_all_levels_between(start=basis_from, end=basis_to, levels=LEVELS)
        for level in LEVELS:
            for unit_flows in flows[level].units:
                unit = Unit(level, unit_flows.code, unit_flows.name)
                inflow[unit] = Fraction(sum(w.inflow for w in unit_flows.weeks), n)
                outflow[unit] = Fraction(sum(w.outflow for w in unit_flows.weeks), n)
    else:
        regions = [u for u, *_rest in units if u.level == Level.REGION]
        housing = [u for u, *_rest in units if u.level == Level.HOUSING_REGION]
        allocable_now = {u: a for u, a, _o, _f in units}
        shares = {u: Fraction(1) for u in regions} | _shares(on, housing, allocable_now)
        for unit, share in shares.items():
            inflow[unit] = share * (scenario.inflow_per_week or 0)
            outflow[unit] = share * (scenario.outflow_per_week or 0)

    result = []
    for unit, allocable, occupied, free in units:
        if scope is not None and not scope.allows(level=unit.level, code=unit.code):
            continue  # after the shares: they are shares of the whole region
        unit_in, unit_out = inflow.get(unit, Fraction(0)), outflow.get(unit, Fraction(0))
        net = unit_in - unit_out
        changes = {d: timeline.changes[unit][d] for d in timeline.change_days(unit)}
        series = []
        for k in range(weeks + 1):
            day = on + datetime.timedelta(weeks=k)
            projected = occupied + float(net) * k
            available = allocable + sum(v for d, v in changes.items() if d <= day)
            series.append(RunwayPoint(day, available, projected, available - projected))
        result.append(
            Runway(
                level=unit.level,
                code=unit.code,
                name=unit.name,
                allocable=allocable,
                occupied=occupied,
                free_allocable=free,
                inflow_per_week=unit_in,
                outflow_per_week=unit_out,
                share=shares.get(unit) if scenario.method == ENTERED else None,
                runs_out_on=runs_out_on(
                    on=on, occupied=occupied, net_per_week=net, allocable=allocable, changes=changes
                ),
                series=series,
            )
        )
    return Forecast(on, scenario, basis_from, basis_to, result)


def _location_units(places: Mapping[str, Place]) -> dict[int, list[Unit]]:
    """Per location (database id) the region and housing region it counts in."""
    result: dict[int, list[Unit]] = {}
    for pk, code, name in Location.objects.values_list(
        "pk", "municipality__code", "municipality__name"
    ):
        place = place_of(places, code, name)
        result[pk] = [place.region, place.housing_region]
    return result
