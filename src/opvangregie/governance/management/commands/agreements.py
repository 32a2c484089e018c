"""opvangregie agreements: the administrative agreements with their computed progress and status."""

import csv
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from opvangregie.core.dates import InvalidDateError, parse_on
from opvangregie.governance.constants import AgreementStatus
from opvangregie.governance.selectors import AGREEMENT_COLUMNS, AgreementLine, agreements_overview
from opvangregie.organisations.models import Body

from ._options import housing_region_option


def _status(value: str) -> str:
    """``on-track``, ``on track`` and ``on_track`` are the same status."""
    return value.strip().lower().replace("-", "_").replace(" ", "_")


class Command(BaseCommand):
    help = (
        "Administrative agreements on a date: body, parties, owner, deadline, target, progress "
        "computed from the figures, and the status with its reason (aggregates only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", default="", help="Date YYYY-MM-DD (default: today).")
        parser.add_argument("--format", choices=["text", "json", "csv"], default="text")
        parser.add_argument(
            "--status",
            default="",
            help="Only this status as shown: " + ", ".join(AgreementStatus.values) + ".",
        )
        parser.add_argument("--body", default="", help="Only made at this body (code).")
        parser.add_argument(
            "--housing-region",
            default="",
            help="Only of this housing region (code), with the progress of its share.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = parse_on(options["on"])
        except InvalidDateError as exc:
            raise CommandError(str(exc)) from exc
        status = _status(options["status"]) if options["status"] else None
        if status is not None and status not in AgreementStatus.values:
            raise CommandError(
                _("Unknown status '%(status)s'; choose from %(statuses)s.")
                % {"status": options["status"], "statuses": ", ".join(AgreementStatus.values)}
            )
        body = None
        if options["body"]:
            body = Body.objects.filter(code=options["body"]).first()
            if body is None:
                raise CommandError(_("No body with code %(code)s.") % {"code": options["body"]})
        region = None
        if options["housing_region"]:
            region = housing_region_option(options["housing_region"])
        lines = agreements_overview(on=on, status=status, body=body, housing_region=region)
        if options["format"] == "json":
            output = {
                "on": on.isoformat(),
                "status": status,
                "body": body.code if body else None,
                "housing_region": region.code if region else None,
                "count": len(lines),
                "agreements": [line.as_dict() for line in lines],
            }
            self.stdout.write(json.dumps(output, indent=2, ensure_ascii=False))
        elif options["format"] == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(AGREEMENT_COLUMNS)
            writer.writerows(line.row() for line in lines)
        else:
            self._text(on.isoformat(), lines)

    def _text(self, on: str, lines: list[AgreementLine]) -> None:
        self.stdout.write(
            _("Agreements on %(date)s: %(count)d") % {"date": on, "count": len(lines)}
        )
        if not lines:
            return
        self.stdout.write("")
        header = f"{_('deadline'):<10}  {_('status'):<12}  {_('progress'):<18}  {_('agreement')}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for line in lines:
            a, p = line.agreement, line.progress
            progress = (
                f"{p.gained} / {p.target} ({p.pct}%)"
                if p.measurable and p.gained is not None
                else "-"
            )
            flag = "*" if a.status != AgreementStatus.OPEN else ""
            self.stdout.write(
                f"{a.deadline.isoformat():<10}  {p.status_label + flag:<12}  "
                f"{progress:<18}  {a.title}"
            )
            indent = " " * 46
            parties = ", ".join(
                f"{name} ({share})" if share is not None else name
                for _code, name, share in line.parties
            )
            self.stdout.write(
                indent
                + _("%(body)s; owner %(owner)s; parties %(parties)s")
                % {"body": a.body.name, "owner": a.owner, "parties": parties}
            )
            self.stdout.write(indent + line.reason)
        self.stdout.write("")
        self.stdout.write(_("* status set by hand, overriding the rule."))
