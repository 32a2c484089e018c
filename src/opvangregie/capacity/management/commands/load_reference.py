import json

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from opvangregie.capacity.reference import reference_load_all
from opvangregie.organisations.reference import (
    ReferenceDataError,
    available_regions,
)


class Command(BaseCommand):
    help = "Load a region's reference data (idempotent): opvangregie load-reference hollands-midden"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "region", help=f"Region folder, one of: {', '.join(available_regions())}"
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: object, **options: object) -> None:
        try:
            report = reference_load_all(region=str(options["region"]))
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
            return
        self.stdout.write(
            _("Reference data %(region)s: %(changed)d records created or updated.")
            % {"region": report.region, "changed": report.changed}
        )
        for model_name, counts in report.counts.items():
            model = next(m for m in apps.get_models() if m._meta.model_name == model_name)
            label = model._meta.verbose_name_plural
            self.stdout.write(
                f"  {label:<28} "
                + _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged")
                % {
                    "created": counts["created"],
                    "updated": counts["updated"],
                    "unchanged": counts["unchanged"],
                }
            )
