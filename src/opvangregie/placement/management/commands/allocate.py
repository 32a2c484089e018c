"""opvangregie allocate: run the placement engine on a domain instance or a GAP instance."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from opvangregie.allocation.backends import BACKENDS, solve
from opvangregie.allocation.domain import Instance, instance_from_json, place
from opvangregie.allocation.gap import GapFormatError, read_gap
from opvangregie.allocation.problem import Sense
from opvangregie.core.dates import InvalidDateError, parse_on
from opvangregie.placement.selectors import instance_on


class Command(BaseCommand):
    help = (
        "Solve a placement instance (JSON, see docs/placement.md) or, with --gap, a Generalized "
        "Assignment Problem instance in the OR-Library layout."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instance", nargs="?", type=Path, help="Placement instance (JSON).")
        parser.add_argument("--gap", type=Path, help="A GAP instance file instead.")
        parser.add_argument(
            "--on",
            default="",
            help="Instead of a file: the households waiting at the CNO and the free beds on "
            "this date (YYYY-MM-DD). Proposes only; nothing is written.",
        )
        parser.add_argument("--sense", choices=["min", "max"], default="max")
        parser.add_argument("--backend", choices=BACKENDS, default="highs")
        parser.add_argument("--time-limit", type=float, default=60.0)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def _instance_file(self, options: dict[str, object]) -> Instance:
        if not options["instance"]:
            raise CommandError(_("Give an instance file, --on DATE, or --gap FILE."))
        path = Path(str(options["instance"]))
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        try:
            return instance_from_json(path.read_text(encoding="utf-8"))
        except (ValueError, KeyError, TypeError) as exc:
            raise CommandError(
                _("Not a valid placement instance: %(error)s") % {"error": exc}
            ) from exc

    def handle(self, *args: object, **options: object) -> None:
        backend = str(options["backend"])
        time_limit = float(str(options["time_limit"]))
        seed = int(str(options["seed"]))
        if options["gap"]:
            path = Path(str(options["gap"]))
            if not path.is_file():
                raise CommandError(_("File not found: %(path)s") % {"path": path})
            try:
                problem = read_gap(path, sense=Sense(str(options["sense"])))
            except GapFormatError as exc:
                raise CommandError(str(exc)) from exc
            result = solve(problem, backend=backend, time_limit=time_limit, seed=seed)
            data = result.as_dict()
            if options["format"] == "json":
                self.stdout.write(json.dumps(data))
            else:
                self.stdout.write(
                    f"{data['status']}: {data['objective']} (bound {data['bound']}, gap "
                    f"{data['gap']}) in {data['seconds']} s"
                )
            return
        if options["on"]:
            try:
                instance = instance_on(on=parse_on(str(options["on"])))
            except InvalidDateError as exc:
                raise CommandError(str(exc)) from exc
        else:
            instance = self._instance_file(options)
        placement = place(instance, backend=backend, time_limit=time_limit, seed=seed)
        if options["format"] == "json":
            self.stdout.write(json.dumps(placement.as_dict(), indent=2, ensure_ascii=False))
            return
        result = placement.result
        self.stdout.write(
            f"{result.status}: {result.objective} (gap {result.gap}) in {result.seconds:.2f} s"
        )
        for proposal in placement.proposals:
            self.stdout.write(f"- {proposal.explanation}")
