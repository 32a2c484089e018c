"""The model both back-ends solve: the assignment problem with interchangeable jobs merged.

Two exact reductions, for jobs that take part in no together/apart rule (those keep one class
each, so the rules keep their per-job rows):

*Classes.* Jobs with the same weight and the same allowed pairs (same agents, uses and values)
are interchangeable: which one of them goes where changes neither feasibility nor the
objective. They become one class with a count, and the model gets one integer column per
(class, agent) saying how many of the class go there, instead of one binary column per
(job, agent).

*Pools.* Classes with the same weight, agents and uses that differ only in value at some
agents (households alike but for their ties with a municipality) share a *pool*: one base
column per agent worth the pool's worst value there, for any member of the pool, plus a
column per class only where that class is worth more than the base. A pool row caps all its
columns at the pool's size, a class row caps the class's own columns at the class's size.
Every assignment is a solution of the model with the same objective (``counts``: a job takes
its class's column where there is one, the base column elsewhere, where its value equals the
base value); every solution of the model is an assignment worth at least as much
(``assignment``: base columns go to any remaining member of the pool, who is worth at least the
base there). So the optimum is the same, and the model's bound is a bound on the problem.

On the generated region (1,000 households x 300 locations) the 248,000 household/location
pairs become 166 classes in 23 pools and 5,252 integer columns.
"""

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..problem import Problem, Sense

PROVEN = 1e-6  # a relative gap this small counts as proven optimal

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Model:
    members: list[list[int]]  # jobs per class, ascending
    pools: list[list[int]]  # classes per pool
    col_class: IntArray  # per column: its class, or -1 for a pool's base column
    col_pool: IntArray  # per column: its pool, or -1
    col_agent: IntArray
    col_use: IntArray
    col_value: FloatArray  # value of one job plus the place bonus
    col_weight: IntArray  # persons per job, for fairness
    col_group: IntArray  # group of the agent, or -1
    col_upper: IntArray  # at most this many jobs of the column fit the agent
    together: list[tuple[list[int], list[int]]]  # per agent: columns of a, of b (0 or 1 each)
    apart: list[tuple[int, int]]  # columns that may not both be chosen
    impossible_jobs: list[int]  # jobs with no allowed pair

    @property
    def n_cols(self) -> int:
        return len(self.col_class)

    @property
    def n_classes(self) -> int:
        return len(self.members)

    @property
    def class_size(self) -> IntArray:
        return np.asarray([len(m) for m in self.members], dtype=np.int64)

    @property
    def pool_size(self) -> IntArray:
        size = self.class_size
        return np.asarray([size[p].sum() for p in self.pools], dtype=np.int64)

    def counts(self, assignment: tuple[int, ...] | list[int]) -> IntArray:
        """How many jobs an assignment puts in each column (its class's, else its pool's)."""
        column = {
            (int(c), int(p), int(a)): k
            for k, (c, p, a) in enumerate(
                zip(self.col_class, self.col_pool, self.col_agent, strict=True)
            )
        }
        pool_of = self._pool_of_class()
        counts = np.zeros(self.n_cols, dtype=np.int64)
        for cls, jobs in enumerate(self.members):
            pool = pool_of[cls]
            for job in jobs:
                agent = assignment[job]
                if agent >= 0:
                    k = column.get((cls, pool, agent))
                    counts[k if k is not None else column[(-1, pool, agent)]] += 1
        return counts

    def assignment(self, n_jobs: int, counts: IntArray | list[int]) -> tuple[int, ...]:
        """Back to one agent per job: class columns to the members of the class in order,
        then base columns to the remaining members of the pool in order."""
        counts = np.asarray(counts)
        result = [-1] * n_jobs
        position = [0] * self.n_classes
        chosen = np.flatnonzero(counts > 0)
        for k in chosen[self.col_class[chosen] >= 0]:
            cls = int(self.col_class[k])
            for _ in range(int(counts[k])):
                result[self.members[cls][position[cls]]] = int(self.col_agent[k])
                position[cls] += 1
        remaining: dict[int, list[int]] = {}
        for k in chosen[self.col_class[chosen] < 0]:
            pool = int(self.col_pool[k])
            if pool not in remaining:
                remaining[pool] = sorted(
                    j for c in self.pools[pool] for j in self.members[c][position[c] :]
                )[::-1]
            for _ in range(int(counts[k])):
                result[remaining[pool].pop()] = int(self.col_agent[k])
        return tuple(result)

    def objective(self, problem: Problem, counts: IntArray) -> float:
        """The objective of a solution of the model."""
        total = float(np.dot(self.col_value, counts))
        if problem.fairness_weight > 0 and problem.n_groups:
            placed = np.zeros(problem.n_groups)
            grouped = self.col_group >= 0
            np.add.at(placed, self.col_group[grouped], (counts * self.col_weight)[grouped])
            deviation = np.abs(
                np.asarray(problem.group_present) + placed - np.asarray(problem.group_target)
            ).sum()
            fairness = problem.fairness_weight * float(deviation)
            total = total - fairness if problem.sense == Sense.MAX else total + fairness
        return total

    def feasible(self, problem: Problem, counts: IntArray) -> bool:
        if np.any(counts < 0) or np.any(counts > self.col_upper):
            return False
        used = np.zeros(problem.n_agents, dtype=np.int64)
        np.add.at(used, self.col_agent, counts * self.col_use)
        if np.any(used > np.asarray(problem.capacity, dtype=np.int64)):
            return False
        own = self.col_class >= 0
        by_class = np.zeros(self.n_classes, dtype=np.int64)
        np.add.at(by_class, self.col_class[own], counts[own])
        pooled = self.col_pool >= 0
        by_pool = np.zeros(len(self.pools), dtype=np.int64)
        np.add.at(by_pool, self.col_pool[pooled], counts[pooled])
        if np.any(by_class > self.class_size) or np.any(by_pool > self.pool_size):
            return False
        if problem.must_assign:
            unpooled = self._pool_of_class() < 0
            if np.any(by_class[unpooled] < self.class_size[unpooled]):
                return False
            if np.any(by_pool < self.pool_size):
                return False
        if any(counts[a].sum() != counts[b].sum() for a, b in self.together):
            return False
        return not any(counts[a] + counts[b] > 1 for a, b in self.apart)

    def fill(self, problem: Problem, counts: IntArray) -> IntArray:
        """Add jobs greedily to a partial solution: heaviest first, best value per use.

        Jobs in together/apart rules are left as they are, or all taken out when the partial
        solution breaks a rule; the result then keeps every rule (all other rows hold too).
        """
        x = counts.copy()
        linked = sorted(
            {k for a, b in self.together for k in (*a, *b)} | {k for r in self.apart for k in r}
        )
        if any(x[a].sum() != x[b].sum() for a, b in self.together) or any(
            x[a] + x[b] > 1 for a, b in self.apart
        ):
            x[linked] = 0
        free = np.asarray(problem.capacity, dtype=np.int64).copy()
        np.subtract.at(free, self.col_agent, x * self.col_use)
        left = self.class_size
        own = self.col_class >= 0
        np.subtract.at(left, self.col_class[own], x[own])
        left_pool = self.pool_size
        pooled = self.col_pool >= 0
        np.subtract.at(left_pool, self.col_pool[pooled], x[pooled])
        unlimited = problem.n_jobs + 1
        sign = 1.0 if problem.sense == Sense.MAX else -1.0
        per_use = -sign * self.col_value / np.maximum(self.col_use, 1)
        skip = np.zeros(self.n_cols, dtype=bool)
        skip[linked] = True
        for k in np.lexsort((self.col_agent, per_use, -self.col_weight)).tolist():
            if skip[k]:
                continue
            c, p = int(self.col_class[k]), int(self.col_pool[k])
            a, use = int(self.col_agent[k]), int(self.col_use[k])
            fit = min(
                int(left[c]) if c >= 0 else unlimited,
                int(left_pool[p]) if p >= 0 else unlimited,
                int(free[a]) // max(use, 1),
                int(self.col_upper[k] - x[k]),
            )
            if fit > 0:
                x[k] += fit
                free[a] -= fit * use
                if c >= 0:
                    left[c] -= fit
                if p >= 0:
                    left_pool[p] -= fit
        return x

    def _pool_of_class(self) -> IntArray:
        pool_of = np.full(self.n_classes, -1, dtype=np.int64)
        for pool, classes in enumerate(self.pools):
            pool_of[classes] = pool
        return pool_of


def build(problem: Problem) -> Model:
    options: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
    for pair in problem.pairs:
        options[pair.job].append((pair.agent, pair.use, pair.value))
    linked = {j for rule in (*problem.together, *problem.apart) for j in rule}
    classes: dict[object, int] = {}
    members: list[list[int]] = []
    signatures: list[tuple[tuple[int, int, float], ...]] = []
    job_class = [0] * problem.n_jobs
    for job in range(problem.n_jobs):
        signature = tuple(sorted(options.get(job, ())))
        key: object = ("job", job) if job in linked else (problem.weight(job), signature)
        if key not in classes:
            classes[key] = len(members)
            members.append([])
            signatures.append(signature)
        job_class[job] = classes[key]
        members[classes[key]].append(job)

    # Pools: classes of the same weight, agents and uses.
    shapes: dict[object, list[int]] = defaultdict(list)
    for cls, jobs in enumerate(members):
        if jobs[0] not in linked and signatures[cls]:
            shape = (problem.weight(jobs[0]), tuple((a, u) for a, u, _ in signatures[cls]))
            shapes[shape].append(cls)
    pools = [group for group in shapes.values() if len(group) > 1]
    worst = min if problem.sense == Sense.MAX else max

    col_class: list[int] = []
    col_pool: list[int] = []
    col_agent: list[int] = []
    col_use: list[int] = []
    col_value: list[float] = []
    col_size: list[int] = []  # jobs the column's row(s) allow at most

    def column(cls: int, pool: int, agent: int, use: int, value: float, size: int) -> None:
        col_class.append(cls)
        col_pool.append(pool)
        col_agent.append(agent)
        col_use.append(use)
        col_value.append(value + problem.place_bonus)
        col_size.append(size)

    pooled: set[int] = set()
    for pool, group in enumerate(pools):
        pooled.update(group)
        base = [worst(signatures[c][i][2] for c in group) for i in range(len(signatures[group[0]]))]
        size = sum(len(members[c]) for c in group)
        for i, (agent, use, _) in enumerate(signatures[group[0]]):
            column(-1, pool, agent, use, base[i], size)
        for cls in group:
            for i, (agent, use, value) in enumerate(signatures[cls]):
                if value != base[i]:
                    column(cls, pool, agent, use, value, len(members[cls]))
    index: dict[tuple[int, int], int] = {}
    for cls, jobs in enumerate(members):
        if cls in pooled:
            continue
        for agent, use, value in signatures[cls]:
            index[(cls, agent)] = len(col_class)
            column(cls, -1, agent, use, value, len(jobs))

    agents = np.asarray(col_agent, dtype=np.int64)
    uses = np.asarray(col_use, dtype=np.int64)
    capacity = np.asarray(problem.capacity, dtype=np.int64)
    upper = np.minimum(
        np.asarray(col_size, dtype=np.int64), capacity[agents] // np.maximum(uses, 1)
    )
    weight = np.asarray([problem.weight(m[0]) for m in members], dtype=np.int64)
    groups = np.asarray(problem.agent_group or [-1] * problem.n_agents, dtype=np.int64)
    classes_of = np.asarray(col_class, dtype=np.int64)
    pools_of = np.asarray(col_pool, dtype=np.int64)
    pool_weight = np.asarray([weight[p[0]] for p in pools], dtype=np.int64)
    col_weight = np.where(
        classes_of >= 0,
        weight[np.maximum(classes_of, 0)] if len(weight) else 0,
        pool_weight[np.maximum(pools_of, 0)] if len(pool_weight) else 0,
    ).astype(np.int64)

    together = []
    for a, b in problem.together:
        ca, cb = job_class[a], job_class[b]
        for agent in range(problem.n_agents):
            ka, kb = index.get((ca, agent)), index.get((cb, agent))
            if ka is None and kb is None:
                continue
            together.append(([ka] if ka is not None else [], [kb] if kb is not None else []))
    apart = []
    for a, b in problem.apart:
        ca, cb = job_class[a], job_class[b]
        for agent in range(problem.n_agents):
            ka, kb = index.get((ca, agent)), index.get((cb, agent))
            if ka is not None and kb is not None:
                apart.append((ka, kb))
    impossible = [j for j in range(problem.n_jobs) if not options.get(j)]
    return Model(
        members=members,
        pools=pools,
        col_class=classes_of,
        col_pool=pools_of,
        col_agent=agents,
        col_use=uses,
        col_value=np.asarray(col_value, dtype=np.float64),
        col_weight=col_weight,
        col_group=groups[agents] if len(agents) else np.zeros(0, dtype=np.int64),
        col_upper=upper,
        together=together,
        apart=apart,
        impossible_jobs=impossible,
    )
