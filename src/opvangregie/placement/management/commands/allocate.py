"""opvangregie allocate: run the placement engine on a domain instance or a GAP instance."""

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from opvangregie.accounts.models import User
from opvangregie.allocation.backends import BACKENDS, solve
from opvangregie.allocation.domain import Instance, instance_from_json, place
from opvangregie.allocation.gap import GapFormatError, read_gap
from opvangregie.allocation.problem import Sense
from opvangregie.core.dates import InvalidDateError, parse_on
from opvangregie.placement.selectors import instance_on
from opvangregie.placement.services import run_create


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
        parser.add_argument(
            "--save",
            metavar="USERNAME",
            default="",
            help="With --on: store the proposal as a draft run in the name of this coordinator "
            "(to review on the placement page).",
        )
        parser.add_argument("--sense", choices=["min", "max"], default="max")
        parser.add_argument("--backend", choices=BACKENDS, default="highs")
        parser.add_argument("--time-limit", type=float, default=60.0)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--deterministic",
            action="store_true",
            help="With --gap: no companion search on the second core (docs/placement.md), so "
            "that a run ending before its time limit gives the same answer every time for the "
            "same instance and seed.",
        )

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

    def _save(self, options: dict[str, object], **solve: Any) -> None:
        if not options["on"]:
            raise CommandError(_("--save needs --on DATE."))
        user = User.objects.filter(username=str(options["save"])).first()
        if user is None:
            raise CommandError(_("Unknown user %(name)s.") % {"name": options["save"]})
        try:
            run = run_create(user=user, on=parse_on(str(options["on"])), **solve)
        except InvalidDateError as exc:
            raise CommandError(str(exc)) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        placed = run.lines.filter(location__isnull=False).count()
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "run": str(run.uuid),
                        "status": run.solver_status,
                        "objective": run.objective,
                        "gap": run.gap,
                        "seconds": round(run.seconds, 3),
                        "placed": placed,
                        "unplaced": run.lines.count() - placed,
                    }
                )
            )
            return
        self.stdout.write(
            _("Draft proposal %(run)s stored: %(placed)d of %(total)d households placed.")
            % {"run": run.uuid, "placed": placed, "total": run.lines.count()}
        )

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
            result = solve(
                problem,
                backend=backend,
                time_limit=time_limit,
                seed=seed,
                deterministic=bool(options["deterministic"]),
            )
            data = result.as_dict()
            if options["format"] == "json":
                self.stdout.write(json.dumps(data))
            else:
                self.stdout.write(
                    f"{data['status']}: {data['objective']} (bound {data['bound']}, gap "
                    f"{data['gap']}) in {data['seconds']} s"
                )
            return
        if options["save"]:
            self._save(options, backend=backend, time_limit=time_limit, seed=seed)
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
