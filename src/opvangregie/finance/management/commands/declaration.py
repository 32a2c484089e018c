"""opvangregie declaration: a municipality's declaration over a period (and, with --submit,
freeze it)."""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from opvangregie.core.dates import InvalidDateError, parse_on
from opvangregie.finance import exports, selectors, services
from opvangregie.organisations.models import Organisation

from ._common import acting_user, write


class Command(BaseCommand):
    help = (
        "A municipality's declaration of the standard rates: "
        "opvangregie declaration --municipality GM0513 --from 2024-01-01 --to 2024-03-31 "
        "--format json|csv|xlsx [--output FILE]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", required=True, help="CBS code, e.g. GM0513.")
        parser.add_argument("--from", dest="first_day", required=True, help="First day.")
        parser.add_argument("--to", dest="last_day", required=True, help="Last day (inclusive).")
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
        parser.add_argument(
            "--layout",
            choices=["lines", "sisa"],
            default="lines",
            help="CSV/XLSX: a line per location and rate (default) or the SiSa figures.",
        )
        parser.add_argument("--output", default="", help="Write to this file.")
        parser.add_argument(
            "--user", default="", help="Apply this user's permissions (default: the operator's)."
        )
        parser.add_argument(
            "--submit",
            metavar="USERNAME",
            default="",
            help="Freeze the declaration in the name of this finance officer or coordinator.",
        )
        parser.add_argument("--reason", default="", help="With --submit: why it is corrected.")

    def handle(self, *args: object, **options: object) -> None:
        try:
            first_day = parse_on(str(options["first_day"]))
            last_day = parse_on(str(options["last_day"]))
        except InvalidDateError as exc:
            raise CommandError(str(exc)) from exc
        try:
            municipality = selectors.municipality_get(code=str(options["municipality"]))
        except Organisation.DoesNotExist as exc:
            raise CommandError(
                _("Unknown municipality %(code)s.") % {"code": options["municipality"]}
            ) from exc
        user = acting_user(options["user"])
        if user is not None and not selectors.may_view_finance(
            user=user, municipality=municipality.code
        ):
            raise CommandError(
                _("%(name)s may not see the finances of %(municipality)s.")
                % {"name": user.username, "municipality": municipality.name}
            )
        try:
            if options["submit"]:
                declaration = services.declaration_submit(
                    user=acting_user(options["submit"]),  # type: ignore[arg-type]
                    municipality=municipality,
                    first_day=first_day,
                    last_day=last_day,
                    reason=str(options["reason"]),
                )
                figures = {
                    **declaration.figures,
                    "version": declaration.version,
                    "checksum": declaration.checksum,
                }
            else:
                figures = selectors.declaration_compute(
                    municipality=municipality, first_day=first_day, last_day=last_day
                ).as_dict()
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        headers, rows = (
            exports.declaration_sisa_table(figures)
            if options["layout"] == "sisa"
            else exports.declaration_table(figures)
        )
        write(
            self,
            fmt=str(options["format"]),
            output=options["output"],
            headers=headers,
            rows=rows,
            title=f"{municipality.code} {first_day}",
            text=json.dumps(figures, indent=2, ensure_ascii=False) + "\n",
        )
