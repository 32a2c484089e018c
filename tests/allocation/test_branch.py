"""Branch-and-price (``allocation.branch``): a closed tree means no better assignment exists
(checked against every assignment of small instances), a better one found on the way is
reported, and the deadline ends the search without a claim."""

import time
from pathlib import Path

import numpy as np
import pytest

from opvangregie.allocation import presolve as presolve_module
from opvangregie.allocation.backends import highs as highs_module
from opvangregie.allocation.backends import solve
from opvangregie.allocation.branch import Prover
from opvangregie.allocation.gap import read_gap
from opvangregie.allocation.lagrange import bound
from opvangregie.allocation.local_search import Dense
from opvangregie.allocation.problem import Pair, Problem, Sense, Status, evaluate
from tests.allocation.instances import all_assignments, recorder, type_d

GAP = Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks" / "gap"


def _fractional(seed: int, jobs: int, agents: int) -> Problem:
    """Type D with costs that are not whole numbers (no rounding of the bound allowed)."""
    base = type_d(seed, jobs, agents)
    rng = np.random.default_rng(seed + 100)
    pairs = tuple(
        Pair(job=p.job, agent=p.agent, use=p.use, value=p.value + float(rng.random()))
        for p in base.pairs
    )
    return Problem(
        n_jobs=base.n_jobs,
        n_agents=base.n_agents,
        capacity=base.capacity,
        pairs=pairs,
        sense=Sense.MIN,
        must_assign=True,
        integral_objective=False,
    )


@pytest.mark.parametrize(
    ("seed", "integral"), [(1, True), (2, True), (3, True), (4, False), (5, False)]
)
def test_from_the_worst_assignment_the_tree_closes_on_the_optimum(
    seed: int, integral: bool
) -> None:
    problem = type_d(seed, 9, 3) if integral else _fractional(seed, 9, 3)
    dense = Dense.of(problem)
    feasible, values = all_assignments(dense)
    assert feasible, "the instance must have an assignment"
    worst = feasible[int(np.argmin(values))]
    found = bound(dense, min(values), integral=integral, max_iterations=30)
    reported, report = recorder(dense)
    prover = Prover(dense, found.multipliers, worst, integral=integral, report=report)
    assert prover.run(time.perf_counter() + 60)
    assert prover.value == pytest.approx(max(values))
    assert dense.value(prover.best) == pytest.approx(max(values))
    assert reported == sorted(reported)
    assert prover.nodes >= 1


@pytest.mark.parametrize("seed", [6, 7])
def test_from_the_optimum_the_tree_closes_and_nothing_is_reported(seed: int) -> None:
    dense = Dense.of(type_d(seed, 9, 3))
    feasible, values = all_assignments(dense)
    best = feasible[int(np.argmax(values))]
    found = bound(dense, max(values), integral=True, max_iterations=30)
    reported: list[float] = []
    prover = Prover(
        dense, found.multipliers, best, integral=True, report=lambda _a, v: reported.append(v)
    )
    assert prover.run(time.perf_counter() + 60)
    assert reported == []
    assert np.array_equal(prover.best, best)


def test_from_the_second_best_the_tree_does_not_close_before_the_optimum_is_found() -> None:
    """One unit of objective apart: the pruning threshold (incumbent plus one) must not close
    the node that holds the optimum."""
    dense = Dense.of(type_d(8, 9, 3))
    feasible, values = all_assignments(dense)
    order = np.argsort(values)
    second = feasible[int(order[-2])]
    if values[int(order[-2])] == max(values):
        pytest.skip("two optimal assignments")
    found = bound(dense, values[int(order[-2])], integral=True, max_iterations=30)
    prover = Prover(dense, found.multipliers, second, integral=True)
    assert prover.run(time.perf_counter() + 60)
    assert prover.value == pytest.approx(max(values))  # it did not stop at the second best


def test_the_deadline_ends_the_search_without_a_claim_and_frees_the_master() -> None:
    problem = type_d(9, 60, 8)
    dense = Dense.of(problem)
    start = np.asarray(solve(problem, backend="highs", time_limit=5, deterministic=True).assignment)
    found = bound(dense, dense.value(start), integral=True, max_iterations=30)
    prover = Prover(dense, found.multipliers, start, integral=True)
    assert not prover.run(time.perf_counter() - 1.0)
    assert prover.nodes == 0
    assert not prover.run(time.perf_counter() + 0.05) or prover.nodes >= 1
    lp, *_ = prover.master.solve()  # every pattern usable again
    assert lp >= dense.value(start) - 1e-6


@pytest.mark.skipif(not GAP.is_dir(), reason="the shared GAP instances are not beside the project")
def test_a_proof_beside_a_search_that_finds_nothing_makes_the_result_optimal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """HiGHS is replaced by a search that never answers: the result can only be proven by the
    companion's branch-and-price, and it is, with the published optimum and its bound."""

    def silent(*_args: object, **_kwargs: object) -> None:
        time.sleep(120)

    monkeypatch.setattr(highs_module, "_solve", silent)
    monkeypatch.setattr(highs_module, "COMPANION_AFTER", 0.0)
    monkeypatch.setattr(presolve_module, "SEARCH_CAP", 0.0)  # a weak start: more to find
    problem = read_gap(GAP / "cattrysse1994/gap12-3", sense=Sense.MIN)
    result = solve(problem, backend="highs", time_limit=40)
    companion = result.settings["companion"]
    assert companion["handed_over"] is False
    assert companion["branch_and_price"]["proved"] is True
    assert companion["branch_and_price"]["nodes"] >= 1
    assert result.status == Status.OPTIMAL
    assert result.objective == pytest.approx(954)
    assert evaluate(problem, result.assignment) == pytest.approx(954)
    assert result.bound == pytest.approx(954)
    assert result.seconds < 35  # it ended on the proof, not at the time limit


@pytest.mark.parametrize("seed", [1, 2, 3, 6])
def test_looking_only_above_a_value_the_tree_closes_empty_or_on_the_optimum(seed: int) -> None:
    """With ``above``: a closed tree that found nothing means no assignment is worth more
    than ``above``; one that found something ends on the optimum. Every level between the
    worst and the best value, against all assignments."""
    dense = Dense.of(type_d(seed, 9, 3))
    feasible, values = all_assignments(dense)
    worst = feasible[int(np.argmin(values))]
    optimum = max(values)
    found = bound(dense, min(values), integral=True, max_iterations=30)
    for above in sorted({*values, optimum + 1, optimum + 3}):
        prover = Prover(dense, found.multipliers, worst, integral=True, above=above - 1)
        assert prover.run(time.perf_counter() + 60)
        if optimum >= above:  # an assignment worth ``above`` or more exists
            assert prover.found
            assert prover.value == pytest.approx(optimum)
            assert dense.value(prover.best) == pytest.approx(optimum)
        else:
            assert not prover.found
            assert prover.value == pytest.approx(above - 1)
            assert np.array_equal(prover.best, worst)


@pytest.mark.parametrize("seed", [1, 2, 3, 6])
def test_with_enough_the_tree_ends_at_the_first_assignment_worth_it(seed: int) -> None:
    """``enough``: the search ends as soon as it finds an assignment worth that much (a tree
    at one level of the bound raised from below), and one that closes empty still shows that
    nothing is worth as much. Every level from the worst value up, against all assignments."""
    dense = Dense.of(type_d(seed, 9, 3))
    feasible, values = all_assignments(dense)
    worst = feasible[int(np.argmin(values))]
    optimum = max(values)
    found = bound(dense, min(values), integral=True, max_iterations=30)
    for level in sorted({*values, optimum + 1} - {min(values)}):
        reports: list[int] = []  # the node count at each report
        searched: dict[str, Prover] = {}

        def note(
            _a: object, _v: float, reports: list[int] = reports, searched: dict = searched
        ) -> None:
            reports.append(searched["tree"].nodes)

        prover = Prover(
            dense,
            found.multipliers,
            worst,
            integral=True,
            above=level - 1,
            enough=level,
            report=note,
        )
        searched["tree"] = prover
        assert prover.run(time.perf_counter() + 60)
        if optimum >= level:
            assert prover.found
            assert level <= prover.value <= optimum
            assert dense.value(prover.best) == pytest.approx(prover.value)
            assert len(reports) == 1
            assert prover.nodes == reports[0]  # nothing searched after it
        else:
            assert not prover.found
            assert prover.value == pytest.approx(level - 1)


@pytest.mark.parametrize("seed", [1, 2, 3, 6])
def test_trees_sharing_one_master_close_as_trees_with_their_own(seed: int) -> None:
    """The bound raised from below: one master for every tree, from the highest level down
    (as ``backends.highs`` does), each tree starting from the columns of the last. Every level
    against all assignments, and each answer as a tree with a master of its own gives it."""
    dense = Dense.of(type_d(seed, 9, 3))
    feasible, values = all_assignments(dense)
    worst = feasible[int(np.argmin(values))]
    optimum = max(values)
    found = bound(dense, min(values), integral=True, max_iterations=30)
    master = None
    for above in sorted({*values, optimum + 1, optimum + 3}, reverse=True):
        shared = Prover(
            dense, found.multipliers, worst, integral=True, above=above - 1, master=master
        )
        own = Prover(dense, found.multipliers, worst, integral=True, above=above - 1)
        assert master is None or shared.master is master
        master = shared.master
        assert shared.run(time.perf_counter() + 60)
        assert own.run(time.perf_counter() + 60)
        assert shared.found == own.found == (optimum >= above)
        assert shared.value == pytest.approx(own.value)
        assert shared.value == pytest.approx(optimum if optimum >= above else above - 1)
        assert dense.feasible(shared.best)


@pytest.mark.skipif(not GAP.is_dir(), reason="the shared GAP instances are not beside the project")
def test_a_solution_meeting_the_bound_the_companion_raised_ends_the_run_as_optimal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """HiGHS never answers and the companion's proof only sends its best assignment and a
    bound (here: that assignment's own value): the run must end on them, as optimal, long
    before its limit."""

    def silent(*_args: object, **_kwargs: object) -> None:
        time.sleep(120)

    def bound_only(_self, diver, end, send) -> bool:  # type: ignore[no-untyped-def]
        if diver.best is not None:  # the parent gets the assignment, then the bound
            send(("assignment", diver.best))
            send(("bound", diver.best, 0.0))
        time.sleep(max(0.0, end - time.perf_counter()))
        return False

    monkeypatch.setattr(highs_module, "_solve", silent)
    monkeypatch.setattr(highs_module._Proof, "attempt", bound_only)
    monkeypatch.setattr(highs_module, "COMPANION_AFTER", 0.0)
    problem = read_gap(GAP / "cattrysse1994/gap12-3", sense=Sense.MIN)
    result = solve(problem, backend="highs", time_limit=40)
    assert result.settings["companion"]["solutions"] >= 1
    assert result.status == Status.OPTIMAL
    assert result.bound == pytest.approx(result.objective)
    assert evaluate(problem, result.assignment) == pytest.approx(result.objective)
    assert result.seconds < 35  # it ended on the bound, not at the time limit
