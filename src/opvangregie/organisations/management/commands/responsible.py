import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from opvangregie.organisations.selectors import MunicipalityNotFoundError, responsible_on

from ._options import add_on_argument, on_from


class Command(BaseCommand):
    help = "Who carries the reception task in a municipality on a date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", required=True, help="CBS code, e.g. GM0546.")
        add_on_argument(parser)

    def handle(self, *args: object, **options: object) -> None:
        try:
            answer = responsible_on(cbs_code=str(options["municipality"]), on=on_from(options))
        except MunicipalityNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        if options["format"] == "json":
            self.stdout.write(json.dumps(answer.as_dict(), indent=2, ensure_ascii=False))
            return
        self.stdout.write(
            f"{answer.municipality.name} ({answer.municipality.cbs_code}), {answer.on}"
        )
        self.stdout.write("  " + _("responsible: %(who)s") % {"who": answer.holder_label})
        self.stdout.write("  " + _("legal basis: %(basis)s") % {"basis": answer.legal_basis})
        if not answer.regime_date_confirmed:
            self.stdout.write(
                "  "
                + _("note: the start date %(date)s of this regime is not confirmed")
                % {"date": answer.regime_in_force_from.isoformat()}
            )
        self.stdout.write(
            "  "
            + _("portfolio holder: %(name)s")
            % {"name": answer.portfolio_holder or _("not recorded")}
        )
        for seat in answer.seats:
            self.stdout.write(f"  - {seat['body_name']}: {seat['role_label']} ({seat['holder']})")
