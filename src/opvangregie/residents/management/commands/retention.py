"""opvangregie retention --dry-run|--apply: remove the personal data of households whose
retention period has passed (docs/privacy.md). Safe to run daily."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from opvangregie.core.dates import today
from opvangregie.residents.retention import retention_run


class Command(BaseCommand):
    help = "Anonymise households whose retention period after their last stay has passed."

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group(required=True)
        mode.add_argument("--dry-run", action="store_true", help="Only report what would go.")
        mode.add_argument("--apply", action="store_true", help="Remove the personal data.")
        parser.add_argument(
            "--months",
            type=int,
            default=None,
            help="Retention period in months (default: the RETENTION_MONTHS setting).",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: object, **options: object) -> None:
        months = options["months"] if options["months"] is not None else settings.RETENTION_MONTHS
        if not isinstance(months, int) or months < 1:
            raise CommandError(_("The retention period is at least one month."))
        report = retention_run(today=today(), months=months, apply=bool(options["apply"]))
        if options["format"] == "json":
            self.stdout.write(json.dumps({**report.__dict__, "cutoff": report.cutoff.isoformat()}))
            return
        message = (
            _(
                "Anonymised %(households)d household(s) (%(persons)d persons) whose last stay "
                "ended before %(cutoff)s."
            )
            if report.applied
            else _(
                "Would anonymise %(households)d household(s) (%(persons)d persons) whose last "
                "stay ended before %(cutoff)s. Nothing was changed (--dry-run)."
            )
        )
        self.stdout.write(
            message
            % {
                "households": report.households,
                "persons": report.persons,
                "cutoff": report.cutoff.isoformat(),
            }
        )
