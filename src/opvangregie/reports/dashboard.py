"""The dashboard: figures on a date at the levels a user may see, with drill-down links and
charts (through ``core.charts``). Read only, from the monitoring selectors; nothing stored.

Figures that leave the region go through the issued PRT report (with small counts suppressed),
so a user whose only role outside the region is the province gets no dashboard."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from opvangregie.accounts.constants import Role
from opvangregie.accounts.models import User
from opvangregie.accounts.selectors import user_roles
from opvangregie.core import charts
from opvangregie.monitoring.constants import Level
from opvangregie.monitoring.selectors import (
    FiguresScope,
    LevelFigures,
    UnitFigures,
    figures_all_levels_on,
    figures_history,
    figures_scope_for,
    flows_between,
    places_memo,
    targets_progress_visible_on,
)

# Weeks of history in the charts.
HISTORY_WEEKS = 12


def dashboard_scope(*, user: User) -> FiguresScope:
    """The figures scope, without the province's (its figures leave the region)."""
    scope = figures_scope_for(user=user)
    roles = {g.role for g in user_roles(user=user)}
    if roles and roles <= {Role.PROVINCE, Role.ADMINISTRATOR, Role.PRIVACY_OFFICER}:
        return FiguresScope()
    return scope


@dataclass(frozen=True)
class Dashboard:
    on: datetime.date
    level: str
    parent: UnitFigures | None
    units: list[UnitFigures]
    next_level: str | None
    charts: list[dict[str, Any]]


def dashboard_on(
    *, user: User, on: datetime.date, level: str | None = None, parent: str | None = None
) -> Dashboard:
    """The units at ``level`` (default: the highest the user may see), under the unit
    ``parent`` one level up if given."""
    with places_memo():
        return _dashboard_on(user=user, on=on, level=level, parent=parent)


def _dashboard_on(
    *, user: User, on: datetime.date, level: str | None, parent: str | None
) -> Dashboard:
    scope = dashboard_scope(user=user)
    levels = scope.levels
    if not levels:
        raise PermissionError
    level = level if level in levels else levels[0]
    index = levels.index(level)
    up = levels[index - 1] if index else None
    # The level shown, the one above (the parent) and the municipalities (the targets chart);
    # not the thousands of locations unless they are shown.
    needed = [lv for lv in levels if lv in (level, up, Level.MUNICIPALITY)]
    figures = figures_all_levels_on(on=on, levels=needed, scope=scope)
    parent_unit = None
    units = figures[level].units
    if parent and up is not None:
        parent_unit = next((u for u in figures[up].units if u.code == parent), None)
        units = [u for u in units if u.parents.get(up) == parent]
    next_level = levels[index + 1] if index + 1 < len(levels) else None
    charts = _charts(on, level, units, scope, figures)
    return Dashboard(on, level, parent_unit, units, next_level, charts)


def _charts(
    on: datetime.date,
    level: str,
    units: list[UnitFigures],
    scope: FiguresScope,
    figures: dict[str, LevelFigures],
) -> list[dict[str, Any]]:
    """The charts' series, in a fixed number of queries: the history is worked back from the
    figures on ``on`` (``figures_history``), the realised places are read from them."""
    result = []
    codes = {u.code for u in units}
    start = on - datetime.timedelta(weeks=HISTORY_WEEKS)
    days = [start + datetime.timedelta(weeks=n) for n in range(HISTORY_WEEKS + 1)]
    history = list(figures_history(now=figures[level], days=days, codes=codes).values())
    occupied = [sum(h[i].occupied for h in history) for i in range(len(days))]
    capacity = [sum(h[i].capacity for h in history) for i in range(len(days))]
    result.append(
        {
            "id": "chart-occupancy",
            "title": _("Occupancy over time"),
            "config": charts.chart(
                "line",
                [d.isoformat() for d in days],
                [
                    charts.Series(_("capacity"), capacity, charts.GREY, stepped=True),
                    charts.Series(_("occupied"), occupied, charts.BLUE, fill=True),
                ],
            ),
        }
    )
    # The flows of the units shown (of their municipalities, for locations), persons only.
    flow_level, flow_codes = level, codes
    if level == Level.LOCATION:
        flow_level = Level.MUNICIPALITY
        flow_codes = {u.parents[Level.MUNICIPALITY] for u in units}
    flow_scope = FiguresScope({flow_level: frozenset(flow_codes)}) if flow_codes else scope
    flow_units = flows_between(
        start=start, end=on, level=flow_level, scope=flow_scope, households=False
    ).units
    weeks = [w.week for w in flow_units[0].weeks] if flow_units else []
    result.append(
        {
            "id": "chart-flows",
            "title": _("Inflow and outflow per week"),
            "config": charts.chart(
                "bar",
                weeks,
                [
                    charts.Series(
                        _("inflow"),
                        [sum(u.weeks[i].inflow for u in flow_units) for i in range(len(weeks))],
                        charts.BLUE,
                    ),
                    charts.Series(
                        _("outflow"),
                        [sum(u.weeks[i].outflow for u in flow_units) for i in range(len(weeks))],
                        charts.ORANGE,
                    ),
                ],
            ),
        }
    )
    if scope.allows_level(Level.MUNICIPALITY):
        every_municipality = scope.visible.get(Level.MUNICIPALITY, frozenset()) is None
        progress = targets_progress_visible_on(
            on=on,
            scope=scope,
            municipalities=figures[Level.MUNICIPALITY] if every_municipality else None,
        ).municipalities
        if level == Level.MUNICIPALITY:
            progress = [p for p in progress if p.code in codes]
        config = charts.chart(
            "bar",
            [p.name for p in progress],
            [
                charts.Series(_("target"), [p.target for p in progress], charts.GREY),
                charts.Series(_("realised"), [p.realised for p in progress], charts.BLUE),
            ],
        )
        config["options"]["indexAxis"] = "y"
        result.append(
            {"id": "chart-targets", "title": _("Target and realised places"), "config": config}
        )
    config = charts.chart(
        "bar",
        [u.name for u in units],
        [
            charts.Series(
                _("short stay"), [u.short_stay.free_allocable for u in units], charts.ORANGE
            ),
            charts.Series(_("long stay"), [u.long_stay.free_allocable for u in units], charts.BLUE),
        ],
    )
    config["options"]["indexAxis"] = "y"
    result.append(
        {
            "id": "chart-free",
            "title": _("Free allocable places, short and long stay"),
            "config": config,
        }
    )
    return result
