"""Back-ends behind one small interface: ``available()`` and ``solve(problem, …)``.

HiGHS (highspy) is the default; OR-Tools CP-SAT the second. Both receive a warm start from the
greedy heuristic and return the best solution found when the time limit strikes.
"""

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

import numpy as np

from ..lagrange import proves
from ..presolve import MAX_RESTARTS, presolve, tighter
from ..problem import Problem, Result, Sense, Status, evaluate
from ._build import PROVEN, IntArray, Model
from ._shared import Companion


class Backend(Protocol):
    name: str
    # Whether the incumbent is passed as the start of a problem reduced by fixing (ADR 0009).
    starts_from_incumbent: bool

    def available(self) -> bool: ...

    def solve(
        self,
        problem: Problem,
        *,
        time_limit: float,
        seed: int,
        start: tuple[int, ...] | None,
        relative_gap: float = ...,
        on_solution: Callable[[float], bool] | None = ...,
        companion: Companion | None = ...,
    ) -> Result: ...

    def solve_model(
        self,
        problem: Problem,
        model: Model,
        *,
        time_limit: float,
        seed: int,
        start: IntArray | None,
        started: float,
        relative_gap: float = ...,
    ) -> Result: ...


# The companion search (ADR 0010) runs when fixing removed less than this share of the pairs:
# the incumbent is then far from the bound, and better solutions are what is missing (type D:
# nothing removed). Where fixing bites (types A, B, C, E: 10 to 90 % removed) the proof is
# what is missing, and handing solutions to HiGHS changed its search (d05100 lost its proof).
COMPANION_BELOW = 0.05


def _registry() -> dict[str, Callable[[], Backend]]:
    from .cpsat import CpSatBackend
    from .highs import HighsBackend

    return {"highs": HighsBackend, "cpsat": CpSatBackend}


BACKENDS = ("highs", "cpsat")


def get_backend(name: str) -> Backend:
    registry = _registry()
    if name not in registry:
        raise ValueError(f"unknown back-end {name!r}; choose from {', '.join(BACKENDS)}")
    return registry[name]()


def solve(
    problem: Problem,
    *,
    backend: str = "highs",
    time_limit: float = 60.0,
    seed: int = 0,
    warm_start: bool = True,
    relative_gap: float = PROVEN,
    deterministic: bool = False,
) -> Result:
    """``relative_gap``: stop once the best solution is this close to the bound (the status
    is ``optimal`` only when the gap is at most ``PROVEN``).

    ``deterministic``: no companion search (ADR 0010), whose solutions arrive when the second
    core finds them, so that a run ending before its time limit gives the same result for the
    same input and seed every time (at the cost of the better solutions it finds on type D)."""
    from ..heuristic import greedy

    began = time.perf_counter()
    start = greedy(problem) if warm_start else None
    if not warm_start:
        return get_backend(backend).solve(
            problem, time_limit=time_limit, seed=seed, start=start, relative_gap=relative_gap
        )
    # Plain GAP problems: local search, Lagrangian bound and fixing first (ADR 0009).
    reducer = presolve(problem, start, time_limit=time_limit, seed=seed)
    if reducer is None:
        return get_backend(backend).solve(
            problem,
            time_limit=max(time_limit - (time.perf_counter() - began), 0.0),
            seed=seed,
            start=start,
            relative_gap=relative_gap,
        )
    settings = reducer.settings
    incumbent = tuple(int(a) for a in reducer.incumbent)
    if reducer.proven():
        return Result(
            Status.OPTIMAL,
            incumbent,
            evaluate(problem, incumbent),
            reducer.lagrangian,
            0.0,
            time.perf_counter() - began,
            backend,
            {"time_limit": time_limit, "random_seed": seed, **settings, "proven_by": "lagrangian"},
        )
    bounds: list[float | None] = [reducer.lagrangian]
    # A second search beside the exact one: price-and-dive on the second core (ADR 0010).
    removed = 1 - reducer.kept / max(len(problem.pairs), 1)
    companion = None
    if deterministic:
        settings["deterministic"] = True
    else:
        companion = Companion(
            reducer.reduced,
            reducer.start(),
            reducer.multipliers(),
            reducer.patterns(),
            prove=removed >= COMPANION_BELOW,
            prove_when_removed=COMPANION_BELOW,
        )
    restarts: list[dict[str, object]] = []
    found = incumbent
    proven = False
    engine = get_backend(backend)
    while True:
        result = engine.solve(
            reducer.reduced,
            time_limit=max(time_limit - (time.perf_counter() - began), 0.0),
            seed=seed,
            start=reducer.start() if engine.starts_from_incumbent else None,
            relative_gap=relative_gap,
            on_solution=(
                (lambda objective: reducer.worth_restart(objective + reducer.offset))
                if len(restarts) < MAX_RESTARTS
                else None
            ),
            companion=companion,
        )
        # The reduced problem holds every assignment better than the incumbent (and the
        # incumbent): a bound on it, plus the fixed jobs' value, bounds the original.
        if result.bound is not None:
            bounds.append(result.bound + reducer.offset)
        if result.objective is None:
            break
        candidate = reducer.expand(result.assignment)
        sign = 1.0 if problem.sense == Sense.MAX else -1.0
        if sign * evaluate(problem, candidate) >= sign * evaluate(problem, found) - 1e-9:
            found = candidate
            # The reduced problem holds the incumbent: its optimum is the original's.
            proven = result.status == Status.OPTIMAL
        if not result.settings.get("interrupted"):
            break
        # A better solution that removes many more pairs: solve the smaller problem from it.
        reducer.reduce(np.asarray(found, dtype=np.int64))
        restarts.append(
            {
                "at": round(time.perf_counter() - began, 3),
                "objective": evaluate(problem, found),
                "pairs_left": reducer.kept,
                "jobs_left": len(reducer.free_jobs),
            }
        )
        if reducer.proven():  # by the bound, or as the only assignment left
            proven = True
            break
    if restarts:
        settings["restarts"] = restarts
    return _combined(
        problem,
        result,
        found,
        tighter(problem.sense, *bounds),
        settings,
        began,
        time_limit,
        proven=proven,
    )


def _combined(
    problem: Problem,
    result: Result,
    assignment: tuple[int, ...],
    bound: float | None,
    settings: dict[str, object],
    began: float,
    time_limit: float,
    *,
    proven: bool,
) -> Result:
    """The result of the original problem from the best assignment and the tightest bound
    (the Lagrangian bound and the back-end's bounds on the reduced problems); ``proven``: a
    back-end proved the last reduced problem, or the fixing left no other assignment."""
    merged = {**result.settings, **settings}
    merged["time_limit"] = time_limit
    merged["time_limit_of_solver"] = result.settings.get("time_limit")
    objective = evaluate(problem, assignment)
    sign = 1.0 if problem.sense == Sense.MAX else -1.0
    gap = None
    if bound is not None:
        gap = abs(bound - objective) / max(abs(objective), 1e-9)
        proven = proven or gap <= PROVEN
        proven = proven or proves(
            sign * bound, sign * objective, integral=problem.integral_objective
        )
    return replace(
        result,
        status=Status.OPTIMAL if proven else Status.FEASIBLE,
        assignment=assignment,
        objective=objective,
        bound=bound,
        gap=0.0 if proven else gap,
        seconds=time.perf_counter() - began,
        settings=merged,
    )


def solve_model(
    problem: Problem,
    model: Model,
    *,
    backend: str = "highs",
    time_limit: float = 60.0,
    seed: int = 0,
    warm_start: bool = True,
    started: float | None = None,
    relative_gap: float = PROVEN,
) -> Result:
    """Solve a model built directly (``domain.place`` builds one without listing every pair).

    ``problem`` describes everything but the pairs; the warm start is the model's greedy fill.
    ``started`` (``time.perf_counter()``) is when the time limit began to run.
    """
    began = time.perf_counter() if started is None else started
    start = model.fill(problem, np.zeros(model.n_cols, dtype=np.int64)) if warm_start else None
    if start is not None and not model.feasible(problem, start):
        start = None
    return get_backend(backend).solve_model(
        problem,
        model,
        time_limit=time_limit,
        seed=seed,
        start=start,
        started=began,
        relative_gap=relative_gap,
    )
