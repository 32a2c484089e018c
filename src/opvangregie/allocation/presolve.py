"""Before the exact back-end sees a plain GAP problem: a better start, a bound, fewer pairs.

1. The tabu search (``local_search``) improves the greedy start.
2. The Lagrangian bound (``lagrange``), whose subgradient steps also repair each knapsack
   solution into an assignment (polished by the same search when it beats the start). When
   the bound proves the start optimal, no back-end is needed.
3. Pairs that no assignment better than the start can use are removed (the start's own pairs
   stay), so the reduced problem holds the start and every better assignment: its optimum is
   the original optimum and a bound on it bounds the original (ADR 0009).
4. ``Reducer.worth_restart``: when the back-end reports a better solution that would remove
   many more pairs, the caller may stop it and solve the smaller problem from that solution.
5. ``Reducer.multipliers`` and ``Reducer.patterns``: the Lagrangian multipliers of the jobs
   left and the knapsack solutions of the bound's search, from which a second search beside
   the exact one (price-and-dive, ``dive``, and branch-and-price, ``branch``) starts its
   prices and columns (ADR 0010, 0012).

The placement model (merged classes, fairness, together/apart) goes straight to the back-end.
"""

import time
from dataclasses import dataclass, field, replace

import numpy as np

from .lagrange import Forced, bound, forced, keep_pairs, proves
from .local_search import BoolArray, Dense, FloatArray, IntArray, improve
from .problem import Problem, Sense

# Shares of the time limit, capped: small instances stop on their iteration budgets first.
SEARCH_SHARE, SEARCH_CAP = 0.05, 3.0
BOUND_SHARE, BOUND_CAP = 0.05, 3.0
# A better solution from the back-end is worth a restart when it removes at least this share
# of the pairs still in the problem; at most MAX_RESTARTS restarts. Off (0): a restart throws
# away HiGHS's search tree, and with up to 8 restarts e10100 and e20200 were no longer proven
# within 60 s, while without them all of e10100, e20200, e20400, c40400 and d05100 are
# (ADR 0009). A stricter rule may earn them back.
RESTART_SHARE = 0.1
MAX_RESTARTS = 0
# Below this time limit the presolve is skipped: its LP and knapsack tables could use it up.
MIN_TIME_LIMIT = 1.0


@dataclass
class Reducer:
    problem: Problem  # the original
    dense: Dense
    bounds: Forced
    lagrangian: float  # the bound, in the problem's sense
    incumbent: IntArray
    value: float  # the incumbent's (maximised) profit
    reduced: Problem  # the jobs left, with the pairs ``incumbent`` leaves them
    kept: int  # pairs kept (of all jobs, fixed ones included)
    settings: dict[str, object] = field(default_factory=dict)
    free_jobs: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    offset: float = 0.0  # the value of the fixed jobs (problem sense, place bonus included)
    prices: FloatArray = field(default_factory=lambda: np.zeros(0))  # the bound's multipliers
    trail: BoolArray | None = None  # the bound's knapsack solutions (k x m x n)

    def reduce(self, incumbent: IntArray) -> None:
        """Take a better incumbent: remove the pairs it proves useless."""
        self.incumbent = incumbent.astype(np.int64)
        self.value = self.dense.value(self.incumbent)
        keep = keep_pairs(
            self.dense,
            self.bounds,
            self.incumbent,
            self.value,
            integral=self.problem.integral_objective,
        )
        self.kept = int(keep.sum())
        # A job with one pair left keeps it (it is the incumbent's): it leaves the problem
        # and its use leaves its agent's capacity.
        options = keep.sum(axis=0)
        fixed = options == 1
        jobs = np.arange(self.dense.n_jobs)
        agents = self.incumbent[fixed]
        residual = self.dense.capacity - np.bincount(
            agents, self.dense.use[agents, jobs[fixed]], minlength=self.dense.n_agents
        )
        self.free_jobs = jobs[~fixed]
        self.offset = float(self.dense.sign * self.dense.profit[agents, jobs[fixed]].sum())
        index = np.full(self.dense.n_jobs, -1, dtype=np.int64)
        index[self.free_jobs] = np.arange(len(self.free_jobs))
        pairs = tuple(
            replace(p, job=int(index[p.job]))
            for p in self.problem.pairs
            if index[p.job] >= 0 and keep[p.agent, p.job] and p.use <= residual[p.agent]
        )
        self.reduced = replace(
            self.problem,
            n_jobs=len(self.free_jobs),
            capacity=tuple(int(c) for c in residual),
            pairs=pairs,
            job_weight=(),
        )

    def start(self) -> tuple[int, ...]:
        """The incumbent as an assignment of the reduced problem."""
        return tuple(int(a) for a in self.incumbent[self.free_jobs])

    def expand(self, assignment: tuple[int, ...]) -> tuple[int, ...]:
        """An assignment of the reduced problem as one of the original (fixed jobs added)."""
        full = self.incumbent.copy()
        full[self.free_jobs] = np.asarray(assignment, dtype=np.int64)
        return tuple(int(a) for a in full)

    def worth_restart(self, objective: float) -> bool:
        """Whether a solution of this objective (problem sense) would remove enough pairs."""
        value = self.dense.sign * objective
        if self.problem.integral_objective:
            value = float(round(value))
        if value <= self.value + 1e-9:
            return False
        keep = keep_pairs(
            self.dense,
            self.bounds,
            self.incumbent,
            value,
            integral=self.problem.integral_objective,
        )
        return int(keep.sum()) <= (1 - RESTART_SHARE) * self.kept

    def multipliers(self) -> FloatArray:
        """The Lagrangian multipliers of the jobs left (the reduced problem's jobs)."""
        return self.prices[self.free_jobs]

    def patterns(self) -> BoolArray | None:
        """The bound's knapsack solutions over the jobs left (k x m x free jobs); a pattern
        may not fit the reduced problem (a pair removed, less room), and is then skipped."""
        return None if self.trail is None else self.trail[:, :, self.free_jobs]

    def proven(self) -> bool:
        """Whether the incumbent is optimal: by the bound, or as the only assignment left."""
        if len(self.free_jobs) == 0:
            return True
        return proves(
            self.dense.sign * self.lagrangian,
            self.value,
            integral=self.problem.integral_objective,
        )


def presolve(
    problem: Problem, start: tuple[int, ...] | None, *, time_limit: float, seed: int
) -> Reducer | None:
    """The reducer of a plain GAP problem with a feasible incumbent; None otherwise."""
    if not Dense.plain(problem) or time_limit < MIN_TIME_LIMIT:
        return None
    dense = Dense.of(problem)
    settings: dict[str, object] = {}
    began = time.perf_counter()
    first = None if start is None or any(a < 0 for a in start) else np.asarray(start)
    search = improve(dense, first, seed=seed, time_limit=min(SEARCH_SHARE * time_limit, SEARCH_CAP))
    settings["local_search"] = {
        "iterations": search.iterations,
        "seconds": round(search.seconds, 3),
        "stopped_by_time": search.stopped,
        "found": None if search.assignment is None else dense.sign * search.value,
    }
    incumbent = search.assignment
    if incumbent is None and first is not None and dense.feasible(first):
        incumbent = first
    value = -np.inf if incumbent is None else dense.value(incumbent)
    integral = problem.integral_objective
    found = bound(
        dense, value, integral=integral, time_limit=min(BOUND_SHARE * time_limit, BOUND_CAP)
    )
    if found.assignment is not None and found.assignment_value > value:
        # The knapsacks' repaired solution beats the search's: polish it with the search.
        polished = improve(
            dense,
            found.assignment,
            seed=seed,
            time_limit=min(SEARCH_SHARE * time_limit, SEARCH_CAP),
        )
        if polished.assignment is not None and polished.value >= found.assignment_value:
            incumbent, value = polished.assignment, polished.value
        else:
            incumbent, value = found.assignment, found.assignment_value
        settings["lagrangian_heuristic"] = {
            "repaired": dense.sign * found.assignment_value,
            "polished": dense.sign * value,
            "iterations": polished.iterations,
        }
    settings["lagrangian"] = {
        "bound": round(dense.sign * found.value, 6) if np.isfinite(found.value) else None,
        "iterations": found.iterations,
        "seconds": round(found.seconds, 3),
    }
    settings["seconds_before_solver"] = round(time.perf_counter() - began, 3)
    if incumbent is None or not np.isfinite(found.value):
        return None  # nothing to fix against; the back-end starts from scratch
    reducer = Reducer(
        problem,
        dense,
        forced(dense, found.multipliers),
        dense.sign * found.value,
        incumbent,
        value,
        problem,
        len(problem.pairs),
        settings,
        prices=found.multipliers,
        trail=found.patterns,
    )
    reducer.reduce(incumbent)
    settings["pairs"] = len(problem.pairs)
    settings["pairs_removed"] = len(problem.pairs) - reducer.kept
    settings["jobs_fixed"] = problem.n_jobs - len(reducer.free_jobs)
    settings["seconds_before_solver"] = round(time.perf_counter() - began, 3)
    return reducer


def tighter(sense: Sense, *bounds: float | None) -> float | None:
    """The tightest of some bounds (the lowest when maximising)."""
    valid = [b for b in bounds if b is not None and abs(b) < 1e30]
    if not valid:
        return None
    return min(valid) if sense == Sense.MAX else max(valid)
