"""opvangregie allowance: the living allowance and personal contributions of one month."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from opvangregie.finance import exports, selectors
from opvangregie.organisations.models import Organisation

from ._common import acting_user, write


class Command(BaseCommand):
    help = (
        "Living allowance due and personal contributions due per household for a month: "
        "opvangregie allowance --month 2024-03 --municipality GM0513 --format csv"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--municipality", required=True, help="CBS code, e.g. GM0513.")
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], default="csv")
        parser.add_argument("--output", default="", help="Write to this file.")
        parser.add_argument(
            "--user",
            default="",
            help="Apply this user's permissions: amounts per household only for the "
            "municipality's finance officers and coordinators (default: the operator's).",
        )

    def handle(self, *args: object, **options: object) -> None:
        try:
            month = datetime.date.fromisoformat(f"{options['month']}-01")
        except ValueError as exc:
            raise CommandError(
                _("'%(value)s' is not a month; use the form YYYY-MM.") % {"value": options["month"]}
            ) from exc
        try:
            municipality = selectors.municipality_get(code=str(options["municipality"]))
        except Organisation.DoesNotExist as exc:
            raise CommandError(
                _("Unknown municipality %(code)s.") % {"code": options["municipality"]}
            ) from exc
        user = acting_user(options["user"])
        per_household = True
        if user is not None:
            if not selectors.may_view_finance(user=user, municipality=municipality.code):
                raise CommandError(
                    _("%(name)s may not see the finances of %(municipality)s.")
                    % {"name": user.username, "municipality": municipality.name}
                )
            per_household = selectors.may_see_household_amounts(
                user=user, municipality=municipality.code
            )
        figures = selectors.allowance_compute(municipality=municipality, month=month)
        headers, rows = exports.allowance_table(figures, per_household=per_household)
        write(
            self,
            fmt=str(options["format"]),
            output=options["output"],
            headers=headers,
            rows=rows,
            title=f"{municipality.code} {month:%Y-%m}",
            text=json.dumps(
                figures.as_dict(per_household=per_household), indent=2, ensure_ascii=False
            )
            + "\n",
        )
