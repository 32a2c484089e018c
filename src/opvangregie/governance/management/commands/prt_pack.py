"""opvangregie prt-pack: the PRT preparation pack of a housing region as PDF."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from opvangregie.core.dates import InvalidDateError, parse_on
from opvangregie.core.pdf import render_pdf
from opvangregie.governance import packs

from ._options import housing_region_option


class Command(BaseCommand):
    help = (
        "Write the PRT preparation pack of a housing region for a date as PDF, assembled from "
        "the figures, agreements, dilemmas and decisions (refused if it would hold personal data)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--housing-region", required=True, help="Code, e.g. holland-rijnland.")
        parser.add_argument("--date", default="", help="Date of the PRT (default: today).")
        parser.add_argument("--output", required=True, help="The PDF file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = parse_on(options["date"])
        except InvalidDateError as exc:
            raise CommandError(str(exc)) from exc
        region = housing_region_option(options["housing_region"])
        content = packs.pack_content(housing_region=region, on=on)
        found = packs.content_personal_data(content)
        if found:
            raise CommandError(
                _("The pack holds personal data (%(kinds)s); nothing written.")
                % {"kinds": ", ".join(found)}
            )
        pdf = render_pdf(
            "governance/pack_pdf.html", {"content": content, "checksum": packs.checksum(content)}
        )
        Path(options["output"]).write_bytes(pdf)
        self.stdout.write(
            _("PRT pack of %(region)s for %(date)s written to %(file)s (SHA-256 %(sum)s).")
            % {
                "region": region.name,
                "date": on.isoformat(),
                "file": options["output"],
                "sum": packs.checksum(content),
            }
        )
