import datetime
import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from opvangregie.residents.models import Household
from opvangregie.residents.scenario import PREFIX, SCALES, scenario_delete, scenario_generate


class Command(BaseCommand):
    help = "Generate the synthetic demo scenario (fixed seed): locations, households, stays."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--scale", choices=sorted(SCALES), default="region")
        parser.add_argument("--end", default="", help="Last simulated day (default: today).")
        parser.add_argument("--reset", action="store_true", help="Replace a loaded scenario.")
        parser.add_argument("--if-missing", action="store_true", help="Do nothing if loaded.")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: object, **options: object) -> None:
        loaded = Household.objects.filter(external_id__startswith=PREFIX).exists()
        if loaded and options["if_missing"]:
            self.stdout.write(_("The demo scenario is loaded already."))
            return
        if loaded and options["reset"]:
            scenario_delete()
        end = datetime.date.fromisoformat(str(options["end"])) if options["end"] else None
        try:
            report = scenario_generate(
                seed=int(str(options["seed"])), scale=str(options["scale"]), end=end
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
            return
        self.stdout.write(
            _(
                "Scenario %(scale)s (seed %(seed)d, until %(end)s): %(locations)d locations, "
                "%(households)d households, %(persons)d persons, %(stays)d stays; "
                "%(waiting)d households wait at the CNO."
            )
            % {
                "scale": report.scale,
                "seed": report.seed,
                "end": report.end.isoformat(),
                "locations": report.locations,
                "households": report.households,
                "persons": report.persons,
                "stays": report.stays,
                "waiting": report.waiting_at_cno,
            }
        )
