"""opvangregie audit --household UUID [--format csv|json]: a household's full access history
(for a data-subject access request), or the trail filtered by user, action and dates."""

import csv
import json
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from opvangregie.core.dates import InvalidDateError, parse_on

from ...selectors import audit_search
from ...views import EXPORT_HEADERS, audit_rows


class Command(BaseCommand):
    help = "Print the audit trail of personal data (for the privacy officer)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--household", default="", help="UUID of a household.")
        parser.add_argument("--user", default="", help="User name.")
        parser.add_argument("--action", default="")
        parser.add_argument("--from", dest="start", default="")
        parser.add_argument("--to", dest="end", default="")
        parser.add_argument("--format", choices=["csv", "json"], default="csv")

    def handle(self, *args: object, **options: object) -> None:
        try:
            start = parse_on(str(options["start"])) if options["start"] else None
            end = parse_on(str(options["end"])) if options["end"] else None
        except InvalidDateError as exc:
            raise CommandError(str(exc)) from exc
        household = str(options["household"]) or None
        if household:
            import uuid

            try:
                household = str(uuid.UUID(household))
            except ValueError as exc:
                raise CommandError(_("Not a UUID: %(value)s") % {"value": household}) from exc
        events = audit_search(
            household=household,
            username=str(options["user"]) or None,
            action=str(options["action"]) or None,
            start=start,
            end=end,
        )
        rows = list(audit_rows(events))
        if options["format"] == "json":
            self.stdout.write(json.dumps([dict(zip(EXPORT_HEADERS, r, strict=True)) for r in rows]))
            return
        writer = csv.writer(self.stdout if self.stdout else sys.stdout)
        writer.writerow(EXPORT_HEADERS)
        for row in rows:
            writer.writerow([json.dumps(v) if isinstance(v, dict) else v for v in row])
