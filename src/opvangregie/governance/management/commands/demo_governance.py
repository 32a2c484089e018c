"""opvangregie demo-governance: meetings, agreements, dilemmas and a PRT pack for the demo."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from opvangregie.governance.demo import DemoUsersMissingError, demo_governance_create
from opvangregie.governance.models import Meeting


class Command(BaseCommand):
    help = "Create demo governance content (needs the reference data and the demo users)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-missing", action="store_true", help="Do nothing if present.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_missing"] and Meeting.objects.exists():
            self.stdout.write(_("Governance demo content is present already."))
            return
        try:
            counts = demo_governance_create()
        except DemoUsersMissingError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "Demo governance: %(meetings)d meetings, %(agreements)d agreements, "
                "%(dilemmas)d dilemmas."
            )
            % counts
        )
