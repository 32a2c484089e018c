"""opvangregie report weekly: render (or issue and freeze) the weekly report of an audience."""

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from opvangregie.accounts.models import User
from opvangregie.reports.constants import Audience, Format
from opvangregie.reports.content import InvalidWeekError
from opvangregie.reports.render import report_export
from opvangregie.reports.selectors import ReportIntegrityError, report_frozen, report_live
from opvangregie.reports.services import report_issue


class Command(BaseCommand):
    help = (
        "Weekly reports. 'report weekly --week 2024-W10 --audience prt --format pdf --output "
        "FILE' renders the live figures; with --issue it freezes and stores a new version and "
        "writes that version."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True)
        weekly = sub.add_parser("weekly", help="The weekly snapshot report of an audience.")
        weekly.add_argument("--week", required=True, help="ISO week, e.g. 2024-W10.")
        weekly.add_argument("--audience", required=True, choices=Audience.values)
        weekly.add_argument("--format", dest="fmt", required=True, choices=Format.values)
        weekly.add_argument("--output", required=True, help="The file to write.")
        weekly.add_argument(
            "--issue", action="store_true", help="Freeze and store a new version first."
        )
        weekly.add_argument("--note", default="", help="With --issue: a note on this version.")
        weekly.add_argument(
            "--user", default="", help="With --issue: the user name recorded as issuer."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        week, audience, fmt = options["week"], options["audience"], options["fmt"]
        frozen = None
        try:
            if options["issue"]:
                user = None
                if options["user"]:
                    user = User.objects.filter(username=options["user"]).first()
                    if user is None:
                        raise CommandError(_("No user '%(name)s'.") % {"name": options["user"]})
                report = report_issue(user=user, week=week, audience=audience, note=options["note"])
                frozen = report_frozen(report=report)
                content = frozen.content
            else:
                content = report_live(week=week, audience=audience)
        except InvalidWeekError as exc:
            raise CommandError(
                _("'%(week)s' is not an ISO week; use the form 2024-W10.") % {"week": week}
            ) from exc
        except (ValidationError, ReportIntegrityError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        except PermissionDenied as exc:  # --user without the right to issue this audience
            raise CommandError(str(exc)) from exc
        body, _type, _name = report_export(content, fmt, frozen)
        Path(options["output"]).write_bytes(body)
        if frozen is not None:
            self.stdout.write(
                _("Issued %(week)s %(audience)s version %(version)s (SHA-256 %(checksum)s).")
                % {
                    "week": week,
                    "audience": audience,
                    "version": frozen.version,
                    "checksum": frozen.checksum,
                }
            )
        self.stdout.write(_("Wrote %(file)s.") % {"file": options["output"]})
