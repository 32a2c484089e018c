"""Figures, flows and the capacity runway over the API: aggregates only, scoped to the user."""

import datetime
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opvangregie.core.dates import today
from opvangregie.monitoring.constants import Level
from opvangregie.monitoring.forecast import Scenario, runway_on
from opvangregie.monitoring.selectors import (
    FiguresScope,
    figures_on,
    figures_scope_for,
    flows_between,
)

from .serializers import FlowsSerializer, ForecastSerializer, LevelFiguresSerializer

# The longest period the flows are given for in one request.
MAX_FLOW_DAYS = 5 * 366

LEVEL_PARAMETER = OpenApiParameter(
    "level", str, enum=Level.values, description="The level of the units (default: region)."
)


def _scope(request: Request) -> FiguresScope:
    user: Any = request.user
    scope = figures_scope_for(user=user)
    if scope.is_empty:
        raise PermissionDenied("Your roles do not include seeing figures.")
    return scope


def _date(request: Request, name: str, *, required: bool = False) -> datetime.date:
    value = request.query_params.get(name, "")
    if not value:
        if required:
            raise ValidationError({name: ["This parameter is required."]})
        return today()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        reason = f"'{value}' is not a valid date; use the form YYYY-MM-DD."
        raise ValidationError({name: [reason]}) from exc


def _level(request: Request, scope: FiguresScope) -> str:
    level = request.query_params.get("level") or Level.REGION
    if level not in Level.values:
        reason = f"'{level}' is not a level; use one of {', '.join(Level.values)}."
        raise ValidationError({"level": [reason]})
    if not scope.allows_level(level):
        raise PermissionDenied(f"You may not see figures at the level '{level}'.")
    return level


def _count(request: Request, name: str) -> int | None:
    value = request.query_params.get(name, "")
    if not value:
        return None
    if not value.isdigit():
        raise ValidationError({name: ["A whole number of persons a week, 0 or more."]})
    return int(value)


class FiguresView(APIView):
    """Capacity, allocable, occupied, free, free allocable places and occupancy % on a date, per
    unit at a level, in total, for short and long stay and per location type. Only the units
    your roles allow: coordinators all; the steering group every region, housing region and
    municipality; the province every region and housing region; RRT members their housing
    region and the region; municipal officers their municipality with its locations and the
    region."""

    @extend_schema(
        parameters=[
            OpenApiParameter("on", str, description="Date YYYY-MM-DD (default: today)."),
            LEVEL_PARAMETER,
        ],
        responses={200: LevelFiguresSerializer},
    )
    def get(self, request: Request) -> Response:
        scope = _scope(request)
        on = _date(request, "on")
        level = _level(request, scope)
        return Response(figures_on(on=on, level=level, scope=scope).as_dict())


class FlowsView(APIView):
    """Inflow and outflow per ISO week: arrivals (intakes), departures by reason, moves between
    units at the level; persons and households. Whole weeks from the Monday of `from` to the
    Sunday of `to`. Scoped like the figures."""

    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, required=True, description="First date YYYY-MM-DD."),
            OpenApiParameter("to", str, required=True, description="Last date YYYY-MM-DD."),
            LEVEL_PARAMETER,
        ],
        responses={200: FlowsSerializer},
    )
    def get(self, request: Request) -> Response:
        scope = _scope(request)
        start = _date(request, "from", required=True)
        end = _date(request, "to", required=True)
        if end < start:
            raise ValidationError({"to": ["The end lies before the start."]})
        if (end - start).days > MAX_FLOW_DAYS:
            raise ValidationError({"to": ["Ask for at most five years at a time."]})
        level = _level(request, scope)
        return Response(flows_between(start=start, end=end, level=level, scope=scope).as_dict())


class ForecastView(APIView):
    """The capacity runway of the region and the housing regions you may see: the day on which
    free allocable places run out under a scenario (null: never), with a weekly series. The
    scenario is the average net inflow of the last `weeks` (4 or 12, default 4) whole weeks, or
    the `inflow` (and `outflow`) per week you give for the region."""

    @extend_schema(
        parameters=[
            OpenApiParameter("on", str, description="Date YYYY-MM-DD (default: today)."),
            OpenApiParameter("weeks", int, enum=[4, 12], description="Average over 4 or 12 weeks."),
            OpenApiParameter("inflow", int, description="Entered arrivals a week (persons)."),
            OpenApiParameter("outflow", int, description="Entered departures a week (persons)."),
        ],
        responses={200: ForecastSerializer},
    )
    def get(self, request: Request) -> Response:
        scope = _scope(request)
        on = _date(request, "on")
        inflow, outflow = _count(request, "inflow"), _count(request, "outflow")
        weeks = request.query_params.get("weeks", "")
        if inflow is not None and weeks:
            raise ValidationError({"weeks": ["Give weeks or inflow, not both."]})
        if inflow is not None:
            scenario = Scenario.entered(inflow_per_week=inflow, outflow_per_week=outflow or 0)
        elif weeks in ("", "4", "12"):
            scenario = Scenario.average(int(weeks or 4))
        else:
            raise ValidationError({"weeks": ["Use 4 or 12."]})
        return Response(runway_on(on=on, scenario=scenario, scope=scope).as_dict())
