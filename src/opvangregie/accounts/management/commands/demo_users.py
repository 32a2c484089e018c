import os

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from opvangregie.accounts.services import DEMO_USERS, DemoModeRequiredError, demo_users_create


class Command(BaseCommand):
    help = "Create or reset the demo users (one per role). Only in demo mode."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD", ""),
            help="Password for all demo users (default: $DEMO_PASSWORD).",
        )

    def handle(self, *args: object, **options: object) -> None:
        password = str(options["password"] or "")
        if not password:
            raise CommandError(_("Give a password with --password or DEMO_PASSWORD."))
        try:
            users = demo_users_create(password=password)
        except DemoModeRequiredError as exc:
            raise CommandError(str(exc)) from exc
        roles = {spec.username: spec.role.label for spec in DEMO_USERS}
        for user in users:
            self.stdout.write(f"  {user.username:<22} {roles[user.username]}")
