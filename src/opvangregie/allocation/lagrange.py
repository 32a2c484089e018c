"""A Lagrangian bound for plain GAP problems, and the pairs it proves useless.

Relaxing "every job exactly once" with a multiplier per job leaves one 0-1 knapsack per agent
(profit ``p_ij - lambda_j``, weight ``use_ij``, integer capacity), solved exactly by dynamic
programming over the capacity; ``L(lambda) = sum(lambda) + sum of the knapsack optima`` bounds
the (maximised) optimum from above for every lambda. The multipliers start at the duals of the
LP relaxation (when HiGHS is there) and are improved by subgradient steps (Polyak steps towards
the incumbent's value, halved when the bound stalls).

*Fixing.* With the incumbent worth ``U``, a pair (j, i) that ``x_ij = 1`` forces the bound of
below ``U + 1`` (integral objective; below ``U`` otherwise) is in no assignment better than the
incumbent: forcing the item into agent i's knapsack gives a valid bound for all assignments
that use the pair. Such pairs are removed, except the incumbent's own pairs, so the reduced
problem still holds the incumbent and every better assignment: its optimum is the optimum of
the original problem, and any bound on it is a bound on the original. Likewise, when leaving
the pair out (``x_ij = 0``) forces the bound below that threshold and the incumbent uses the
pair, every better assignment uses it too, and the job's other pairs go.
"""

import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ._quiet import quiet
from .local_search import Dense

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

TOLERANCE = 1e-6  # relative, against rounding in the sums of fractional profits


@dataclass(frozen=True)
class Bound:
    value: float  # the best Lagrangian bound (maximised), +inf when there is none
    multipliers: FloatArray
    chosen: BoolArray  # m x n: the knapsack solutions at those multipliers
    iterations: int
    seconds: float
    assignment: IntArray | None  # the best assignment repaired from the knapsacks, if any
    assignment_value: float  # its (maximised) profit, -inf when none
    # Every knapsack solution of the search (k x m x n): patterns near the optimal
    # multipliers, with which the Dantzig-Wolfe master of ``dive`` starts.
    patterns: BoolArray | None = None


def _compiled():  # type: ignore[no-untyped-def]
    """The compiled knapsacks, imported on first use: numba takes 0.13 s to load, which every
    process of the web application would pay at start-up otherwise."""
    from . import _knapsack

    return _knapsack


def knapsacks(dense: Dense, reduced: FloatArray) -> tuple[FloatArray, BoolArray]:
    """Every agent's 0-1 knapsack with profits ``reduced`` (m x n): each agent's optimum and
    the chosen items (m x n)."""
    return _compiled().solve(
        np.ascontiguousarray(reduced, dtype=np.float64),
        dense.use,
        dense.allowed,
        dense.capacity,
    )


def _lp_duals(dense: Dense) -> FloatArray | None:
    """Duals of the assignment rows of the LP relaxation (None without HiGHS or an answer)."""
    try:
        import highspy
    except ImportError:  # pragma: no cover - highspy is a dependency of the engine
        return None
    n = dense.n_jobs
    agents, jobs = np.nonzero(dense.allowed)  # columns agent-major
    with quiet():
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    pass_assignment(h, highspy, dense, agents, jobs, jobs, n, dense.capacity, integral=False)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return np.asarray(h.getSolution().row_dual, dtype=np.float64)[:n]


def pass_assignment(  # type: ignore[no-untyped-def]
    h,
    highspy,
    dense: Dense,
    agents: IntArray,
    jobs: IntArray,
    job_rows: IntArray,
    n_job_rows: int,
    capacity: IntArray,
    *,
    integral: bool,
) -> None:
    """Pass HiGHS the assignment model over the pairs (``agents[k]``, ``jobs[k]``), maximising
    the profit: each pair's job row ``job_rows[k]`` (of ``n_job_rows``, each = 1), then one row
    per agent with room ``capacity``; a column per pair, binary when ``integral``."""
    k, m = len(agents), dense.n_agents
    starts = np.arange(0, 2 * k + 1, 2, dtype=np.int32)
    index = np.empty(2 * k, dtype=np.int32)  # per column its job row, then its agent row
    index[0::2] = job_rows
    index[1::2] = n_job_rows + agents
    values = np.empty(2 * k)
    values[0::2] = 1.0
    values[1::2] = dense.use[agents, jobs]
    h.passModel(
        k,
        n_job_rows + m,
        2 * k,
        int(highspy.MatrixFormat.kColwise),
        int(highspy.ObjSense.kMaximize),
        0.0,
        dense.profit[agents, jobs].astype(np.float64),
        np.zeros(k),
        np.ones(k),
        np.concatenate([np.ones(n_job_rows), np.full(m, -np.inf)]),
        np.concatenate([np.ones(n_job_rows), capacity.astype(np.float64)]),
        starts[:-1],
        index,
        values,
        np.full(k, 1 if integral else 0, dtype=np.int32),
    )


def evaluate_bound(dense: Dense, multipliers: FloatArray) -> tuple[float, BoolArray]:
    optimum, chosen = knapsacks(dense, dense.profit - multipliers[None, :])
    return float(multipliers.sum() + optimum.sum()), chosen


def bound(
    dense: Dense,
    incumbent: float,
    *,
    integral: bool,
    max_iterations: int = 150,
    time_limit: float = 5.0,
) -> Bound:
    """The Lagrangian bound, by subgradient steps from the LP duals (``incumbent``: the value
    of the best known assignment, maximised; it sets the step size and ends the search once
    the bound proves it optimal)."""
    began = time.perf_counter()
    start = _lp_duals(dense)
    candidates = [np.zeros(dense.n_jobs)]
    if start is not None:
        candidates += [start, -start]  # the sign of HiGHS's duals depends on its conventions
    scored = [(evaluate_bound(dense, c), c) for c in candidates]
    (best_value, best_chosen), best_lambda = min(scored, key=lambda s: s[0][0])
    trail = [best_chosen]
    multipliers = best_lambda.copy()
    value, chosen = best_value, best_chosen
    step = 0.5
    stalled = 0
    iteration = 0
    found: IntArray | None = None
    found_value = -np.inf
    while iteration < max_iterations and time.perf_counter() - began < time_limit:
        repaired = repair(dense, chosen)
        if repaired is not None and dense.value(repaired) > found_value:
            found, found_value = repaired, dense.value(repaired)
            incumbent = max(incumbent, found_value)
        if proves(best_value, incumbent, integral=integral):
            break
        target = incumbent if np.isfinite(incumbent) else best_value - 1.0
        iteration += 1
        gradient = 1.0 - chosen.sum(axis=0)
        norm = float(np.dot(gradient, gradient))
        if norm == 0:  # the knapsacks give every job once: an optimal assignment
            break
        gap = max(value - target, 1e-3 * max(1.0, abs(value)))
        multipliers = multipliers - step * gap / norm * gradient
        value, chosen = evaluate_bound(dense, multipliers)
        trail.append(chosen)
        if value < best_value - 1e-9:
            best_value, best_lambda, best_chosen = value, multipliers.copy(), chosen
            stalled = 0
        else:
            stalled += 1
            if stalled >= 10:
                step /= 2
                stalled = 0
                if step < 5e-3:
                    break
    seconds = time.perf_counter() - began
    return Bound(
        best_value,
        best_lambda,
        best_chosen,
        iteration,
        seconds,
        found,
        found_value,
        np.unique(np.asarray(trail), axis=0),
    )


def repair(dense: Dense, chosen: BoolArray) -> IntArray | None:
    """A feasible assignment near the knapsack solutions, or None.

    A job chosen by some knapsacks goes to the most profitable of them (others give it up);
    then every job without an agent, fewest options first, goes to its most profitable agent
    with room left."""
    m, n = dense.n_agents, dense.n_jobs
    profit = np.where(dense.allowed, dense.profit, -np.inf)
    keep = np.where(chosen & dense.allowed, profit, -np.inf)
    assignment = np.argmax(keep, axis=0)
    placed = np.isfinite(keep[assignment, np.arange(n)])
    assignment = np.where(placed, assignment, -1)
    jobs = np.flatnonzero(placed)
    load = np.bincount(assignment[jobs], dense.use[assignment[jobs], jobs], minlength=m)
    if np.any(load > dense.capacity):  # cannot happen: each knapsack fits (defensive)
        return None
    free = (dense.capacity - load).tolist()
    missing = np.flatnonzero(~placed)
    options = dense.allowed[:, missing].sum(axis=0)
    uses = dense.use.T.tolist()
    for job in missing[np.argsort(options, kind="stable")].tolist():
        order = np.argsort(-profit[:, job], kind="stable").tolist()
        for agent in order:
            if not dense.allowed[agent, job]:
                break
            if uses[job][agent] <= free[agent]:
                assignment[job] = agent
                free[agent] -= uses[job][agent]
                break
        else:
            return None
        if assignment[job] < 0:
            return None
    return assignment.astype(np.int64)


def proves(bound_value: float, incumbent: float, *, integral: bool) -> bool:
    """Whether a (maximised) bound proves an incumbent optimal."""
    slack = TOLERANCE * max(1.0, abs(incumbent))
    if integral:
        return bound_value < incumbent + 1 - slack
    return bound_value <= incumbent + slack


@dataclass(frozen=True)
class Forced:
    """The Lagrangian bound (maximised) at some multipliers, and with each pair forced in and
    forced out (m x n)."""

    with_pair: FloatArray
    without_pair: FloatArray
    value: float


def forced(dense: Dense, multipliers: FloatArray) -> Forced:
    """The bounds at ``multipliers``, with each pair forced in or out: each agent's knapsack
    with the item forced in or out, the other agents at their optimum (``_knapsack``)."""
    reduced = dense.profit - multipliers[None, :]
    optimum, chosen, forced_in, forced_out = _compiled().solve_forced(
        reduced, dense.use, dense.allowed, dense.capacity
    )
    total = float(multipliers.sum() + optimum.sum())
    with_pair = total - optimum[:, None] + np.where(chosen, optimum[:, None], forced_in)
    without_pair = total - optimum[:, None] + np.where(chosen, forced_out, optimum[:, None])
    return Forced(with_pair, without_pair, total)


def keep_pairs(
    dense: Dense, bounds: Forced, incumbent: IntArray, incumbent_value: float, *, integral: bool
) -> BoolArray:
    """The pairs (m x n) to keep against an incumbent worth ``incumbent_value`` (maximised):
    allowed pairs minus those whose forced bound is below the threshold; the incumbent's own
    pairs always stay."""
    m, n = dense.n_agents, dense.n_jobs
    with_pair, without_pair = bounds.with_pair, bounds.without_pair
    slack = TOLERANCE * max(1.0, abs(incumbent_value))
    threshold = incumbent_value + (1.0 if integral else 0.0) - slack
    jobs = np.arange(n)
    own = np.zeros((m, n), dtype=bool)
    own[incumbent, jobs] = True
    keep = dense.allowed & ~(with_pair < threshold)
    keep |= own
    needed = own & (without_pair < threshold)  # every better assignment uses this pair
    for job in np.flatnonzero(needed.any(axis=0)):
        keep[:, job] = own[:, job]
    return keep


def removed_share(
    dense: Dense, multipliers: FloatArray, incumbent: IntArray, *, integral: bool
) -> float:
    """The share of the allowed pairs that fixing at ``multipliers`` against ``incumbent``
    removes (0 when nothing is allowed)."""
    allowed = int(dense.allowed.sum())
    if allowed == 0:
        return 0.0
    value = dense.value(incumbent)
    keep = keep_pairs(dense, forced(dense, multipliers), incumbent, value, integral=integral)
    return 1.0 - int(keep.sum()) / allowed
