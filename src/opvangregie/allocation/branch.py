"""Branch-and-price: proves a plain GAP incumbent optimal, or finds a better assignment.

The bound at every node is the Dantzig-Wolfe master of ``dive`` (one pattern of jobs per agent),
solved by column generation with the knapsack pricing of ``lagrange``. It is as strong as the
Lagrangian bound at the node's best multipliers, and any multipliers give a valid bound: a node
is closed as soon as one of them falls below what a better assignment must reach (the
incumbent plus one for an integral objective), often before the column generation converges.

*Nodes* are masks of the pairs still allowed. A job with one allowed agent is fixed to it (its
use leaves the agent's room, its profit is a constant of the node); branching on a pair (j, i)
whose master value is fractional makes one child where job j goes to agent i and one where it
may not. Among the most fractional pairs, the one whose children lose most bound at the
node's multipliers (the product of the two losses, from the forced bounds of the fixing) is
chosen: a cheap Lagrangian form of strong branching. The tree is searched depth first, the
child nearer the LP's choice first: a proof needs every node closed anyway, and depth first
keeps the master's columns and basis useful from one node to the next.

*Fixing.* At every node, with the node's best multipliers, the bounds with each pair forced in
or out (``lagrange.forced``) remove the pairs no better assignment uses, and fix the jobs every
better assignment gives to one agent. With the optimal incumbent this leaves little: on
Yagiura's c20400 (20 agents, 400 jobs), 544 of 8,000 pairs over 221 jobs.

Savelsbergh, "A branch-and-price algorithm for the generalized assignment problem",
Operations Research 45 (1997), is the method; ADR 0012 the choices.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .dive import Master
from .lagrange import Forced, forced, knapsacks
from .local_search import Dense

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

SMOOTHING = 0.5  # Wentges' alpha at a node: its centre is the parent's best multipliers
FIXING_PASSES = 3  # column generation and fixing alternate at a node at most this often
# Branching candidates: the pairs whose LP value is within this of the most fractional one.
# Proof of c20400 from its optimum: 121 nodes branching on the most fractional pair, 97 with
# this window (53 with 0.05, 111 with 0.3); e40400, no assignment below 44560: 507 against
# 55 nodes (97 with 0.05, 71 with 0.3). Single runs; ADR 0012.
BRANCHING_WINDOW = 0.2
SLACK = 1e-6  # relative, against rounding in the sums of fractional profits


@dataclass(frozen=True)
class _Node:
    allowed: BoolArray  # m x n: the pairs still allowed
    center: FloatArray  # the multipliers to start from (the parent's best)


@dataclass
class _Sub:
    """A node as a smaller GAP: its free jobs, their pairs and the agents' room left."""

    dense: Dense
    free: IntArray  # the original indices of the free jobs
    constant: float  # the profit of the fixed jobs
    required: BoolArray  # m x n: the fixed jobs of each agent


class Prover:
    """Depth-first branch-and-price over ``dense`` (maximised) from an incumbent.

    It has a master of its own, or ``master``: one of an earlier tree over ``dense``, whose
    columns it keeps using (the trees of a bound raised step by step: ``backends.highs``);
    ``report`` hears of every better assignment found in the tree.

    ``above``: look only for assignments worth more than this (when it is more than the
    incumbent's value). A closed tree then shows that none is worth more than ``value``:
    a bound on the optimum, raised from below one step at a time (``backends.highs``).

    ``enough``: an assignment worth this much ends the search at once (``run`` returns True,
    ``found`` is set). With the bound raised from below it is the bound itself: an assignment
    worth it is optimal, and the rest of the tree would only show again that nothing is worth
    more (e40400, bound 44561: the tree found the optimum after 28.6 s and took 25.7 s more
    to close). ``stop``: asked before every node; True ends the search like the deadline."""

    def __init__(
        self,
        dense: Dense,
        multipliers: FloatArray,
        incumbent: IntArray,
        *,
        integral: bool,
        report: Callable[[IntArray, float], None] | None = None,
        above: float | None = None,
        master: Master | None = None,
        enough: float | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> None:
        self.dense = dense
        self.integral = integral
        self.report = report
        self.best = incumbent.astype(np.int64).copy()
        # What an assignment must be worth more than to be kept: the best one's value, or
        # ``above`` until the search finds one worth more.
        self.value = dense.value(self.best)
        if above is not None and above > self.value:
            self.value = above
        self.found = False  # the search found an assignment worth more than ``value`` was
        self.enough = enough
        self.stop = stop
        self.master = Master(dense) if master is None else master
        self.center = multipliers.astype(np.float64).copy()
        self.master.add_assignment(self.best)
        _, chosen = knapsacks(dense, dense.profit - self.center[None, :])
        self.master.add_all(chosen)
        self.nodes = 0
        self.rounds = 0
        self.pairs_left: int | None = None  # pairs allowed at the root, after fixing

    @property
    def threshold(self) -> float:
        """What the bound of a node must reach for a better assignment to be in it."""
        slack = SLACK * max(1.0, abs(self.value))
        return self.value + (1.0 if self.integral else 0.0) - slack

    def run(self, deadline: float) -> bool:
        """Search the tree; True when it is closed by ``deadline``: no assignment is worth
        more than ``value`` (that of ``best``, the incumbent or the better one the search
        found; or ``above`` when nothing was found)."""
        stack = [_Node(self.dense.allowed.copy(), self.center)]
        try:
            while stack:
                if self._is_enough():
                    return True
                if time.perf_counter() >= deadline or (self.stop is not None and self.stop()):
                    return False
                node = stack.pop()
                self.nodes += 1
                children = self._process(node, deadline)
                if children is None:
                    return False  # the deadline struck inside the node
                stack.extend(children)
            return True
        finally:
            self.master.reset()

    def _is_enough(self) -> bool:
        """Whether the search found an assignment worth ``enough``."""
        if self.enough is None or not self.found:
            return False
        return self.value >= self.enough - SLACK * max(1.0, abs(self.enough))

    def _process(self, node: _Node, deadline: float) -> list[_Node] | None:
        """Bound a node; its children (none when it is closed), or None at the deadline."""
        dense, master = self.dense, self.master
        allowed, center = node.allowed, node.center
        passes = 0
        while True:
            sub = self._sub(allowed)
            if sub is None:
                return []  # no assignment fits this node
            value, after, _ = self._fix(sub, allowed, center)
            if value < self.threshold:
                return []
            if after is not allowed and passes < FIXING_PASSES:
                allowed, passes = after, passes + 1
                continue
            outcome = self._generate(sub, allowed, center, deadline)
            if outcome is None:
                return None
            closed, center = outcome
            if closed:
                return []
            node_value, after, bounds = self._fix(sub, allowed, center)
            if after is not allowed and passes < FIXING_PASSES:
                allowed, passes = after, passes + 1
                continue
            break
        if self.pairs_left is None:
            self.pairs_left = int(allowed.sum())
        # The master is optimal over all patterns of this node: its solution decides.
        _, _, _, values = master.solve()
        solution = np.asarray(master.highs.getSolution().col_value)
        artificial = float(solution[: dense.n_jobs].max(initial=0.0))
        x = np.zeros((dense.n_agents, dense.n_jobs))
        used = np.flatnonzero(values > 1e-9)
        for column in used:
            x[master.agents[column], master.jobs[column]] += values[column]
        integral = artificial < 1e-9 and np.all(values[used] > 1 - 1e-9)
        if integral:
            assignment = np.argmax(x, axis=0).astype(np.int64)
            self._consider(assignment)
            return []  # the node's LP optimum is an assignment: nothing better below it
        split = (x > 1e-6) & (x < 1 - 1e-6)
        if not split.any():  # fractional patterns over integral pairs: branch on any use
            split = (x > 1e-6) & allowed & (allowed.sum(axis=0) > 1)[None, :]
            if not split.any():
                return []
        # Branch among the most fractional pairs (x within BRANCHING_WINDOW of the one
        # nearest 0.5) on the pair whose children lose most bound, at the node's
        # multipliers: the product of the two losses, each child's bound being the pair
        # forced in or out (``lagrange.forced``, already at hand from the fixing).
        frac = np.abs(x - 0.5)
        near = split & (frac <= np.min(np.where(split, frac, np.inf)) + BRANCHING_WINDOW)
        loss_in = np.zeros_like(x)
        loss_out = np.zeros_like(x)
        loss_in[:, sub.free] = node_value - sub.constant - bounds.with_pair
        loss_out[:, sub.free] = node_value - sub.constant - bounds.without_pair
        floor = SLACK * max(1.0, abs(node_value))
        gain = np.maximum(loss_in, floor) * np.maximum(loss_out, floor)
        score = np.where(near, gain, -np.inf)
        agent, job = np.unravel_index(int(np.argmax(score)), score.shape)
        one = allowed.copy()
        one[:, job] = False
        one[agent, job] = True
        zero = allowed.copy()
        zero[agent, job] = False
        first, second = (one, zero) if x[agent, job] >= 0.5 else (zero, one)
        return [_Node(second, center), _Node(first, center)]  # the first is popped first

    def _sub(self, allowed: BoolArray) -> _Sub | None:
        dense = self.dense
        count = allowed.sum(axis=0)
        if np.any(count == 0):
            return None
        fixed = count == 1
        owner = np.argmax(allowed, axis=0)
        jobs = np.flatnonzero(fixed)
        load = np.bincount(
            owner[jobs], dense.use[owner[jobs], jobs], minlength=dense.n_agents
        ).astype(np.int64)
        room = dense.capacity - load
        if np.any(room < 0):
            return None
        required = np.zeros_like(allowed)
        required[owner[jobs], jobs] = True
        free = np.flatnonzero(~fixed)
        use = dense.use[:, free]
        sub = Dense(
            dense.profit[:, free], use, allowed[:, free] & (use <= room[:, None]), room, dense.sign
        )
        return _Sub(sub, free, float(dense.profit[owner[jobs], jobs].sum()), required)

    def _lagrangian(self, sub: _Sub, prices: FloatArray) -> tuple[float, BoolArray]:
        """The node's Lagrangian bound at ``prices`` (all jobs) and the knapsacks' choice
        (m x free jobs)."""
        local = prices[sub.free]
        optimum, chosen = knapsacks(sub.dense, sub.dense.profit - local[None, :])
        return sub.constant + float(local.sum() + optimum.sum()), chosen

    def _fix(
        self, sub: _Sub, allowed: BoolArray, center: FloatArray
    ) -> tuple[float, BoolArray, Forced]:
        """The node's bound at ``center``, the pairs left by fixing at it (``allowed`` itself
        when nothing changes) and the forced bounds it used (over the free jobs)."""
        bounds = forced(sub.dense, center[sub.free])
        value = sub.constant + bounds.value
        threshold = self.threshold - sub.constant
        drop = sub.dense.allowed & (bounds.with_pair < threshold)
        need = sub.dense.allowed & (bounds.without_pair < threshold)
        if value < self.threshold or not (drop.any() or need.any()):
            return value, allowed, bounds
        allowed = allowed.copy()
        agents, jobs = np.nonzero(drop)
        allowed[agents, sub.free[jobs]] = False
        for agent, job in zip(*np.nonzero(need), strict=True):
            allowed[:, sub.free[job]] = False
            allowed[agent, sub.free[job]] = True
        return value, allowed, bounds

    def _generate(
        self, sub: _Sub, allowed: BoolArray, center: FloatArray, deadline: float
    ) -> tuple[bool, FloatArray] | None:
        """Column generation at a node until no pattern improves the master at its own
        duals: (closed by the bound, the best multipliers); None at the deadline."""
        master = self.master
        self._restrict(allowed, sub.required)
        best, _ = self._lagrangian(sub, center)
        smoothing = SMOOTHING
        while True:
            if time.perf_counter() >= deadline:
                return None
            self.rounds += 1
            _, job_price, agent_price, _ = master.solve()
            added = 0
            for prices in (smoothing * center + (1 - smoothing) * job_price, job_price):
                value, chosen = self._lagrangian(sub, prices)
                if value < best:
                    best, center = value, prices.copy()
                if best < self.threshold:
                    return True, center
                patterns = sub.required.copy()  # each agent's fixed jobs, and its choice
                patterns[:, sub.free] |= chosen
                added = master.add_improving(patterns, job_price, agent_price)
                if added:
                    break
                smoothing *= 0.5  # the smoothed prices found nothing: trust the LP more
            if not added:  # the master's value is the node's bound
                return False, center
            self._restrict(allowed, sub.required)

    def _restrict(self, allowed: BoolArray, required: BoolArray) -> None:
        """Only the node's patterns may be used: allowed jobs only, the fixed ones included."""
        master = self.master
        patterns = master.patterns()
        agents = np.asarray(master.agents, dtype=np.int64)
        usable = ~np.any(patterns & ~allowed[agents], axis=1)
        usable &= ~np.any(required[agents] & ~patterns, axis=1)
        master._bounds(np.zeros(master.size), np.where(usable, np.inf, 0.0))

    def _consider(self, assignment: IntArray) -> None:
        dense = self.dense
        if not dense.feasible(assignment):
            return
        value = dense.value(assignment)
        if value > self.value + 1e-9:
            self.best, self.value, self.found = assignment, value, True
            if self.report is not None:
                self.report(assignment, value)
