"""A primal improvement heuristic for plain GAP problems: tabu search over shift and swap moves.

Plain GAP: every job exactly once (``must_assign``), no together/apart rules and no fairness
term (see ``Dense.of``). The placement model (merged classes, fairness rows) is not handled
here; it keeps its greedy fill and LP rounding.

The search works on a dense m x n view and maximises internally (a minimisation problem is
maximised with negated values). It allows capacity excess, with a penalty per unit of excess
and agent whose weight adapts (Yagiura, Ibaraki and Glover's idea): an agent over its capacity
gets a heavier weight, and all weights get lighter while the solution is feasible, so the
search keeps crossing the boundary between feasible and infeasible assignments. Every
iteration takes the best non-tabu shift (one job to another agent) or swap (two jobs of
different agents exchange agents); a job may not go back to an agent it left for a few
iterations unless that gives a feasible solution better than the best one. The best feasible
assignment seen is returned.

The search is deterministic for a seed: it stops after an iteration budget, or when the best
has not improved for ``patience`` iterations; ``time_limit`` is only a safety net (when it
strikes, the result depends on the speed of the machine; ``Search.stopped`` says so).
"""

import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .problem import Problem, Sense

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Dense:
    """A plain GAP problem as m x n arrays, maximised (``profit``: the value, negated to
    minimise, plus the place bonus)."""

    profit: FloatArray  # m x n
    use: IntArray  # m x n (0 where not allowed)
    allowed: BoolArray  # m x n
    capacity: IntArray  # m
    sign: float  # +1 when the problem maximises, -1 when it minimises

    @property
    def n_agents(self) -> int:
        return int(self.profit.shape[0])

    @property
    def n_jobs(self) -> int:
        return int(self.profit.shape[1])

    @staticmethod
    def plain(problem: Problem) -> bool:
        """Whether the problem is a plain GAP (what this module and ``lagrange`` handle)."""
        return (
            problem.must_assign
            and not problem.together
            and not problem.apart
            and (problem.fairness_weight == 0 or problem.n_groups == 0)
            and problem.n_jobs > 0
            and problem.n_agents > 0
        )

    @classmethod
    def of(cls, problem: Problem) -> "Dense":
        m, n = problem.n_agents, problem.n_jobs
        sign = 1.0 if problem.sense == Sense.MAX else -1.0
        profit = np.zeros((m, n))
        use = np.zeros((m, n), dtype=np.int64)
        allowed = np.zeros((m, n), dtype=bool)
        capacity = np.asarray(problem.capacity, dtype=np.int64)
        for pair in problem.pairs:
            if pair.use <= capacity[pair.agent]:
                profit[pair.agent, pair.job] = sign * pair.value + problem.place_bonus * sign
                use[pair.agent, pair.job] = pair.use
                allowed[pair.agent, pair.job] = True
        return cls(profit, use, allowed, capacity, sign)

    def value(self, assignment: IntArray) -> float:
        """The (maximised) profit of a complete assignment."""
        return float(self.profit[assignment, np.arange(self.n_jobs)].sum())

    def feasible(self, assignment: IntArray) -> bool:
        jobs = np.arange(self.n_jobs)
        if np.any(assignment < 0) or not np.all(self.allowed[assignment, jobs]):
            return False
        load = np.bincount(assignment, self.use[assignment, jobs], minlength=self.n_agents)
        return bool(np.all(load <= self.capacity))


@dataclass(frozen=True)
class Search:
    assignment: IntArray | None  # the best feasible assignment found, or None
    value: float  # its (maximised) profit, -inf when none
    iterations: int
    seconds: float
    stopped: bool  # ended by the time limit rather than by its budget


def improve(
    dense: Dense,
    start: IntArray | None,
    *,
    seed: int = 0,
    max_iterations: int | None = None,
    patience: int | None = None,
    time_limit: float = 5.0,
) -> Search:
    """Tabu search from ``start`` (any assignment of every job, feasible or not; None: each
    job at its most profitable agent)."""
    began = time.perf_counter()
    m, n = dense.n_agents, dense.n_jobs
    rng = np.random.default_rng(seed)
    jobs = np.arange(n)
    profit, use, allowed, cap = dense.profit, dense.use, dense.allowed, dense.capacity
    masked_profit = np.where(allowed, profit, -np.inf)
    if start is None or np.any(start < 0) or not np.all(allowed[start, jobs]):
        current = np.argmax(masked_profit, axis=0).astype(np.int64)
    else:
        current = start.astype(np.int64).copy()
    max_iterations = max_iterations if max_iterations is not None else 100 * n
    patience = patience if patience is not None else 5 * n + 50
    load = np.bincount(current, use[current, jobs], minlength=m).astype(np.int64)
    spread = float(np.ptp(profit[allowed])) if allowed.any() else 1.0
    unit = max(spread, 1.0) / max(float(use[allowed].mean()) if allowed.any() else 1.0, 1.0)
    weight = np.full(m, unit)
    floor = unit * 1e-3
    tabu = np.zeros((m, n), dtype=np.int64)  # iteration until which job j may not go to i
    tenure_low, tenure_high = max(3, n // 20), max(6, n // 8)
    sample = n if n <= 160 else 160  # jobs considered for swaps per iteration

    best: IntArray | None = None
    best_value = -np.inf
    if dense.feasible(current):
        best, best_value = current.copy(), dense.value(current)
    last_improved = 0
    iteration = 0
    stopped = False
    while iteration < max_iterations and iteration - last_improved < patience:
        if iteration % 16 == 0 and time.perf_counter() - began > time_limit:
            stopped = True
            break
        iteration += 1
        over = np.maximum(load - cap, 0)
        total_over = int(over.sum())
        own = profit[current, jobs]
        # Shift job j to agent i.
        load_to = load[:, None] + use
        over_to = np.maximum(load_to - cap[:, None], 0)
        load_from = load[current] - use[current, jobs]
        over_from = np.maximum(load_from - cap[current], 0)
        penalty = weight[:, None] * (over_to - over[:, None]) + (
            weight[current] * (over_from - over[current])
        )
        gain = profit - own - penalty
        after = total_over - over[:, None] + over_to - over[current] + over_from
        after[current, jobs] = -1
        better_feasible = (after == 0) & (profit - own + dense.value(current) > best_value + 1e-9)
        blocked = ~allowed | (tabu > iteration)
        blocked[current, jobs] = True
        blocked &= ~(better_feasible & allowed)
        blocked[current, jobs] = True
        gain = np.where(blocked, -np.inf, gain)
        flat = int(np.argmax(gain))
        shift_gain = float(gain.flat[flat])
        shift = divmod(flat, n)
        # Swap jobs u and v (of different agents).
        chosen = jobs if sample == n else np.sort(rng.choice(n, size=sample, replace=False))
        agent_of = current[chosen]
        q = profit[np.ix_(agent_of, chosen)]  # q[u, v]: job v at u's agent
        w = use[np.ix_(agent_of, chosen)]
        ok = allowed[np.ix_(agent_of, chosen)]
        own_q = own[chosen]
        own_w = use[agent_of, chosen]
        new_u = load[agent_of][:, None] - own_w[:, None] + w  # u's agent: loses u, gets v
        over_u = over[agent_of]
        ou = np.maximum(new_u - cap[agent_of][:, None], 0)
        ov = ou.T  # v's agent: loses v, gets u
        swap_penalty = weight[agent_of][:, None] * (ou - over_u[:, None]) + weight[agent_of][
            None, :
        ] * (ov - over_u[None, :])
        delta = q + q.T - own_q[:, None] - own_q[None, :]
        swap_gain = delta - swap_penalty
        swap_after = total_over - over_u[:, None] - over_u[None, :] + ou + ov
        same = agent_of[:, None] == agent_of[None, :]
        tabu_swap = (tabu[np.ix_(agent_of, chosen)] > iteration) | (
            iteration < tabu[np.ix_(agent_of, chosen)].T
        )
        aspire = (swap_after == 0) & (delta + dense.value(current) > best_value + 1e-9)
        bad = same | ~ok | ~ok.T | (tabu_swap & ~aspire)
        swap_gain = np.where(bad, -np.inf, swap_gain)
        flat_swap = int(np.argmax(swap_gain))
        best_swap = float(swap_gain.flat[flat_swap])
        if not np.isfinite(max(shift_gain, best_swap)):
            break
        tenure = int(rng.integers(tenure_low, tenure_high + 1))
        if shift_gain >= best_swap:
            agent, job = shift
            old = int(current[job])
            load[old] -= use[old, job]
            load[agent] += use[agent, job]
            current[job] = agent
            tabu[old, job] = iteration + tenure
        else:
            u, v = divmod(flat_swap, len(chosen))
            ju, jv = int(chosen[u]), int(chosen[v])
            au, av = int(current[ju]), int(current[jv])
            load[au] += use[au, jv] - use[au, ju]
            load[av] += use[av, ju] - use[av, jv]
            current[ju], current[jv] = av, au
            tabu[au, ju] = iteration + tenure
            tabu[av, jv] = iteration + tenure
        over_now = load > cap
        if over_now.any():
            weight[over_now] *= 1.1
        else:
            weight = np.maximum(weight * 0.95, floor)
            value = dense.value(current)
            if value > best_value + 1e-9:
                best, best_value = current.copy(), value
                last_improved = iteration
    return Search(best, float(best_value), iteration, time.perf_counter() - began, stopped)
