"""opvangregie notify-deadlines: e-mail the notices of deadlines near or passed (run daily)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from opvangregie.core.dates import InvalidDateError, parse_on
from opvangregie.governance.services import notify_deadlines


class Command(BaseCommand):
    help = (
        "Send the e-mail notices for agreements and dilemmas whose deadline is near (7 days) or "
        "passed. Safe to run every day: a notice is never sent twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", default="", help="As of this date (default: today).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = parse_on(options["date"])
        except InvalidDateError as exc:
            raise CommandError(str(exc)) from exc
        sent = notify_deadlines(on=on)
        self.stdout.write(_("%(count)d notice(s) sent.") % {"count": sent})
