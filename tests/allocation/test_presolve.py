"""Local search, Lagrangian bound and fixing for plain GAP problems, against brute force."""

import itertools
import random
from pathlib import Path

import numpy as np
import pytest

from opvangregie.allocation import backends as backends_module
from opvangregie.allocation import presolve as presolve_module
from opvangregie.allocation.backends import BACKENDS, solve
from opvangregie.allocation.gap import read_gap
from opvangregie.allocation.heuristic import greedy
from opvangregie.allocation.lagrange import bound, forced, keep_pairs, knapsacks, repair
from opvangregie.allocation.local_search import Dense, improve
from opvangregie.allocation.presolve import presolve
from opvangregie.allocation.problem import Pair, Problem, Sense, Status, evaluate, is_feasible


def _gap(seed: int, *, integral: bool = True) -> Problem:
    """A small GAP instance with tight capacities (every job must go somewhere)."""
    rng = random.Random(seed)
    jobs, agents = rng.randint(3, 7), rng.randint(2, 3)
    pairs = tuple(
        Pair(
            j,
            i,
            rng.randint(1, 6),
            float(rng.randint(1, 30)) if integral else round(rng.uniform(1, 30), 3),
        )
        for j in range(jobs)
        for i in range(agents)
        if i == j % agents or rng.random() < 0.8
    )
    use_by_agent = [sum(p.use for p in pairs if p.agent == i) for i in range(agents)]
    return Problem(
        n_jobs=jobs,
        n_agents=agents,
        capacity=tuple(max(6, int(u * rng.uniform(0.45, 0.8))) for u in use_by_agent),
        pairs=pairs,
        sense=rng.choice([Sense.MAX, Sense.MIN]),
        must_assign=True,
        integral_objective=integral,
        place_bonus=rng.choice([0.0, 2.0]),
    )


def _all_feasible(problem: Problem) -> list[tuple[int, ...]]:
    return [
        a
        for a in itertools.product(range(problem.n_agents), repeat=problem.n_jobs)
        if is_feasible(problem, a)
    ]


def _best(problem: Problem, assignments: list[tuple[int, ...]]) -> float | None:
    values = [evaluate(problem, a) for a in assignments]
    if not values:
        return None
    return max(values) if problem.sense == Sense.MAX else min(values)


SEEDS = [s for s in range(80) if _all_feasible(_gap(s))][:40]


def test_the_instances_are_varied() -> None:
    problems = [_gap(s) for s in SEEDS]
    assert len(SEEDS) == 40
    assert {p.sense for p in problems} == {Sense.MAX, Sense.MIN}


@pytest.mark.parametrize("seed", SEEDS)
def test_the_lagrangian_bound_and_the_forced_bounds_hold(seed: int) -> None:
    """The bound is above every (maximised) value; forcing a pair in or out bounds every
    assignment that uses it, or does not."""
    problem = _gap(seed)
    dense = Dense.of(problem)
    feasible = _all_feasible(problem)
    values = {a: dense.value(np.asarray(a)) for a in feasible}
    found = bound(dense, max(values.values()) - 3, integral=True, max_iterations=30)
    assert found.value >= max(values.values()) - 1e-6
    bounds = forced(dense, found.multipliers)
    for i in range(problem.n_agents):
        for j in range(problem.n_jobs):
            using = [v for a, v in values.items() if a[j] == i]
            others = [v for a, v in values.items() if a[j] != i]
            if using:
                assert bounds.with_pair[i, j] >= max(using) - 1e-6
            if others:
                assert bounds.without_pair[i, j] >= max(others) - 1e-6


@pytest.mark.parametrize("integral", [True, False])
@pytest.mark.parametrize("seed", SEEDS)
def test_fixing_keeps_the_optimum_and_the_incumbent(seed: int, integral: bool) -> None:
    """Against every feasible incumbent: the kept pairs hold the incumbent and an optimum."""
    problem = _gap(seed, integral=integral)
    dense = Dense.of(problem)
    feasible = _all_feasible(problem)
    if not feasible:
        pytest.skip("no feasible assignment")
    optimum = max(dense.value(np.asarray(a)) for a in feasible)
    found = bound(dense, optimum, integral=integral, max_iterations=50)
    bounds = forced(dense, found.multipliers)
    for incumbent in feasible[:: max(1, len(feasible) // 12)]:
        start = np.asarray(incumbent)
        keep = keep_pairs(dense, bounds, start, dense.value(start), integral=integral)
        assert keep[start, np.arange(problem.n_jobs)].all()
        kept = [a for a in feasible if keep[np.asarray(a), np.arange(problem.n_jobs)].all()]
        assert max(dense.value(np.asarray(a)) for a in kept) == pytest.approx(optimum)


def test_fixing_removes_pairs_on_a_loose_instance() -> None:
    """Not just sound but useful: with the optimum as incumbent some pairs go."""
    removed = 0
    for seed in SEEDS:
        problem = _gap(seed)
        dense = Dense.of(problem)
        feasible = _all_feasible(problem)
        best = max(feasible, key=lambda a: dense.value(np.asarray(a)))
        found = bound(dense, dense.value(np.asarray(best)), integral=True, max_iterations=50)
        keep = keep_pairs(
            dense,
            forced(dense, found.multipliers),
            np.asarray(best),
            dense.value(np.asarray(best)),
            integral=True,
        )
        removed += int(dense.allowed.sum() - keep.sum())
    assert removed > 0


@pytest.mark.parametrize("seed", SEEDS)
def test_the_knapsacks_are_optimal(seed: int) -> None:
    problem = _gap(seed)
    dense = Dense.of(problem)
    rng = np.random.default_rng(seed)
    reduced = dense.profit - rng.uniform(0, 20, size=dense.n_jobs)[None, :]
    optimum, chosen = knapsacks(dense, reduced)
    for i in range(problem.n_agents):
        items = [j for j in range(problem.n_jobs) if dense.allowed[i, j]]
        best = 0.0
        for r in range(len(items) + 1):
            for subset in itertools.combinations(items, r):
                if sum(dense.use[i, j] for j in subset) <= dense.capacity[i]:
                    best = max(best, sum(reduced[i, j] for j in subset))
        assert optimum[i] == pytest.approx(best)
        picked = np.flatnonzero(chosen[i])
        assert dense.use[i, picked].sum() <= dense.capacity[i]
        assert reduced[i, picked].sum() == pytest.approx(best)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_forced_bounds_are_the_knapsacks_with_the_item_forced_in_or_out(seed: int) -> None:
    """Not only valid but exact: each agent's optimum over the subsets that hold the item (or
    do not), the other agents at their optimum."""
    problem = _gap(seed)
    dense = Dense.of(problem)
    multipliers = np.random.default_rng(seed).uniform(0, 20, size=dense.n_jobs)
    reduced = dense.profit - multipliers[None, :]
    optimum, _ = knapsacks(dense, reduced)
    bounds = forced(dense, multipliers)
    assert bounds.value == pytest.approx(multipliers.sum() + optimum.sum())
    for i in range(problem.n_agents):
        items = [j for j in range(problem.n_jobs) if dense.allowed[i, j]]
        subsets = [
            subset
            for r in range(len(items) + 1)
            for subset in itertools.combinations(items, r)
            if sum(dense.use[i, j] for j in subset) <= dense.capacity[i]
        ]
        others = bounds.value - optimum[i]
        for j in items:
            inside = [sum(reduced[i, k] for k in s) for s in subsets if j in s]
            outside = [sum(reduced[i, k] for k in s) for s in subsets if j not in s]
            assert bounds.with_pair[i, j] == pytest.approx(others + max(inside, default=-np.inf))
            assert bounds.without_pair[i, j] == pytest.approx(others + max(outside))


@pytest.mark.parametrize("seed", SEEDS)
def test_a_repaired_knapsack_solution_is_feasible(seed: int) -> None:
    problem = _gap(seed)
    dense = Dense.of(problem)
    found = bound(dense, -np.inf, integral=True, max_iterations=10)
    repaired = repair(dense, found.chosen)
    if repaired is not None:
        assert is_feasible(problem, tuple(int(a) for a in repaired))


def test_the_local_search_is_feasible_deterministic_and_mostly_optimal() -> None:
    optimal = 0
    for seed in SEEDS:
        problem = _gap(seed)
        dense = Dense.of(problem)
        start = np.asarray(greedy(problem))
        first = improve(dense, start if start.min() >= 0 else None, seed=seed)
        second = improve(dense, start if start.min() >= 0 else None, seed=seed)
        assert not first.stopped
        assert first.assignment is not None
        assert np.array_equal(first.assignment, second.assignment)
        assignment = tuple(int(a) for a in first.assignment)
        assert is_feasible(problem, assignment)
        assert dense.sign * evaluate(problem, assignment) == pytest.approx(first.value)
        optimum = _best(problem, _all_feasible(problem))
        assert optimum is not None
        assert first.value <= dense.sign * optimum + 1e-6
        if evaluate(problem, assignment) == pytest.approx(optimum):
            optimal += 1
    assert optimal >= 0.9 * len(SEEDS)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("seed", SEEDS[:20])
def test_solve_with_presolve_is_optimal_and_honest(backend: str, seed: int) -> None:
    problem = _gap(seed)
    result = solve(problem, backend=backend, time_limit=10)
    optimum = _best(problem, _all_feasible(problem))
    assert result.status == Status.OPTIMAL
    assert is_feasible(problem, result.assignment)
    assert result.objective == pytest.approx(optimum)
    assert evaluate(problem, result.assignment) == pytest.approx(optimum)
    assert result.bound is not None
    if problem.sense == Sense.MAX:
        assert result.bound >= optimum - 1e-6
    else:
        assert result.bound <= optimum + 1e-6
    assert "lagrangian" in result.settings
    assert "local_search" in result.settings


def test_the_reduced_problem_maps_back() -> None:
    for seed in SEEDS:
        problem = _gap(seed)
        reducer = presolve(problem, greedy(problem), time_limit=5, seed=0)
        if reducer is None:
            continue
        start = reducer.start()
        assert reducer.expand(start) == tuple(int(a) for a in reducer.incumbent)
        assert is_feasible(reducer.reduced, start)
        reduced_value = evaluate(reducer.reduced, start) if reducer.reduced.n_jobs else 0.0
        assert reduced_value + reducer.offset == pytest.approx(
            evaluate(problem, reducer.expand(start))
        )


def test_problems_with_rules_or_fairness_skip_the_presolve() -> None:
    problem = _gap(SEEDS[0])
    ruled = Problem(**{**problem.__dict__, "apart": ((0, 1),)})
    assert presolve(ruled, greedy(ruled), time_limit=5, seed=0) is None
    loose = Problem(**{**problem.__dict__, "must_assign": False})
    assert presolve(loose, greedy(loose), time_limit=5, seed=0) is None
    assert presolve(problem, greedy(problem), time_limit=0.5, seed=0) is None


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_short_time_limit_goes_straight_to_the_back_end(backend: str) -> None:
    problem = _gap(SEEDS[1])
    result = solve(problem, backend=backend, time_limit=0.5)
    assert "lagrangian" not in result.settings
    assert "local_search" not in result.settings
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert is_feasible(problem, result.assignment)


GAP = Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks" / "gap"


@pytest.mark.skipif(not GAP.is_dir(), reason="the shared GAP instances are not beside the project")
@pytest.mark.parametrize(
    ("name", "sense", "optimum"),
    [("gap8-3", "max", 1117), ("gap12-3", "min", 954), ("gap8-1", "min", 783)],
)
def test_restarts_on_every_better_solution_stay_optimal(
    monkeypatch: pytest.MonkeyPatch, name: str, sense: str, optimum: int
) -> None:
    """Restarting HiGHS on each better solution (the most restarts there can be) still ends
    proven optimal at the published optimum, with a valid bound."""
    monkeypatch.setattr(presolve_module, "RESTART_SHARE", 0.0)
    monkeypatch.setattr(backends_module, "MAX_RESTARTS", 8)
    monkeypatch.setattr(presolve_module, "SEARCH_CAP", 0.0)  # a weak start: more to improve
    problem = read_gap(GAP / "cattrysse1994" / name, sense=Sense(sense))
    result = solve(problem, backend="highs", time_limit=30)
    assert result.status == Status.OPTIMAL
    assert result.objective == pytest.approx(optimum)
    assert is_feasible(problem, result.assignment)
    assert result.bound is not None
    assert (result.bound >= optimum - 1e-6) if sense == "max" else (result.bound <= optimum + 1e-6)


@pytest.mark.parametrize("backend", BACKENDS)
def test_solve_with_presolve_is_deterministic(backend: str) -> None:
    for seed in SEEDS[:10]:
        problem = _gap(seed)
        first = solve(problem, backend=backend, time_limit=10, seed=3)
        second = solve(problem, backend=backend, time_limit=10, seed=3)
        assert first.assignment == second.assignment
        assert first.bound == second.bound
        assert first.settings.get("pairs_removed") == second.settings.get("pairs_removed")
