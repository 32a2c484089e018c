import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from opvangregie.capacity.imports import locations_import
from opvangregie.core.imports import ImportReport
from opvangregie.core.tabular import TableError, read_table
from opvangregie.residents.imports import residents_import


class Command(BaseCommand):
    help = "Import locations or residents from CSV/XLSX: opvangregie import residents FILE."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["locations", "residents"])
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check everything, write nothing."
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: object, **options: object) -> None:
        try:
            header, rows = read_table(Path(str(options["file"])))
        except TableError as exc:
            raise CommandError(str(exc)) from exc
        dry_run = bool(options["dry_run"])
        if options["kind"] == "locations":
            report = locations_import(header=header, rows=rows, dry_run=dry_run)
        else:
            show = not options["no_progress"] and sys.stderr.isatty()
            report = residents_import(
                header=header,
                rows=rows,
                dry_run=dry_run,
                progress=lambda items: tqdm(items, desc=_("households"), disable=not show),
            )
        self._report(report, str(options["format"]))
        if not report.ok:
            raise CommandError(
                _("Nothing was imported: %(count)d problem(s).") % {"count": len(report.problems)}
            )

    def _report(self, report: ImportReport, fmt: str) -> None:
        if fmt == "json":
            self.stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
            return
        for problem in report.problems:
            where = _("row %(row)d") % {"row": problem.row}
            if problem.column:
                where += f", {problem.column}"
            self.stderr.write(f"{where}: {problem.message}")
        if report.ok:
            message = _(
                "%(rows)d rows: %(created)d created, %(updated)d updated, %(unchanged)d unchanged."
            ) % {
                "rows": report.rows,
                "created": report.counts["created"],
                "updated": report.counts["updated"],
                "unchanged": report.counts["unchanged"],
            }
            if report.dry_run:
                message += " " + _("(dry run: nothing was written)")
            self.stdout.write(message)
