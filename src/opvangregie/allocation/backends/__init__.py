"""Back-ends behind one small interface: ``available()`` and ``solve(problem, …)``.

HiGHS (highspy) is the default; OR-Tools CP-SAT the second. Both receive a warm start from the
greedy heuristic and return the best solution found when the time limit strikes.
"""

from collections.abc import Callable
from typing import Protocol

from ..problem import Problem, Result


class Backend(Protocol):
    name: str

    def available(self) -> bool: ...

    def solve(
        self, problem: Problem, *, time_limit: float, seed: int, start: tuple[int, ...] | None
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
) -> Result:
    from ..heuristic import greedy

    start = greedy(problem) if warm_start else None
    return get_backend(backend).solve(problem, time_limit=time_limit, seed=seed, start=start)
