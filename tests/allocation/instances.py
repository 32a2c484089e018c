"""Generated GAP instances for the solver tests, and a checking ``report`` callback."""

import itertools
from collections.abc import Callable

import numpy as np
import pytest

from opvangregie.allocation.local_search import Dense
from opvangregie.allocation.problem import Pair, Problem, Sense


def type_d(seed: int, jobs: int, agents: int, *, capacity_share: float = 0.8) -> Problem:
    """Chu and Beasley's type D: cost falls as use rises (111 - use, plus noise), each agent's
    capacity ``capacity_share`` of the mean load (0.8 in the published instances)."""
    rng = np.random.default_rng(seed)
    use = rng.integers(1, 101, size=(agents, jobs))
    cost = 111 - use + rng.integers(-10, 11, size=(agents, jobs))
    capacity = (capacity_share * use.sum(axis=1) / agents).astype(int)
    pairs = tuple(
        Pair(job=j, agent=i, use=int(use[i, j]), value=float(cost[i, j]))
        for j in range(jobs)
        for i in range(agents)
    )
    return Problem(
        n_jobs=jobs,
        n_agents=agents,
        capacity=tuple(int(c) for c in capacity),
        pairs=pairs,
        sense=Sense.MIN,
        must_assign=True,
        integral_objective=True,
    )


def all_assignments(dense: Dense) -> tuple[list[np.ndarray], list[float]]:
    """Every feasible assignment of a tiny instance, with its (maximised) value."""
    feasible, values = [], []
    for combination in itertools.product(range(dense.n_agents), repeat=dense.n_jobs):
        assignment = np.asarray(combination, dtype=np.int64)
        if dense.feasible(assignment):
            feasible.append(assignment)
            values.append(dense.value(assignment))
    return feasible, values


def tiny(seed: int) -> tuple[Problem, Dense, list[np.ndarray], list[float]]:
    """A type D instance small enough to list every assignment (with its maximised value)."""
    problem = type_d(seed, 9, 3)
    dense = Dense.of(problem)
    return (problem, dense, *all_assignments(dense))


def recorder(dense: Dense) -> tuple[list[float], Callable[[np.ndarray, float], None]]:
    """The values reported, and a ``report`` callback (of ``dive`` and ``branch``) that checks
    each reported assignment is feasible and worth the value reported with it."""
    reported: list[float] = []

    def report(assignment: np.ndarray, value: float) -> None:
        assert dense.feasible(assignment)
        assert dense.value(assignment) == pytest.approx(value)
        reported.append(value)

    return reported, report
