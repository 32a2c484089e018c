"""Back-ends behind one small interface: ``available()`` and ``solve(problem, …)``.

HiGHS (highspy) is the default; OR-Tools CP-SAT the second. Both receive a warm start from the
greedy heuristic and return the best solution found when the time limit strikes.
"""

import time
from collections.abc import Callable
from typing import Protocol

import numpy as np

from ..problem import Problem, Result
from ._build import PROVEN, IntArray, Model


class Backend(Protocol):
    name: str

    def available(self) -> bool: ...

    def solve(
        self,
        problem: Problem,
        *,
        time_limit: float,
        seed: int,
        start: tuple[int, ...] | None,
        relative_gap: float = ...,
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
) -> Result:
    """``relative_gap``: stop once the best solution is this close to the bound (the status
    is ``optimal`` only when the gap is at most ``PROVEN``)."""
    from ..heuristic import greedy

    start = greedy(problem) if warm_start else None
    return get_backend(backend).solve(
        problem, time_limit=time_limit, seed=seed, start=start, relative_gap=relative_gap
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
