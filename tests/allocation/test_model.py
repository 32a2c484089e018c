"""``domain.to_model`` builds the merged model straight from an instance: same optimum."""

import itertools
import random

import pytest

from opvangregie.allocation.backends import BACKENDS, solve
from opvangregie.allocation.domain import (
    Household,
    Instance,
    Location,
    Municipality,
    objective,
    place,
    to_model,
    to_problem,
)
from opvangregie.allocation.problem import Status, evaluate, is_feasible

CODES = ("GM0513", "GM0546", "GM0599")


def _instance(seed: int) -> Instance:
    rng = random.Random(seed)
    locations = tuple(
        Location(
            id=f"l{i}",
            municipality=rng.choice(CODES[:2]),
            free=rng.randint(2, 7),
            features=tuple(
                f
                for f in ("wheelchair_accessible", "family_units", "single_men_only")
                if rng.random() < 0.3
            ),
            unit_sizes=(2, 4) if rng.random() < 0.2 else (),
        )
        for i in range(rng.randint(1, 3))
    )
    kinds = [
        (
            rng.randint(1, 4),
            ("wheelchair",) if rng.random() < 0.2 else (),
            tuple(rng.sample(CODES, rng.randint(0, 2))),  # GM0599 has no location
            rng.choice(["family", "single_man"]),
        )
        for _ in range(rng.randint(1, 3))
    ]
    households = [
        Household(f"h{j}", size, needs, ties, kind)
        for j, (size, needs, ties, kind) in enumerate(
            kinds[rng.randrange(len(kinds))] for _ in range(rng.randint(2, 5))
        )
    ]
    if rng.random() < 0.3:
        h = households[0]
        rule = "together_with" if rng.random() < 0.5 else "apart_from"
        households[0] = Household(**{**h.__dict__, rule: (households[1].id,)})
    return Instance(
        households=tuple(households),
        locations=locations,
        municipalities=tuple(
            Municipality(code, target=rng.randint(0, 8) + 0.5, present=rng.randint(0, 3))
            for code in CODES[:2]
        ),
    )


def _brute_force(instance: Instance) -> float:
    problem = to_problem(instance)
    return max(
        evaluate(problem, a)
        for a in itertools.product(range(-1, problem.n_agents), repeat=problem.n_jobs)
        if is_feasible(problem, a)
    )


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("seed", range(30))
def test_place_finds_the_brute_force_optimum(backend: str, seed: int) -> None:
    instance = _instance(seed)
    placement = place(instance, backend=backend, time_limit=10)
    problem = to_problem(instance)
    assert placement.result.status == Status.OPTIMAL
    assert is_feasible(problem, placement.result.assignment)
    optimum = _brute_force(instance)
    assert evaluate(problem, placement.result.assignment) == pytest.approx(optimum, abs=1e-6)
    assert placement.result.objective == pytest.approx(optimum, abs=1e-6)


def test_the_direct_model_is_as_small_as_the_built_one() -> None:
    households = tuple(
        Household(f"h{j}", 1 + j % 3, ties=(CODES[(j // 4) % 2],) if j % 4 == 0 else ())
        for j in range(40)
    )
    locations = tuple(Location(f"l{i}", CODES[i % 2], 6) for i in range(6))
    instance = Instance(households, locations, tuple(Municipality(c, 10) for c in CODES[:2]))
    problem, model = to_model(instance)
    assert problem.pairs == ()
    assert len(model.members) == 9  # 3 sizes x (no tie, tie with one or the other)
    assert len(model.pools) == 3
    assert model.n_cols == 3 * 6 + 6 * 3  # base columns, and each tie class at its 3 locations
    built = solve(to_problem(instance), time_limit=10)
    assert place(instance, time_limit=10).result.objective == pytest.approx(built.objective)


def test_highs_returns_the_lp_rounding_when_it_is_close_enough() -> None:
    households = tuple(Household(f"h{j}", 1 + j % 4, ties=(CODES[j % 2],)) for j in range(60))
    locations = tuple(Location(f"l{i}", CODES[i % 2], 5 + i % 4) for i in range(12))
    instance = Instance(households, locations, tuple(Municipality(c, 40.5) for c in CODES[:2]))
    result = place(instance, time_limit=10, relative_gap=0.5).result
    assert result.settings.get("returned") == "start"  # no MIP search: the LP bound suffices
    assert result.bound is not None
    assert result.gap is not None
    assert result.gap <= 0.5
    assert is_feasible(to_problem(instance), result.assignment)


@pytest.mark.parametrize("seed", range(10))
def test_the_objective_from_the_instance_is_the_problems(seed: int) -> None:
    instance = _instance(seed)
    problem = to_problem(instance)
    for assignment in itertools.product(range(-1, problem.n_agents), repeat=problem.n_jobs):
        if is_feasible(problem, assignment):
            assert objective(instance, assignment) == pytest.approx(evaluate(problem, assignment))
