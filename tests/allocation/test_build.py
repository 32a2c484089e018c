"""The merged model: interchangeable jobs become one class with a count (an exact reduction)."""

import itertools
import random

import numpy as np
import pytest

from opvangregie.allocation.backends import BACKENDS, solve
from opvangregie.allocation.backends._build import build
from opvangregie.allocation.problem import Pair, Problem, Status, evaluate, is_feasible


def _problem_with_twins(seed: int) -> Problem:
    """Few job kinds, each repeated: the situation of a waiting list of similar households."""
    rng = random.Random(seed)
    agents = rng.randint(1, 3)
    kinds = [
        (
            rng.randint(1, 3),
            [
                (i, rng.randint(1, 3), float(rng.randint(1, 9)))
                for i in range(agents)
                if rng.random() < 0.8
            ],
        )
        for _ in range(rng.randint(1, 3))
    ]
    jobs = [kinds[rng.randrange(len(kinds))] for _ in range(rng.randint(2, 6))]
    groups = rng.randint(1, 2)
    return Problem(
        n_jobs=len(jobs),
        n_agents=agents,
        capacity=tuple(rng.randint(2, 8) for _ in range(agents)),
        pairs=tuple(
            Pair(j, agent, use, value)
            for j, (_, options) in enumerate(jobs)
            for agent, use, value in options
        ),
        place_bonus=5.0,
        job_weight=tuple(weight for weight, _ in jobs),
        agent_group=tuple(i % groups for i in range(agents)),
        group_target=tuple(float(rng.randint(0, 8)) for _ in range(groups)),
        group_present=tuple(float(rng.randint(0, 2)) for _ in range(groups)),
        fairness_weight=rng.choice([0.0, 1.5, 4.0]),
        apart=((0, 1),) if len(jobs) > 2 and rng.random() < 0.3 else (),
    )


def _problem_with_ties(seed: int) -> Problem:
    """Jobs alike but for a bonus at some agents (households with ties): they share a pool."""
    rng = random.Random(seed)
    agents = rng.randint(2, 3)
    uses = [rng.randint(1, 3) for _ in range(agents)]
    base = [float(rng.randint(1, 9)) for _ in range(agents)]
    kinds = [
        [b + (rng.choice([3.0, 8.0]) if rng.random() < 0.4 else 0.0) for b in base]
        for _ in range(rng.randint(2, 3))
    ]
    jobs = [kinds[rng.randrange(len(kinds))] for _ in range(rng.randint(3, 6))]
    return Problem(
        n_jobs=len(jobs),
        n_agents=agents,
        capacity=tuple(rng.randint(1, 6) for _ in range(agents)),
        pairs=tuple(
            Pair(j, i, uses[i], values[i]) for j, values in enumerate(jobs) for i in range(agents)
        ),
        job_weight=tuple([2] * len(jobs)),
        agent_group=tuple(range(agents)),
        group_target=tuple(float(rng.randint(0, 6)) + 0.5 for _ in range(agents)),
        group_present=tuple([0.0] * agents),
        fairness_weight=rng.choice([0.0, 1.5]),
        must_assign=rng.random() < 0.3,
    )


def _brute_force(problem: Problem) -> float:
    return max(
        (
            evaluate(problem, a)
            for a in itertools.product(range(-1, problem.n_agents), repeat=problem.n_jobs)
            if is_feasible(problem, a)
        ),
        default=float("-inf"),
    )


def test_identical_jobs_are_merged_and_linked_jobs_are_not() -> None:
    pairs = tuple(Pair(j, i, 2, 3.0) for j in range(4) for i in range(2))
    problem = Problem(n_jobs=4, n_agents=2, capacity=(4, 4), pairs=pairs, apart=((0, 1),))
    model = build(problem)
    assert model.members == [[0], [1], [2, 3]]
    assert model.n_cols == 6
    assert model.col_upper.tolist() == [1, 1, 1, 1, 2, 2]  # two of class 2 fit each agent


def test_counts_and_assignment_are_each_others_inverse() -> None:
    problem = _problem_with_twins(3)
    model = build(problem)
    for assignment in itertools.product(range(-1, problem.n_agents), repeat=problem.n_jobs):
        if not is_feasible(problem, assignment):
            continue
        counts = model.counts(assignment)
        back = model.assignment(problem.n_jobs, counts)
        assert is_feasible(problem, back)
        assert evaluate(problem, back) == pytest.approx(evaluate(problem, assignment))
        assert model.objective(problem, counts) == pytest.approx(evaluate(problem, assignment))
        assert model.feasible(problem, counts)
        assert np.array_equal(model.counts(back), counts)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("seed", range(25))
def test_merged_model_has_the_same_optimum_as_brute_force(backend: str, seed: int) -> None:
    problem = _problem_with_twins(seed)
    result = solve(problem, backend=backend, time_limit=10)
    assert result.status == Status.OPTIMAL
    assert is_feasible(problem, result.assignment)
    assert evaluate(problem, result.assignment) == pytest.approx(_brute_force(problem), abs=1e-6)
    assert result.objective == pytest.approx(_brute_force(problem), abs=1e-6)


def test_jobs_alike_but_for_some_values_share_a_pool() -> None:
    problem = Problem(
        n_jobs=3,
        n_agents=2,
        capacity=(4, 4),
        pairs=(
            *(Pair(j, 0, 1, 5.0) for j in range(3)),
            Pair(0, 1, 1, 5.0),
            Pair(1, 1, 1, 9.0),  # a tie with agent 1
            Pair(2, 1, 1, 5.0),
        ),
    )
    model = build(problem)
    assert model.members == [[0, 2], [1]]
    assert model.pools == [[0, 1]]
    # Two base columns (any job, value 5) and one column for job 1 at agent 1 (value 9).
    assert model.col_class.tolist() == [-1, -1, 1]
    assert model.col_value.tolist() == [5.0, 5.0, 9.0]
    result = solve(problem, time_limit=5)
    assert result.status == Status.OPTIMAL
    assert result.assignment[1] == 1
    assert result.objective == pytest.approx(19.0)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("seed", range(25))
def test_pooled_model_has_the_same_optimum_as_brute_force(backend: str, seed: int) -> None:
    problem = _problem_with_ties(seed)
    optimum = _brute_force(problem)
    result = solve(problem, backend=backend, time_limit=10)
    if optimum == float("-inf"):
        assert result.status == Status.INFEASIBLE
        return
    assert result.status == Status.OPTIMAL
    assert is_feasible(problem, result.assignment)
    assert evaluate(problem, result.assignment) == pytest.approx(optimum, abs=1e-6)
    assert result.objective == pytest.approx(optimum, abs=1e-6)
