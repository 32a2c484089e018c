"""What every back-end does the same way: the availability check, the answers that need no
solver, the result without a solution, and the time left of a limit."""

import importlib.util
import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..problem import Problem, Result, Status
from ._build import FloatArray, Model


@dataclass(frozen=True)
class Companion:
    """What the search beside the back-end (ADR 0010: price-and-dive on the second core)
    starts from: the plain GAP problem, a feasible assignment of it, the Lagrangian
    multipliers of its jobs and the bound's knapsack solutions (k x m x n, or None).

    ``prove``: the search tries to prove its best assignment optimal by branch-and-price
    (ADR 0012), first for a few seconds before any dive; with an integral objective it then
    takes the back-end's core for a second worker, the two raising the bound from below level
    by level (ADR 0014); otherwise it dives until the dives stop improving and tries again.
    It keeps what it finds to itself instead of handing it to the back-end's search (whose
    own proof that would disturb). Without it, the
    search still tries that proof once fixing against its best assignment (with the
    multipliers of its first column generation) removes at least ``prove_when_removed`` of
    the pairs: its dives found an assignment much better than the one the back-end started
    from."""

    problem: Problem
    start: tuple[int, ...]
    multipliers: FloatArray
    patterns: npt.NDArray[np.bool_] | None = None
    prove: bool = False
    prove_when_removed: float = 1.0


def importable(module: str) -> bool:
    """Whether the back-end's solver package is installed (without importing it)."""
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # a parent package is missing
        return False


def left(time_limit: float, started: float) -> float:
    """Seconds left of ``time_limit`` counted from ``started`` (``time.perf_counter()``)."""
    return time_limit - (time.perf_counter() - started)


def empty(
    status: Status, problem: Problem, started: float, backend: str, settings: dict[str, object]
) -> Result:
    """A result without a solution: every job unplaced, no objective, no bound."""
    return Result(
        status,
        tuple([-1] * problem.n_jobs),
        None,
        None,
        None,
        time.perf_counter() - started,
        backend,
        settings,
    )


def without_solver(
    problem: Problem, model: Model, started: float, backend: str, settings: dict[str, object]
) -> Result | None:
    """The answer when no solver is needed, else None.

    A job that can go nowhere while every job must be assigned: infeasible. A model without
    columns (nothing can go anywhere): leaving everything unplaced is optimal."""
    if problem.must_assign and model.impossible_jobs:
        return empty(Status.INFEASIBLE, problem, started, backend, settings)
    if model.n_cols == 0:
        nothing = model.objective(problem, np.zeros(0, dtype=np.int64))
        return Result(
            Status.OPTIMAL,
            tuple([-1] * problem.n_jobs),
            nothing,
            nothing,
            0.0,
            time.perf_counter() - started,
            backend,
            settings,
        )
    return None
