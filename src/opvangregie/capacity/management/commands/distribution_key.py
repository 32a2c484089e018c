import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from opvangregie.capacity.models import DistributionKey
from opvangregie.capacity.services import distribution_key_refresh
from opvangregie.core.dates import InvalidDateError, parse_on
from opvangregie.organisations.statline import StatlineError, population_import_statline


class Command(BaseCommand):
    help = (
        "Refresh a distribution key from population figures (optionally from a CBS StatLine "
        "CSV export) and recompute the targets that use it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--key", required=True, help="Code of the key, e.g. hm-bevolking.")
        parser.add_argument("--statline", type=Path, help="CBS StatLine CSV export to read first.")
        parser.add_argument("--on", default="", help="Use the figures known on this date.")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: object, **options: object) -> None:
        key = DistributionKey.objects.filter(code=str(options["key"])).first()
        if key is None:
            raise CommandError(_("Unknown distribution key %(key)s.") % {"key": options["key"]})
        try:
            on = parse_on(str(options["on"] or "")) if options["on"] else None
        except InvalidDateError as exc:
            raise CommandError(str(exc)) from exc
        statline = None
        if options["statline"]:
            path = Path(str(options["statline"]))
            if not path.is_file():
                raise CommandError(_("File not found: %(path)s") % {"path": path})
            try:
                statline = population_import_statline(
                    text=path.read_text(encoding="utf-8-sig"), source=f"CBS StatLine ({path.name})"
                )
            except StatlineError as exc:
                raise CommandError(str(exc)) from exc
        targets = distribution_key_refresh(key=key, on=on or datetime.date.max)
        weights = dict(key.shares.values_list("municipality__code", "weight"))
        result = {
            "key": key.code,
            "statline": statline.as_dict() if statline else None,
            "weights": weights,
            "targets": {t.municipality.code: t.amount for t in targets},
        }
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
            return
        if statline:
            self.stdout.write(
                _(
                    "StatLine: %(created)d figures added, %(updated)d corrected, "
                    "%(unchanged)d unchanged."
                )
                % statline.as_dict()
            )
        self.stdout.write(
            _("Key %(key)s: %(count)d municipalities; %(targets)d targets recomputed.")
            % {"key": key.code, "count": len(weights), "targets": len(targets)}
        )
