"""The content of a weekly report: a JSON-ready document computed from the monitoring
selectors for one ISO week and one audience, with small counts suppressed for audiences outside
the region. The same document is rendered to the page, PDF, XLSX and CSV, and frozen as it is
when a report is issued (docs/reports.md).

The document holds numbers and names only: no personal data (no names of persons, birth dates,
household ids or BSNs), and for a suppressed audience every count from 1 to 4 is ``"<5"``.
"""

import datetime
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings

from opvangregie.monitoring.constants import NO_UNIT, Level
from opvangregie.monitoring.forecast import Scenario, runway_on
from opvangregie.monitoring.selectors import (
    LevelFigures,
    UnitFigures,
    UnitFlows,
    broad_task_visible_on,
    figures_all_levels_on,
    flows_all_levels_between,
    places_memo,
    targets_progress_visible_on,
    waiting_at_cno_on,
    week_label,
)

from .constants import (
    AUDIENCE_HOUSING_REGION,
    BREAKDOWNS,
    DEFAULT_SMALL_COUNT_THRESHOLD,
    DEFAULT_SUPPRESSION_AUDIENCES,
    FLOW_WEEKS,
    HIDDEN,
    RUNWAY_BASIS_WEEKS,
    SCHEMA,
    Audience,
)
from .summary import summary_facts
from .suppression import NOTHING_HIDDEN, Table, protect

WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{2})$")

FIGURE_FIELDS = ("capacity", "allocable", "occupied", "free_allocable", "occupancy_pct")
FLOW_FIELDS = (
    "arrivals",
    "arrivals_households",
    "departures",
    "departures_households",
    "inflow",
    "outflow",
    "net",
)
FLOW_SUMS = ("arrivals", "departures", "inflow", "outflow", "net")
_COMPUTED_LEVELS = (Level.REGION, Level.HOUSING_REGION, Level.MUNICIPALITY)
WAITING_COUNTS = ("persons", "households", "over_72h_persons", "over_72h_households")


class InvalidWeekError(ValueError):
    pass


def week_monday(week: str) -> datetime.date:
    """The Monday of an ISO week written ``YYYY-Www``."""
    match = WEEK_PATTERN.match(week or "")
    if not match:
        raise InvalidWeekError(week)
    try:
        return datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError as exc:
        raise InvalidWeekError(week) from exc


def week_of(day: datetime.date) -> str:
    return week_label(day)


def suppressed_for(audience: str) -> bool:
    audiences = getattr(settings, "SUPPRESSION_AUDIENCES", DEFAULT_SUPPRESSION_AUDIENCES)
    return audience in audiences


def threshold() -> int:
    return int(getattr(settings, "SMALL_COUNT_THRESHOLD", DEFAULT_SMALL_COUNT_THRESHOLD))


# -- which units an audience gets ---------------------------------------------------------


def _levels(audience: str) -> tuple[str, ...]:
    if audience == Audience.PROVINCE:
        return (Level.REGION, Level.HOUSING_REGION)
    if audience in AUDIENCE_HOUSING_REGION:
        return (Level.HOUSING_REGION, Level.MUNICIPALITY)
    return (Level.REGION, Level.HOUSING_REGION, Level.MUNICIPALITY)


def _in_audience(audience: str, level: str, code: str, parents: Mapping[str, str]) -> bool:
    housing = AUDIENCE_HOUSING_REGION.get(audience)
    if housing is None:
        return True
    if level == Level.HOUSING_REGION:
        return code == housing
    return parents.get(Level.HOUSING_REGION) == housing


def _unit_key(level: str, code: str) -> str:
    return f"{level}:{code}"


# -- the numbers ---------------------------------------------------------------------------


def _breakdown(unit: UnitFigures, name: str) -> Any:
    if name == "total":
        return unit.total
    if name == "short_stay":
        return unit.short_stay
    if name == "long_stay":
        return unit.long_stay
    return unit.by_type[name]


def _units(
    audience: str, figures: Mapping[str, Any]
) -> list[tuple[str, str, str, dict[str, str], UnitFigures]]:
    """(level, code, name, parents, figures) of every unit of the audience, top level first."""
    units = []
    for level in _levels(audience):
        for unit in figures[level].units:
            if not _in_audience(audience, level, unit.code, unit.parents):
                continue
            if unit.code == NO_UNIT and unit.total.capacity == 0 and unit.total.occupied == 0:
                continue
            units.append((str(level), unit.code, unit.name, dict(unit.parents), unit))
    return units


def _flow_value(week: Any, name: str) -> int:
    values: dict[str, int] = {
        "arrivals": week.arrivals.persons,
        "arrivals_households": week.arrivals.households,
        "departures": week.departures.persons,
        "departures_households": week.departures.households,
        "inflow": week.inflow,
        "outflow": week.outflow,
        "net": week.net,
    }
    return values[name]


def report_content(*, week: str, audience: str) -> dict[str, Any]:
    """The live report of ``audience`` for ISO ``week`` (``YYYY-Www``), as of the week's last
    day, with small counts suppressed when the audience leaves the region."""
    if audience not in Audience.values:
        raise ValueError(audience)
    with places_memo():
        return _report_content(week=week, audience=audience)


def _report_content(*, week: str, audience: str) -> dict[str, Any]:
    monday = week_monday(week)
    on = monday + datetime.timedelta(days=6)
    previous_on = on - datetime.timedelta(days=7)
    levels = _levels(audience)
    # Every level the report reads (its own, the runway's, the municipalities for the realised
    # places) from one computation of the occupancy.
    now = figures_all_levels_on(on=on, levels=_COMPUTED_LEVELS)
    before = figures_all_levels_on(on=previous_on, levels=levels)
    units = _units(audience, now)
    keys = [_unit_key(level, code) for level, code, *_rest in units]
    before_by_key = {_unit_key(level, u.code): u for level in levels for u in before[level].units}
    first_monday = monday - datetime.timedelta(weeks=FLOW_WEEKS - 1)
    flows: dict[str, UnitFlows] = {}
    for level, level_flows in flows_all_levels_between(
        start=first_monday, end=on, levels=levels
    ).items():
        for unit_flows in level_flows.units:
            flows[_unit_key(level, unit_flows.code)] = unit_flows
    weeks = [week_label(first_monday + datetime.timedelta(weeks=n)) for n in range(FLOW_WEEKS)]
    waiting = waiting_at_cno_on(on=on)
    forecast = runway_on(on=on, scenario=Scenario.average(RUNWAY_BASIS_WEEKS), figures=now)

    # -- the cells and what a reader knows about them -----------------------------------
    table = Table()
    for (_level, _code, _name, _parents, unit), key in zip(units, keys, strict=True):
        for period, source in (("now", unit), ("before", before_by_key.get(key))):
            for breakdown in BREAKDOWNS:
                occupied = _breakdown(source, breakdown).occupied if source else 0
                table.cell(
                    f"occupied:{period}:{key}:{breakdown}",
                    occupied,
                    importance=_importance(period, breakdown),
                )
            cell = f"occupied:{period}:{key}:"
            table.total(cell + "total", [cell + "short_stay", cell + "long_stay"])
            table.total(cell + "short_stay", [cell + "cno"])
            table.total(
                cell + "long_stay", [cell + t for t in ("municipal", "private_hosting", "other")]
            )
        by_week = {w.week: w for w in flows[key].weeks} if key in flows else {}
        for label in weeks:
            flow_week = by_week.get(label)
            for name in FLOW_FIELDS:
                value = _flow_value(flow_week, name) if flow_week else 0
                table.cell(
                    f"flow:{label}:{key}:{name}",
                    value,
                    count=name != "net",
                    importance=2 if label == weeks[-1] and name in ("inflow", "outflow") else 0,
                )
            cell = f"flow:{label}:{key}:"
            table.relate({cell + "inflow": 1, cell + "outflow": -1, cell + "net": -1})
            # Without moves (always so for a whole safety region) inflow is the arrivals.
            table.relate({cell + "inflow": 1, cell + "arrivals": -1})
            table.relate({cell + "outflow": 1, cell + "departures": -1})
        for name in FLOW_SUMS:
            table.cell(
                f"sum4:{key}:{name}",
                sum(table.values[f"flow:{w}:{key}:{name}"] for w in weeks[1:]),
                count=name != "net",
            )
            table.total(f"sum4:{key}:{name}", [f"flow:{w}:{key}:{name}" for w in weeks[1:]])
        for name in ("inflow", "outflow"):
            table.cell(
                f"basis:{key}:{name}",
                sum(table.values[f"flow:{w}:{key}:{name}"] for w in weeks[:-1]),
            )
            table.total(f"basis:{key}:{name}", [f"flow:{w}:{key}:{name}" for w in weeks[:-1]])
        table.relate(
            {
                f"occupied:now:{key}:total": 1,
                f"occupied:before:{key}:total": -1,
                f"flow:{weeks[-1]}:{key}:net": -1,
            }
        )
    # Units add up to the unit above them (per breakdown, per week).
    for level, code, _name, _parents, _unit in units:
        below = [
            _unit_key(lv, c)
            for lv, c, _n, p, _u in units
            if p.get(level) == code and lv == _next_level(level)
        ]
        if not below:
            continue
        key = _unit_key(level, code)
        for period in ("now", "before"):
            for breakdown in BREAKDOWNS:
                table.total(
                    f"occupied:{period}:{key}:{breakdown}",
                    [f"occupied:{period}:{b}:{breakdown}" for b in below],
                )
        for label in weeks:
            for name in FLOW_SUMS:  # inflow, outflow and net only add up without moves between
                table.total(
                    f"flow:{label}:{key}:{name}", [f"flow:{label}:{b}:{name}" for b in below]
                )
        for name in FLOW_SUMS:
            table.total(f"sum4:{key}:{name}", [f"sum4:{b}:{name}" for b in below])
        for name in ("inflow", "outflow"):
            table.total(f"basis:{key}:{name}", [f"basis:{b}:{name}" for b in below])
    for name in WAITING_COUNTS:
        table.cell(f"waiting:{name}", getattr(waiting.total, name), importance=2)
    for key in keys:  # whoever waits at the CNO stays at a CNO location of the unit (if any)
        table.relate({"waiting:persons": 1, f"occupied:now:{key}:cno": -1})

    suppressed = suppressed_for(audience)
    protection = protect(table, threshold=threshold()) if suppressed else NOTHING_HIDDEN

    def show(key: str) -> Any:
        return protection.show(key, table.values[key])

    def hidden(*cells: str) -> bool:
        return any(c in protection.hidden for c in cells)

    # -- the document -----------------------------------------------------------------
    figure_rows = []
    for (level, code, name, _parents, unit), key in zip(units, keys, strict=True):
        previous = before_by_key.get(key)
        for breakdown in BREAKDOWNS:
            row: dict[str, Any] = {
                "level": level,
                "code": code,
                "name": name,
                "breakdown": breakdown,
            }
            for period, source in (("now", unit), ("before", previous)):
                values = _breakdown(source, breakdown).as_dict() if source else {}
                occupied = f"occupied:{period}:{key}:{breakdown}"
                shown = {
                    "capacity": values.get("capacity", 0),
                    "allocable": values.get("allocable", 0),
                    "occupied": show(occupied),
                    "free_allocable": HIDDEN
                    if hidden(occupied)
                    else values.get("free_allocable", 0),
                    "occupancy_pct": HIDDEN if hidden(occupied) else values.get("occupancy_pct"),
                }
                if period == "now":
                    row.update(shown)
                else:
                    row["previous"] = shown
            row["change"] = {f: _difference(row[f], row["previous"][f]) for f in FIGURE_FIELDS}
            figure_rows.append(row)

    flow_rows = []
    sum_rows = []
    for level, code, name, _parents, _unit in units:
        key = _unit_key(level, code)
        for label in weeks:
            flow_rows.append(
                {"level": level, "code": code, "name": name, "week": label}
                | {f: show(f"flow:{label}:{key}:{f}") for f in FLOW_FIELDS}
            )
        sum_rows.append(
            {"level": level, "code": code, "name": name, "weeks": weeks[1:]}
            | {f: show(f"sum4:{key}:{f}") for f in FLOW_SUMS}
        )

    waiting_counts = [f"waiting:{n}" for n in WAITING_COUNTS]
    waiting_doc = {n: show(f"waiting:{n}") for n in WAITING_COUNTS}
    waiting_doc["median_days"] = HIDDEN if hidden(*waiting_counts) else waiting.total.median_days
    waiting_doc["max_days"] = HIDDEN if hidden(*waiting_counts) else waiting.total.max_days
    if not suppressed:
        waiting_doc["by_location"] = [
            {
                "name": location,
                **{n: getattr(w, n) for n in (*WAITING_COUNTS, "median_days", "max_days")},
            }
            for location, w in waiting.by_location.items()
        ]

    runway_units = []
    unit_codes = {(level, code) for level, code, *_rest in units}
    for runway in forecast.units:
        if (runway.level, runway.code) not in unit_codes:
            continue
        key = _unit_key(runway.level, runway.code)
        inputs = (f"occupied:now:{key}:total", f"basis:{key}:inflow", f"basis:{key}:outflow")
        values = runway.as_dict()
        secret = hidden(*inputs)
        flows_secret = hidden(*inputs[1:])
        runway_units.append(
            {
                "level": runway.level,
                "code": runway.code,
                "name": runway.name,
                "allocable": runway.allocable,
                "occupied": show(inputs[0]),
                "free_allocable": HIDDEN if hidden(inputs[0]) else runway.free_allocable,
                "inflow_per_week": HIDDEN if hidden(inputs[1]) else values["inflow_per_week"],
                "outflow_per_week": HIDDEN if hidden(inputs[2]) else values["outflow_per_week"],
                "net_per_week": HIDDEN if flows_secret else values["net_per_week"],
                "runs_out_on": HIDDEN if secret else values["runs_out_on"],
                "series": []
                if secret
                else [
                    {
                        "day": p["day"],
                        "allocable": p["allocable"],
                        "projected_free_allocable": p["projected_free_allocable"],
                    }
                    for p in values["series"]
                ],
            }
        )
    scenario = forecast.as_dict()["scenario"]

    content: dict[str, Any] = {
        "schema": SCHEMA,
        "week": week_label(monday),
        "audience": audience,
        "week_start": monday.isoformat(),
        "on": on.isoformat(),
        "previous_on": previous_on.isoformat(),
        "suppression": {
            "applied": suppressed,
            "threshold": protection.threshold if suppressed else None,
            "primary": len(protection.primary),
            "secondary": len(protection.secondary),
        },
        "figures": figure_rows,
        "flows": flow_rows,
        "flows_4_weeks": sum_rows,
        "waiting": waiting_doc,
        "targets": _targets(audience, on, units, now[Level.MUNICIPALITY]),
        "broad_task": _broad_task(audience, on, units, now[Level.MUNICIPALITY]),
        "runway": {"scenario": scenario, "units": runway_units},
    }
    content["summary"] = summary_facts(content)
    return content


def _importance(period: str, breakdown: str) -> int:
    """Which occupancy figures a reader needs most: this week's totals, then short and long
    stay, then the types; last week's figures least (they are in last week's report)."""
    if period != "now":
        return 0
    return {"total": 4, "short_stay": 3, "long_stay": 3}.get(breakdown, 1)


def _next_level(level: str) -> str:
    order = [Level.REGION, Level.HOUSING_REGION, Level.MUNICIPALITY, Level.LOCATION]
    return order[order.index(Level(level)) + 1]


def _difference(now: Any, before: Any) -> Any:
    if isinstance(now, int | float) and isinstance(before, int | float):
        if isinstance(now, float) or isinstance(before, float):
            return round(now - before, 1)
        return now - before
    if now is None or before is None:
        return None
    return HIDDEN


def _codes(units: Iterable[tuple[str, str, str, dict[str, str], Any]], level: str) -> set[str]:
    return {code for lv, code, *_rest in units if lv == level}


def _targets(
    audience: str, on: datetime.date, units: list[Any], municipality_figures: LevelFigures
) -> list[dict[str, Any]]:
    """Target against realised Ukrainian places (places, not persons: nothing suppressed)."""
    progress = targets_progress_visible_on(on=on, municipalities=municipality_figures)
    names = {name: code for lv, code, name, *_rest in units if lv == Level.HOUSING_REGION}
    rows = []
    for p in progress.housing_regions:  # named by the housing region's name
        if p.code in names:
            rows.append({"level": str(Level.HOUSING_REGION), **p.as_dict(), "code": names[p.code]})
    municipalities = _codes(units, Level.MUNICIPALITY)
    for p in progress.municipalities:
        if p.code in municipalities:
            rows.append({"level": str(Level.MUNICIPALITY), **p.as_dict()})
    return rows


def _broad_task(
    audience: str, on: datetime.date, units: list[Any], municipality_figures: LevelFigures
) -> list[dict[str, Any]]:
    """The broad task side by side: Ukrainian places (target, realised), durable asylum places
    and the status-holder task, per municipality (per housing region for the province)."""
    task = broad_task_visible_on(on=on, municipalities=municipality_figures)
    municipalities = _codes(units, Level.MUNICIPALITY)
    housing_names = {name for lv, _code, name, *_rest in units if lv == Level.HOUSING_REGION}
    if municipalities:
        return [
            {
                "code": r.code,
                "name": r.name,
                "housing_region": r.housing_region,
                "ukrainian_target": r.ukrainian.target,
                "ukrainian_realised": r.ukrainian.realised,
                "asylum_durable": r.asylum_durable,
                "status_holder": r.status_holder,
            }
            for r in task.rows
            if r.code in municipalities
        ]
    sums: dict[str, dict[str, Any]] = {}
    for r in task.rows:
        if r.housing_region not in housing_names:
            continue
        row = sums.setdefault(
            r.housing_region,
            {
                "code": r.housing_region,
                "name": r.housing_region,
                "housing_region": r.housing_region,
                "ukrainian_target": None,
                "ukrainian_realised": 0,
                "asylum_durable": None,
                "status_holder": None,
            },
        )
        row["ukrainian_realised"] += r.ukrainian.realised
        for field, value in (
            ("ukrainian_target", r.ukrainian.target),
            ("asylum_durable", r.asylum_durable),
            ("status_holder", r.status_holder),
        ):
            if value is not None:
                row[field] = (row[field] or 0) + value
    return [sums[name] for name in sorted(sums)]
