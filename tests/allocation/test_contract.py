"""One contract for every back-end: correct, optimal on small cases, deterministic."""

import itertools
import multiprocessing
import random
from pathlib import Path

import pytest

from opvangregie.allocation.backends import BACKENDS, get_backend, solve
from opvangregie.allocation.gap import GapFormatError, parse_gap, read_gap
from opvangregie.allocation.heuristic import greedy
from opvangregie.allocation.problem import (
    Pair,
    Problem,
    Sense,
    Status,
    evaluate,
    is_feasible,
)

GAP = Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks" / "gap"
needs_gap = pytest.mark.skipif(
    not GAP.is_dir(), reason="the shared GAP instances are not beside the project"
)
pytestmark = pytest.mark.parametrize("backend", BACKENDS)


def test_backend_is_available(backend: str) -> None:
    assert get_backend(backend).available()


@needs_gap
@pytest.mark.parametrize(
    ("name", "sense", "optimum"),
    [
        ("cattrysse1994/gap1-0", "max", 336),
        ("cattrysse1994/gap1-0", "min", 261),
        ("cattrysse1994/gap4-2", "max", 673),
        ("chu1997/a05100", "min", 1698),
    ],
)
def test_published_optima(backend: str, name: str, sense: str, optimum: int) -> None:
    problem = read_gap(GAP / name, sense=Sense(sense))
    result = solve(problem, backend=backend, time_limit=30)
    assert result.status == Status.OPTIMAL
    assert result.objective == pytest.approx(optimum)
    assert is_feasible(problem, result.assignment)
    assert evaluate(problem, result.assignment) == pytest.approx(optimum)


def _random_problem(seed: int) -> Problem:
    rng = random.Random(seed)
    jobs, agents = rng.randint(2, 5), rng.randint(1, 3)
    pairs = tuple(
        Pair(j, i, rng.randint(1, 4), float(rng.randint(1, 20)))
        for j in range(jobs)
        for i in range(agents)
        if rng.random() < 0.85
    )
    groups = rng.randint(1, 2)
    return Problem(
        n_jobs=jobs,
        n_agents=agents,
        capacity=tuple(rng.randint(2, 7) for _ in range(agents)),
        pairs=pairs,
        place_bonus=5.0,
        job_weight=tuple(rng.randint(1, 4) for _ in range(jobs)),
        agent_group=tuple(i % groups for i in range(agents)),
        group_target=tuple(float(rng.randint(0, 6)) for _ in range(groups)),
        group_present=tuple(float(rng.randint(0, 2)) for _ in range(groups)),
        fairness_weight=rng.choice([0.0, 1.5, 4.0]),
        apart=((0, 1),) if jobs > 2 and rng.random() < 0.3 else (),
        together=((jobs - 1, jobs - 2),) if jobs > 3 and rng.random() < 0.3 else (),
    )


def _brute_force(problem: Problem) -> float:
    best = float("-inf")
    for assignment in itertools.product(range(-1, problem.n_agents), repeat=problem.n_jobs):
        if is_feasible(problem, assignment):
            best = max(best, evaluate(problem, assignment))
    return best


@pytest.mark.parametrize("seed", range(20))
def test_optimal_against_brute_force(backend: str, seed: int) -> None:
    problem = _random_problem(seed)
    result = solve(problem, backend=backend, time_limit=10)
    assert result.status == Status.OPTIMAL
    assert is_feasible(problem, result.assignment)
    assert evaluate(problem, result.assignment) == pytest.approx(_brute_force(problem), abs=1e-6)


def test_deterministic(backend: str) -> None:
    problem = _random_problem(99)
    first = solve(problem, backend=backend, time_limit=10, seed=3)
    second = solve(problem, backend=backend, time_limit=10, seed=3)
    assert first.assignment == second.assignment
    assert first.objective == second.objective


def test_infeasible_when_every_job_must_go_and_cannot(backend: str) -> None:
    problem = parse_gap("1 2  5 5  3 3  4", sense=Sense.MAX)  # two jobs of 3 into capacity 4
    result = solve(problem, backend=backend, time_limit=5)
    assert result.status == Status.INFEASIBLE
    assert result.assignment == (-1, -1)


def test_too_little_room_leaves_jobs_unplaced(backend: str) -> None:
    problem = Problem(
        n_jobs=3, n_agents=1, capacity=(4,), pairs=tuple(Pair(j, 0, 3, 1.0) for j in range(3))
    )
    result = solve(problem, backend=backend, time_limit=5)
    assert result.status == Status.OPTIMAL
    assert sorted(result.assignment) == [-1, -1, 0]


@needs_gap
def test_time_limit_returns_the_best_found(backend: str) -> None:
    problem = read_gap(GAP / "chu1997" / "d10200", sense=Sense.MIN)
    result = solve(problem, backend=backend, time_limit=1.0)
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert is_feasible(problem, result.assignment)
    assert result.seconds < 10


def test_gap_format_errors(backend: str) -> None:
    with pytest.raises(GapFormatError):
        parse_gap("2 2 1 2 3", sense=Sense.MIN)


def test_greedy_is_feasible(backend: str) -> None:
    for seed in range(10):
        problem = _random_problem(seed)
        assert is_feasible(problem, greedy(problem))


@needs_gap
def test_a_relative_gap_stops_early_and_says_so(backend: str) -> None:
    problem = read_gap(GAP / "chu1997" / "d10200", sense=Sense.MIN)
    result = solve(problem, backend=backend, time_limit=20, relative_gap=0.02)
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert result.gap is not None
    assert result.gap <= 0.02
    assert (result.status == Status.OPTIMAL) == (result.gap == 0.0)
    assert is_feasible(problem, result.assignment)
    assert evaluate(problem, result.assignment) == pytest.approx(result.objective)


def _crowded_problem() -> Problem:
    """More jobs than room, values that make the LP bound loose: not solved in no time."""
    rng = random.Random(7)
    jobs, agents = 120, 12
    pairs = tuple(
        Pair(j, i, rng.randint(1, 4), float(rng.randint(1, 40)))
        for j in range(jobs)
        for i in range(agents)
        if rng.random() < 0.7
    )
    return Problem(
        n_jobs=jobs,
        n_agents=agents,
        capacity=tuple(rng.randint(8, 15) for _ in range(agents)),
        pairs=pairs,
        place_bonus=5.0,
        job_weight=tuple(rng.randint(1, 4) for _ in range(jobs)),
        agent_group=tuple(i % 3 for i in range(agents)),
        group_target=(30.0, 25.5, 40.0),
        group_present=(3.0, 0.0, 1.0),
        fairness_weight=1.5,
    )


def test_a_time_limit_too_short_to_solve_returns_the_start(backend: str) -> None:
    problem = _crowded_problem()
    start = greedy(problem)
    result = solve(problem, backend=backend, time_limit=1e-6)
    assert result.status == Status.FEASIBLE
    assert is_feasible(problem, result.assignment)
    assert result.objective is not None
    assert result.objective >= evaluate(problem, start) - 1e-6
    assert any(agent >= 0 for agent in result.assignment)


def _objective_in_this_process(backend: str) -> float | None:
    return solve(_random_problem(5), backend=backend, time_limit=10).objective


def test_solves_in_a_worker_of_a_process_pool(backend: str) -> None:
    # Pool workers are daemonic: they may not start children with multiprocessing.
    with multiprocessing.get_context("fork").Pool(1) as pool:
        in_worker = pool.apply(_objective_in_this_process, (backend,))
    assert in_worker is not None
    assert in_worker == pytest.approx(_brute_force(_random_problem(5)))
