"""Price-and-dive (``allocation.dive``): the master's LP lies between the optimum and the
Lagrangian bound, a dive's assignment is feasible, leftovers are completed, and only
improvements are reported."""

import time

import numpy as np
import pytest

from opvangregie.allocation.backends import solve
from opvangregie.allocation.dive import Diver, Master
from opvangregie.allocation.lagrange import bound
from opvangregie.allocation.local_search import Dense, improve
from opvangregie.allocation.problem import Status
from tests.allocation.instances import recorder, type_d


def _setup(seed: int, jobs: int = 30, agents: int = 5):  # type: ignore[no-untyped-def]
    problem = type_d(seed, jobs, agents)
    dense = Dense.of(problem)
    search = improve(dense, None, seed=seed, max_iterations=200, patience=50)
    assert search.assignment is not None
    start = search.assignment
    found = bound(dense, dense.value(start), integral=True, max_iterations=30)
    return problem, dense, start, found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_master_lp_lies_between_the_optimum_and_the_lagrangian_bound(seed: int) -> None:
    problem, dense, _start, found = _setup(seed)
    optimum = solve(problem, backend="highs", time_limit=30)
    assert optimum.status == Status.OPTIMAL
    best = -float(optimum.objective)  # maximised, as the master sees it
    # No incumbent: the master starts from knapsack patterns and artificial columns only, and
    # column generation must carry it to the optimum or above.
    diver = Diver(dense, found.multipliers, None, seed=0)
    free = np.ones(dense.n_jobs, dtype=bool)
    active = np.ones(dense.n_agents, dtype=bool)
    for _ in range(20):  # column generation to the end
        diver.generate(free, active, time.perf_counter() + 30)
    lp, job_price, agent_price, _ = diver.master.solve()
    lagrangian, _ = diver.lagrangian(diver.center, free, active)
    assert best - 1e-6 <= lp <= lagrangian + 1e-6 * abs(lagrangian)
    # No pattern left to price in: every knapsack's reduced profit is within the agent's price.
    optimum_at_duals, chosen = diver.lagrangian(job_price, free, active)
    for agent in range(dense.n_agents):
        jobs = chosen[agent]
        gain = dense.profit[agent, jobs].sum() - job_price[jobs].sum() - agent_price[agent]
        assert gain <= 1e-4 * max(1.0, abs(lp))
    assert optimum_at_duals >= lp - 1e-4 * abs(lp)  # weak duality at the LP's own prices


@pytest.mark.parametrize("seed", [4, 5])
def test_dives_report_only_better_feasible_assignments(seed: int) -> None:
    _, dense, start, found = _setup(seed, jobs=40, agents=8)
    reported, report = recorder(dense)
    diver = Diver(dense, found.multipliers, start, seed=seed, report=report)
    best = diver.run(time.perf_counter() + 3.0)
    assert best is not None
    assert dense.feasible(best)
    assert diver.dives >= 1
    values = [dense.value(start), *reported]
    assert values == sorted(values)
    assert len(set(values)) == len(values)
    assert dense.value(best) == pytest.approx(values[-1])
    assert dense.value(best) <= found.value + 1e-6  # never beats the bound


def test_a_dive_fixes_patterns_that_fit_and_cover_each_job_once() -> None:
    _, dense, start, found = _setup(6, jobs=40, agents=8)
    diver = Diver(dense, found.multipliers, start, seed=0)
    partial = diver.dive(time.perf_counter() + 10)
    placed = np.flatnonzero(partial >= 0)
    assert len(placed) > 0
    load = np.bincount(partial[placed], dense.use[partial[placed], placed], minlength=8)
    assert np.all(load <= dense.capacity)
    assert np.all(dense.allowed[partial[placed], placed])
    # The master's bounds are reset after a dive: the next one starts from a free master.
    lp, *_ = diver.master.solve()
    lagrangian, _ = diver.lagrangian(
        diver.center, np.ones(dense.n_jobs, dtype=bool), np.ones(8, dtype=bool)
    )
    assert lp <= lagrangian + 1e-6 * abs(lagrangian)
    assert lp >= dense.value(start) - 1e-6


def test_leftover_jobs_are_placed_in_the_room_left() -> None:
    _, dense, start, found = _setup(7)
    diver = Diver(dense, found.multipliers, start, seed=0)
    partial = start.copy()
    partial[[0, 5, 9]] = -1
    done = diver.complete(partial, 5.0)
    assert done is not None
    assert dense.feasible(done)
    assert np.array_equal(done[partial >= 0], partial[partial >= 0])  # fixed ones stay
    # Nothing can go where no room is left: every agent full, a job left over.
    full = Dense(dense.profit, dense.use, dense.allowed, np.zeros(5, dtype=np.int64), dense.sign)
    assert Diver(full, found.multipliers, None).complete(np.full(30, -1), 5.0) is None


def test_the_master_starts_with_the_incumbent_and_artificial_columns() -> None:
    _, dense, start, _found = _setup(8)
    master = Master(dense)
    assert master.size == 0
    lp, *_ = master.solve()  # only artificial columns: feasible, at a loss worse than any
    assert lp < dense.n_jobs * float(dense.profit.min()) - 1  # assignment's
    for agent in range(dense.n_agents):
        master.add(agent, start == agent)
    assert not master.add(0, start == 0)  # once
    lp, _, _, values = master.solve()
    assert lp == pytest.approx(dense.value(start))
    assert np.allclose(values, 1.0)


def test_fixed_patterns_stay_fixed_when_the_master_is_restricted() -> None:
    _, dense, start, found = _setup(9)
    diver = Diver(dense, found.multipliers, start, seed=0)
    master = diver.master
    column = 0  # the incumbent's pattern of agent 0
    agent, jobs = master.agents[column], master.jobs[column]
    free = np.ones(dense.n_jobs, dtype=bool)
    active = np.ones(dense.n_agents, dtype=bool)
    free[jobs], active[agent] = False, False
    master.fix(column)
    master.allow(free, active)
    lp, _, _, values = master.solve()
    assert values[column] == pytest.approx(1.0)
    assert master.fixed_profit == pytest.approx(dense.profit[agent, jobs].sum())
    rest, _ = diver.lagrangian(diver.center, free, active)
    assert lp - master.fixed_profit <= rest + 1e-6 * abs(rest)  # the LP of what is left
    master.reset()
    assert master.fixed == []
    _, _, _, values = master.solve()
    assert lp <= diver.master.solve()[0] + 1e-6  # freed again: at least as good


def test_the_master_passes_every_change_of_bounds_to_highs() -> None:
    """Only changed bounds are sent, and the simplex switches to the dual after them: the
    LP in HiGHS must still hold exactly the bounds set, through fixing, restricting, new
    columns and a reset."""
    _, dense, start, found = _setup(10)
    diver = Diver(dense, found.multipliers, start, seed=0)
    master = diver.master
    n = dense.n_jobs
    rng = np.random.default_rng(0)

    def bounds_in_highs() -> tuple[np.ndarray, np.ndarray]:
        lp = master.highs.getLp()
        return np.asarray(lp.col_lower_)[n:], np.asarray(lp.col_upper_)[n:]

    for step in range(6):
        free = rng.random(n) < 0.7
        active = rng.random(dense.n_agents) < 0.8
        if step % 2:
            master.fix(int(rng.integers(master.size)))
        master.allow(free, active)
        lower, upper = bounds_in_highs()
        usable = [
            column in master.fixed or (active[a] and bool(free[j].all()))
            for column, (a, j) in enumerate(zip(master.agents, master.jobs, strict=True))
        ]
        assert np.array_equal(upper > 0, np.asarray(usable))
        assert np.all(lower[master.fixed] == 1.0)
        master.add(int(rng.integers(dense.n_agents)), rng.random(n) < 0.05)  # a new column
        lower, upper = bounds_in_highs()
        expected_lower, expected_upper = master._current()
        assert np.array_equal(lower, expected_lower)
        assert np.array_equal(upper, expected_upper)
        master.solve()
    master.reset()
    lower, upper = bounds_in_highs()
    assert np.all(lower == 0)
    assert np.all(upper == np.inf)


@pytest.mark.parametrize("within", [0.0, 1.0, 5.0])
def test_the_root_patterns_are_those_the_lp_uses_or_that_nearly_improve_it(within: float) -> None:
    """``Master.near``: exactly the columns with a positive value or a reduced cost above
    ``-within`` at the LP's duals; a dive keeps them (at ``ROOT_NEAR``) from its root."""
    _, dense, start, found = _setup(6)
    diver = Diver(dense, found.multipliers, start, seed=0, patterns=found.patterns)
    diver.dive(time.perf_counter() + 30)
    master = diver.master
    _, job_price, agent_price, values = master.solve()
    expected = set()
    for column, (agent, jobs) in enumerate(zip(master.agents, master.jobs, strict=True)):
        reduced = dense.profit[agent, jobs].sum() - job_price[jobs].sum() - agent_price[agent]
        if values[column] > 1e-9 or reduced > -within:
            expected.add((agent, jobs.tobytes()))
    near = master.near(job_price, agent_price, values, within)
    assert {(agent, jobs.tobytes()) for agent, jobs in near} == expected
    assert any(values > 1e-9)  # the LP uses some pattern: the set is never empty
    assert diver.root_patterns  # the first dive kept its root's
    for agent, jobs in diver.root_patterns:
        assert dense.allowed[agent, jobs].all()
        assert dense.use[agent, jobs].sum() <= dense.capacity[agent]
