import json

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from opvangregie.organisations.selectors import structure_on

from ._options import add_on_argument, on_from


class Command(BaseCommand):
    help = "Municipalities and bodies (with seats) valid on a date."

    def add_arguments(self, parser: CommandParser) -> None:
        add_on_argument(parser)

    def handle(self, *args: object, **options: object) -> None:
        structure = structure_on(on=on_from(options))
        if options["format"] == "json":
            self.stdout.write(json.dumps(structure.as_dict(), indent=2, ensure_ascii=False))
            return
        self.stdout.write(_("Structure on %(date)s") % {"date": structure.on.isoformat()})
        self.stdout.write("")
        self.stdout.write(
            _("Municipalities (%(count)d)") % {"count": len(structure.municipalities)}
        )
        for m in structure.municipalities:
            region = m.cooperation_region or "-"
            self.stdout.write(f"  {m.cbs_code}  {m.name:<24} {region:<18} {m.population or '-'}")
        for body in structure.bodies:
            self.stdout.write("")
            self.stdout.write(f"{body.name} [{body.kind_label}, {body.level_label}]")
            if body.secretary:
                self.stdout.write("  " + _("secretary: %(who)s") % {"who": body.secretary})
            for seat in body.seats:
                self.stdout.write(f"  - {seat.role_label:<12} {seat.holder}")
