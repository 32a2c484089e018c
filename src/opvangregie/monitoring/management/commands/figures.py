"""opvangregie figures: capacity and occupancy per unit, flows per week, the capacity runway."""

import csv
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from opvangregie.core.dates import InvalidDateError, parse_on
from opvangregie.monitoring.constants import Level
from opvangregie.monitoring.forecast import (
    FORECAST_COLUMNS,
    Scenario,
    forecast_rows,
    runway_on,
)
from opvangregie.monitoring.selectors import (
    FIGURES_COLUMNS,
    FLOWS_COLUMNS,
    figures_on,
    figures_rows,
    flows_between,
    flows_rows,
)


class Command(BaseCommand):
    help = (
        "Capacity and occupancy figures per unit at a level on a date, by location type; with "
        "--from and --to the inflow and outflow per ISO week; with --forecast 4|12 (or --inflow) "
        "the capacity runway of the region and the housing regions. CSV prints one table: the "
        "flows if a period is given, else the runway if asked, else the figures."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", default="", help="Date YYYY-MM-DD (default: today).")
        parser.add_argument(
            "--level", default=Level.REGION, help="region, housing_region, municipality, location."
        )
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--from", dest="start", default="", help="Flows from this date.")
        parser.add_argument("--to", dest="end", default="", help="Flows until this date.")
        parser.add_argument(
            "--forecast",
            type=int,
            choices=[4, 12],
            default=None,
            help="The runway with the average net inflow of the last 4 or 12 weeks.",
        )
        parser.add_argument(
            "--inflow", type=int, default=None, help="The runway with this many arrivals a week."
        )
        parser.add_argument(
            "--outflow", type=int, default=0, help="With --inflow: departures a week."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        on = self._date(options["on"])
        level = str(options["level"])
        if level not in Level.values:
            raise CommandError(
                _("Unknown level '%(level)s'; choose from %(levels)s.")
                % {"level": level, "levels": ", ".join(Level.values)}
            )
        if bool(options["start"]) != bool(options["end"]):
            raise CommandError(_("Give both --from and --to, or neither."))
        output: dict[str, Any] = {}
        tables: list[tuple[list[str], list[list[Any]]]] = []
        if options["start"]:
            start, end = self._date(options["start"]), self._date(options["end"])
            if end < start:
                raise CommandError(_("--to lies before --from."))
            flows = flows_between(start=start, end=end, level=level)
            output["flows"] = flows.as_dict()
            tables.append((FLOWS_COLUMNS, flows_rows(flows)))
        scenario = self._scenario(options)
        if scenario is not None:
            forecast = runway_on(on=on, scenario=scenario)
            output["forecast"] = forecast.as_dict()
            tables.append((FORECAST_COLUMNS, forecast_rows(forecast)))
        if not options["start"]:
            figures = figures_on(on=on, level=level)
            output = {"figures": figures.as_dict(), **output}
            tables.append((FIGURES_COLUMNS, figures_rows(figures)))
        if options["format"] == "json":
            self.stdout.write(json.dumps(output, indent=2, ensure_ascii=False))
            return
        headers, rows = tables[0]
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows(rows)

    def _date(self, value: str) -> Any:
        try:
            return parse_on(value)
        except InvalidDateError as exc:
            raise CommandError(str(exc)) from exc

    def _scenario(self, options: dict[str, Any]) -> Scenario | None:
        if options["forecast"] and options["inflow"] is not None:
            raise CommandError(_("Give --forecast or --inflow, not both."))
        if options["forecast"]:
            return Scenario.average(int(options["forecast"]))
        if options["inflow"] is not None:
            if options["inflow"] < 0 or options["outflow"] < 0:
                raise CommandError(_("--inflow and --outflow are zero or more persons a week."))
            return Scenario.entered(
                inflow_per_week=options["inflow"], outflow_per_week=options["outflow"]
            )
        return None
