"""Price-and-dive: a primal heuristic for plain GAP problems from the Dantzig-Wolfe master.

The master chooses, per agent, one *pattern* (a set of jobs that fits its capacity) so that
every job is in exactly one chosen pattern. Its LP relaxation is as strong as the Lagrangian
bound (``lagrange``), and on the hard GAP instances (type D) its solutions are nearly integral:
that is what a dive exploits (Joncour, Michel, Sadykov, Sverdlov and Vanderbeck, "Column
generation based primal heuristics", 2010, who test it on the GAP).

1. *Column generation.* The restricted master starts from the incumbent's patterns and the
   knapsack solutions at the Lagrangian multipliers and around them. Each round solves the
   master LP, prices every agent's knapsack (the same dynamic programme as the bound) at the
   LP's duals smoothed towards the best Lagrangian multipliers seen (Wentges' stabilisation,
   which keeps the duals from jumping), and adds the patterns that improve the LP.
2. *Dive.* Fix the pattern the LP uses most (with every pattern it uses fully), remove its
   agent and jobs, generate columns again for what is left, and repeat until every agent is
   fixed or the LP uses nothing. Jobs left over go to the agents' remaining room through a
   small MIP; the result is polished by the tabu search (``local_search``).
3. *Diversify.* Later dives pick at random among the patterns the LP uses nearly as much as
   the most used one; the master keeps its columns from dive to dive.

Artificial columns (one per job, at a large loss) keep every restricted master feasible, so a
dive never needs to backtrack; it just leaves the jobs it cannot place to the completion.
"""

import time
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from ._quiet import quiet
from .lagrange import knapsacks, pass_assignment
from .local_search import Dense, improve

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

PRIMAL, DUAL = 4, 1  # HiGHS's simplex_strategy values
SMOOTHING = 0.95  # Wentges' alpha: the share of the stability centre in the pricing duals
PERTURBED = 20  # knapsack solutions at this many perturbed multipliers seed the master
SPREAD = 0.05  # the perturbation, relative to the mean absolute profit
ROUNDS = 40  # column generation rounds per dive step, at most
CHOICE = 0.3  # later dives choose among patterns used at least (1 - CHOICE) x the most used
# Patterns fixed per dive step: this share of the agents left (at least one), the most used
# first, each used at least half as much as the first; and every pattern the LP uses fully.
FIX_SHARE = 0.1
COMPLETION_LIMIT = 2.0  # seconds for the MIP that places a dive's leftover jobs
POLISH_LIMIT = 2.0  # seconds of tabu search on each dive's assignment
# The proof's master starts from the root's patterns that improve the LP by less than this
# at its duals (profit units; one step of an integral objective): e40400, its bound raised
# from 44556 to 44559, took 7.4 s so (1,283 of 3,747 columns), 17.4 s from the knapsacks'
# patterns alone; 8.7 s with 0.3 (851 columns), 12.9 s with 4 (2,056). Single runs, ADR 0013.
ROOT_NEAR = 1.0


class Master:
    """The restricted master LP in HiGHS (minimising the negated profit): rows are the jobs
    (= 1) and the agents (<= 1); the first n columns are the artificial ones."""

    def __init__(self, dense: Dense) -> None:
        import highspy

        self.dense = dense
        n, m = dense.n_jobs, dense.n_agents
        with quiet():
            self.highs = h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        h.setOptionValue("presolve", "off")  # keeps the basis from round to round
        # Primal simplex after new columns (the basis stays primal feasible), dual simplex
        # after bounds changed (it stays dual feasible): on c20400's dives the first solve
        # after a dive step took 80 ms (median) with the primal, 15 ms with this switch.
        h.setOptionValue("simplex_strategy", PRIMAL)
        self._strategy = PRIMAL
        self._rebound = False  # bounds of columns changed since the last solve
        h.addRows(
            n + m,
            np.concatenate([np.ones(n), np.full(m, -np.inf)]),
            np.ones(n + m),
            0,
            np.zeros(0, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0),
        )
        big = float(np.abs(dense.profit).max() * (n + 1) + 1.0)
        h.addCols(
            n,
            np.full(n, big),
            np.zeros(n),
            np.full(n, np.inf),
            n,
            np.arange(n, dtype=np.int32),
            np.arange(n, dtype=np.int32),
            np.ones(n),
        )
        self.agents: list[int] = []
        self.jobs: list[IntArray] = []
        self._lower = np.zeros(0)  # the columns' bounds, as last set
        self._upper = np.zeros(0)
        self._seen: set[tuple[int, bytes]] = set()
        self.fixed: list[int] = []  # the columns a dive has fixed (at 1)
        self._patterns = np.zeros((0, n), dtype=bool)

    @property
    def size(self) -> int:
        return len(self.agents)

    def add(self, agent: int, chosen: BoolArray) -> bool:
        """Add the pattern of ``agent`` holding the jobs ``chosen`` (once; not when it is
        empty or does not fit the agent)."""
        return self.add_jobs(agent, np.flatnonzero(chosen).astype(np.int64))

    def add_jobs(self, agent: int, jobs: IntArray) -> bool:
        """``add`` with the pattern's jobs as indices (ascending)."""
        key = (agent, jobs.tobytes())
        if len(jobs) == 0 or key in self._seen:
            return False
        dense = self.dense
        if (
            not dense.allowed[agent, jobs].all()
            or dense.use[agent, jobs].sum() > dense.capacity[agent]
        ):
            return False
        self._seen.add(key)
        self.agents.append(agent)
        self.jobs.append(jobs)
        rows = np.concatenate([jobs, [self.dense.n_jobs + agent]]).astype(np.int32)
        profit = float(self.dense.profit[agent, jobs].sum())
        self.highs.addCol(-profit, 0.0, np.inf, len(rows), rows, np.ones(len(rows)))
        return True

    def near(
        self, job_price: FloatArray, agent_price: FloatArray, values: FloatArray, within: float
    ) -> list[tuple[int, IntArray]]:
        """The patterns (agent, jobs) the LP uses at these duals and values, and those whose
        profit falls short of their prices by less than ``within`` (their reduced cost)."""
        kept = []
        for column, (agent, jobs) in enumerate(zip(self.agents, self.jobs, strict=True)):
            gain = self.dense.profit[agent, jobs].sum() - job_price[jobs].sum()
            if values[column] > 1e-9 or gain - agent_price[agent] > -within:
                kept.append((agent, jobs))
        return kept

    def patterns(self) -> BoolArray:
        """The columns' patterns as a matrix (columns x jobs), extended as columns come."""
        known = len(self._patterns)
        if known < self.size:
            grown = np.zeros((self.size, self.dense.n_jobs), dtype=bool)
            grown[:known] = self._patterns
            for column in range(known, self.size):
                grown[column, self.jobs[column]] = True
            self._patterns = grown
        return self._patterns

    def add_all(self, patterns: BoolArray) -> int:
        """Add each agent's pattern of ``patterns`` (m x n); how many were new."""
        return sum(self.add(agent, patterns[agent]) for agent in range(self.dense.n_agents))

    def add_assignment(self, assignment: IntArray) -> int:
        """Add the pattern of each agent in ``assignment`` (the agent of each job)."""
        return self.add_all(assignment[None, :] == np.arange(self.dense.n_agents)[:, None])

    def add_improving(
        self, patterns: BoolArray, job_price: FloatArray, agent_price: FloatArray
    ) -> int:
        """Add each agent's pattern (m x n) that improves the LP at these duals (its profit
        exceeds its jobs' and agent's prices); how many were added."""
        added = 0
        for agent in range(self.dense.n_agents):
            jobs = patterns[agent]
            gain = self.dense.profit[agent, jobs].sum() - job_price[jobs].sum()
            if gain - agent_price[agent] > 1e-6 and self.add(agent, jobs):
                added += 1
        return added

    def solve(self) -> tuple[float, FloatArray, FloatArray, FloatArray]:
        """The LP's value (maximised profit), the jobs' and agents' duals (as prices: a
        pattern improves the LP when its profit exceeds its jobs' and agent's prices), and
        the patterns' values."""
        h = self.highs
        strategy = DUAL if self._rebound else PRIMAL
        if strategy != self._strategy:
            h.setOptionValue("simplex_strategy", strategy)
            self._strategy = strategy
        self._rebound = False
        h.run()
        n = self.dense.n_jobs
        solution = h.getSolution()
        duals = -np.asarray(solution.row_dual, dtype=np.float64)
        values = np.asarray(solution.col_value, dtype=np.float64)[n:]
        return -float(h.getInfo().objective_function_value), duals[:n], duals[n:], values

    def allow(self, free: BoolArray, active: BoolArray) -> None:
        """Only patterns of active agents over free jobs may be used; fixed ones stay at 1."""
        pairs = zip(self.agents, self.jobs, strict=True)
        usable = np.array([active[a] and bool(free[j].all()) for a, j in pairs], dtype=bool)
        lower, upper = np.zeros(self.size), np.where(usable, np.inf, 0.0)
        lower[self.fixed] = upper[self.fixed] = 1.0
        self._bounds(lower, upper)

    def fix(self, column: int) -> None:
        self.fixed.append(column)
        lower, upper = self._current()
        lower[column] = upper[column] = 1.0
        self._bounds(lower, upper)

    @property
    def fixed_profit(self) -> float:
        return float(sum(self.dense.profit[self.agents[c], self.jobs[c]].sum() for c in self.fixed))

    def reset(self) -> None:
        self.fixed = []
        self._bounds(np.zeros(self.size), np.full(self.size, np.inf))

    def _current(self) -> tuple[FloatArray, FloatArray]:
        """The columns' bounds (copies; a new column's are 0 and inf)."""
        known, size = len(self._lower), self.size
        lower = np.concatenate([self._lower, np.zeros(size - known)])
        upper = np.concatenate([self._upper, np.full(size - known, np.inf)])
        return lower, upper

    def _bounds(self, lower: FloatArray, upper: FloatArray) -> None:
        known = len(self._lower)
        before_lower, before_upper = self._current()
        changed = (lower != before_lower) | (upper != before_upper)
        if not changed.any():
            return
        n = self.dense.n_jobs
        index = np.flatnonzero(changed)
        self.highs.changeColsBounds(
            len(index), (n + index).astype(np.int32), lower[index], upper[index]
        )
        self._lower, self._upper = lower.copy(), upper.copy()
        # A new column set to 0 is where it was (non-basic at 0): the basis stays feasible.
        self._rebound |= bool(changed[:known].any() or lower[known:].any())


class Diver:
    """Repeated dives on one master; ``report`` hears of every improving assignment."""

    def __init__(
        self,
        dense: Dense,
        multipliers: FloatArray,
        incumbent: IntArray | None,
        *,
        seed: int = 0,
        report: Callable[[IntArray, float], None] | None = None,
        patterns: BoolArray | None = None,
    ) -> None:
        self.dense = dense
        self.master = Master(dense)
        self.center = multipliers.astype(np.float64).copy()
        # The multipliers at the end of the first column generation over the whole problem
        # (as good as the Lagrangian bound gets), for a proof by ``branch``.
        self.root_center: FloatArray | None = None
        # The patterns of the master at that point that the LP uses or nearly improve it
        # (``ROOT_NEAR``), for the proof's master to start from.
        self.root_patterns: list[tuple[int, IntArray]] = []
        self.rng = np.random.default_rng(seed)
        self.seed = seed
        self.report = report
        self.best: IntArray | None = None
        self.best_value = -np.inf
        self.dives = 0
        if incumbent is not None and dense.feasible(incumbent):
            self.best, self.best_value = incumbent.copy(), dense.value(incumbent)
            self.master.add_assignment(incumbent)
        for chosen in () if patterns is None else patterns:  # the Lagrangian bound's
            self.master.add_all(chosen)
        allowed = dense.allowed
        scale = float(np.abs(dense.profit[allowed]).mean()) if allowed.any() else 1.0
        for k in range(PERTURBED + 1):
            prices = self.center
            if k:
                prices = prices + self.rng.normal(0.0, SPREAD * scale, dense.n_jobs)
            _, chosen = knapsacks(dense, dense.profit - prices[None, :])
            self.master.add_all(chosen)

    def lagrangian(self, prices: FloatArray, free: BoolArray, active: BoolArray):  # type: ignore[no-untyped-def]
        """The Lagrangian bound of the problem left (free jobs, active agents) at ``prices``,
        with the knapsack solutions."""
        reduced = self.dense.profit - prices[None, :]
        reduced[:, ~free] = -1.0  # fixed jobs are never taken again
        optimum, chosen = knapsacks(self.dense, reduced)
        optimum = np.where(active, np.maximum(optimum, 0.0), 0.0)
        chosen &= active[:, None]
        return float(prices[free].sum() + optimum.sum()), chosen

    def generate(self, free: BoolArray, active: BoolArray, deadline: float) -> FloatArray:
        """Column generation on the problem left; the patterns' LP values at the end."""
        master = self.master
        center_value, _ = self.lagrangian(self.center, free, active)
        fixed = master.fixed_profit  # the LP's value includes the fixed patterns
        smoothing = SMOOTHING
        values = np.zeros(master.size)
        for _ in range(ROUNDS):
            lp, job_price, agent_price, values = master.solve()
            if time.perf_counter() >= deadline:
                break
            added = 0
            for prices in (smoothing * self.center + (1 - smoothing) * job_price, job_price):
                value, chosen = self.lagrangian(prices, free, active)
                if value < center_value:
                    self.center, center_value = prices.copy(), value
                added = master.add_improving(chosen, job_price, agent_price)  # active agents'
                if added:
                    break
                smoothing *= 0.8  # the smoothed prices found nothing: trust the LP more
            rest = lp - fixed  # the LP's value on the jobs and agents left
            if added == 0 or center_value - rest <= 1e-6 * max(1.0, abs(rest)):
                break
        return values

    def root(self, deadline: float) -> None:
        """Column generation over the whole problem, once: the root's multipliers and
        patterns (``root_center``, ``root_patterns``), for a proof by ``branch`` before any
        dive. Without it the first dive keeps them after its first column generation."""
        if self.root_center is not None:
            return
        dense = self.dense
        free = np.ones(dense.n_jobs, dtype=bool)
        active = np.ones(dense.n_agents, dtype=bool)
        self.master.allow(free, active)
        self.generate(free, active, deadline)
        self._keep_root()

    def _keep_root(self) -> None:
        """Keep the multipliers and the patterns of the root (its master just solved)."""
        _, job_price, agent_price, values = self.master.solve()  # optimal: no iteration
        self.root_center = self.center.copy()
        self.root_patterns = self.master.near(job_price, agent_price, values, ROOT_NEAR)

    def dive(self, deadline: float) -> IntArray:
        """One dive; the assignment it makes (-1: jobs it left over)."""
        dense, master = self.dense, self.master
        free = np.ones(dense.n_jobs, dtype=bool)
        active = np.ones(dense.n_agents, dtype=bool)
        assignment = np.full(dense.n_jobs, -1, dtype=np.int64)
        first = self.dives == 0
        while free.any() and active.any() and time.perf_counter() < deadline:
            master.allow(free, active)
            values = self.generate(free, active, deadline)
            if len(values) < master.size:  # the last round added columns: solve once more
                _, _, _, values = master.solve()
            if first and self.root_center is None:
                self._keep_root()
            values = values.copy()
            values[master.fixed] = 0.0  # fixed already: choose among the others
            top = float(values.max(initial=0.0))
            if top < 1e-6:
                break
            if first:
                pick = int(np.argmax(values))
            else:
                pick = int(self.rng.choice(np.flatnonzero(values >= (1 - CHOICE) * top)))
            fix = max(1, int(np.ceil(FIX_SHARE * active.sum())))
            ranked = np.argsort(-values, kind="stable")
            ranked = ranked[values[ranked] >= 0.5 * values[pick]]
            fixed = 0
            for column in [pick, *ranked.tolist()]:
                agent, jobs = master.agents[column], master.jobs[column]
                if not active[agent] or not free[jobs].all():
                    continue
                if fixed >= fix and values[column] < 1 - 1e-6:
                    continue
                assignment[jobs] = agent
                free[jobs] = False
                active[agent] = False
                master.fix(column)
                fixed += 1
        master.reset()
        self.dives += 1
        return assignment

    def complete(self, assignment: IntArray, time_limit: float) -> IntArray | None:
        """The leftover jobs placed in the agents' remaining room (a small MIP), or None."""
        import highspy

        dense = self.dense
        m = dense.n_agents
        left = np.flatnonzero(assignment < 0)
        if len(left) == 0:
            return assignment
        placed = np.flatnonzero(assignment >= 0)
        room = dense.capacity - np.bincount(
            assignment[placed], dense.use[assignment[placed], placed], minlength=m
        )
        agents, index = np.nonzero(dense.allowed[:, left])
        jobs = left[index]
        fits = dense.use[agents, jobs] <= room[agents]
        agents, index, jobs = agents[fits], index[fits], jobs[fits]
        k = len(agents)
        if k == 0 or time_limit <= 0:
            return None
        with quiet():
            h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        h.setOptionValue("time_limit", time_limit)
        h.setOptionValue("mip_heuristic_run_root_reduced_cost", False)
        pass_assignment(h, highspy, dense, agents, jobs, index, len(left), room, integral=True)
        h.run()
        if h.getInfo().primal_solution_status != 2:  # kSolutionStatusFeasible
            return None
        chosen = np.asarray(h.getSolution().col_value) > 0.5
        done = assignment.copy()
        done[jobs[chosen]] = agents[chosen]
        return done if np.all(done >= 0) and dense.feasible(done) else None

    def run(self, deadline: float, *, stall: int | None = None) -> IntArray | None:
        """Dive, complete and polish until ``deadline`` (or, with ``stall``, until that many
        dives in a row found nothing better); the best assignment found."""
        dense = self.dense
        since = 0
        while time.perf_counter() < deadline and (stall is None or since < stall):
            before = self.best_value
            since += 1
            partial = self.dive(deadline)
            left = deadline - time.perf_counter()
            done = self.complete(partial, min(COMPLETION_LIMIT, left))
            if done is None:  # the tabu search places what is left, where it can
                start = np.where(partial >= 0, partial, np.argmax(dense.profit, axis=0))
            else:
                self.consider(done)
                start = done
            left = deadline - time.perf_counter()
            if left <= 0:
                break
            polished = improve(
                dense,
                start,
                seed=self.seed + self.dives,
                max_iterations=200 * dense.n_jobs,
                patience=20 * dense.n_jobs,
                time_limit=min(POLISH_LIMIT, left),
            )
            if polished.assignment is not None:
                self.consider(polished.assignment)
            if self.best_value > before:
                since = 0
        return self.best

    def consider(self, assignment: IntArray) -> None:
        """Keep ``assignment`` when it is feasible and better than the best (and report it)."""
        value = self.dense.value(assignment)
        if value > self.best_value + 1e-9 and self.dense.feasible(assignment):
            self.best, self.best_value = assignment.copy(), value
            if self.report is not None:
                self.report(self.best, value)
