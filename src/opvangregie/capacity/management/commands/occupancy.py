import csv
import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from opvangregie.capacity.constants import LocationType
from opvangregie.capacity.selectors import EXPORT_COLUMNS, Occupancy, occupancy_on
from opvangregie.core.dates import InvalidDateError, parse_on


class Command(BaseCommand):
    help = "Occupancy per location on a date, with totals per municipality and housing region."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", default="", help="Date YYYY-MM-DD (default: today).")
        parser.add_argument("--format", choices=["text", "json", "csv"], default="text")
        parser.add_argument("--municipality", default="", help="Only this CBS code.")
        parser.add_argument("--type", choices=LocationType.values, default=None)

    def handle(self, *args: object, **options: object) -> None:
        try:
            on = parse_on(str(options["on"] or ""))
        except InvalidDateError as exc:
            raise CommandError(str(exc)) from exc
        result = occupancy_on(
            on=on,
            municipality=str(options["municipality"] or "") or None,
            location_type=options["type"] or None,  # type: ignore[arg-type]
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        elif options["format"] == "csv":
            writer = csv.DictWriter(self.stdout, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
            writer.writeheader()
            for row in result.locations:
                writer.writerow({k: v for k, v in row.as_dict().items() if k in EXPORT_COLUMNS})
        else:
            self._text(result)

    def _text(self, result: Occupancy) -> None:
        self.stdout.write(_("Occupancy on %(date)s") % {"date": result.on.isoformat()})
        header = (
            f"{'':<36} {_('capacity'):>9} {_('allocable'):>9} {_('occupied'):>9} {_('free'):>9}"
        )
        self.stdout.write(header)
        for row in result.locations:
            f = row.figures
            self.stdout.write(
                f"{row.name[:36]:<36} {f.capacity:>9} {f.allocable:>9} {f.occupied:>9} {f.free:>9}"
            )
        for label, f in [
            (_("short stay"), result.short_stay),
            (_("long stay"), result.long_stay),
            (_("total"), result.total),
        ]:
            self.stdout.write(
                f"{label:<36} {f.capacity:>9} {f.allocable:>9} {f.occupied:>9} {f.free:>9}"
            )
