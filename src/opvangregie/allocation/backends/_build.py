"""The model both back-ends solve: the assignment problem with interchangeable jobs merged.

Jobs with the same weight and the same allowed pairs (same agents, uses and values) that take
part in no together/apart rule are interchangeable: which one of them goes where changes
neither feasibility nor the objective. They become one *class* with a count, and the model gets
one integer column per (class, agent) saying how many of the class go there, instead of one
binary column per (job, agent). This is an exact reduction: every solution of the merged model
is turned back into an assignment of the same objective (``assignment``), and every assignment
is a solution of the merged model (``counts``). On the generated region (1,000 households)
it merges the households into about 170 classes. Jobs in a together/apart rule stay a class of
their own, so those rules keep their per-job rows.
"""

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..problem import Problem, Sense

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Model:
    members: list[list[int]]  # jobs per class, ascending
    col_class: IntArray  # per column: its class
    col_agent: IntArray
    col_use: IntArray
    col_value: FloatArray  # value of one job plus the place bonus
    col_weight: IntArray  # persons per job, for fairness
    col_group: IntArray  # group of the agent, or -1
    col_upper: IntArray  # at most this many jobs of the class fit the agent
    together: list[tuple[list[int], list[int]]]  # per agent: columns of a, of b (0 or 1 each)
    apart: list[tuple[int, int]]  # columns that may not both be chosen
    impossible_jobs: list[int]  # jobs with no allowed pair

    @property
    def n_cols(self) -> int:
        return len(self.col_class)

    @property
    def n_classes(self) -> int:
        return len(self.members)

    def counts(self, assignment: tuple[int, ...] | list[int]) -> IntArray:
        """How many jobs of each class an assignment puts in each column."""
        column = {
            (int(c), int(a)): k
            for k, (c, a) in enumerate(zip(self.col_class, self.col_agent, strict=True))
        }
        counts = np.zeros(self.n_cols, dtype=np.int64)
        for cls, jobs in enumerate(self.members):
            for job in jobs:
                agent = assignment[job]
                if agent >= 0:
                    counts[column[(cls, agent)]] += 1
        return counts

    def objective(self, problem: Problem, counts: IntArray) -> float:
        """The objective of a solution of the model (the same as that of its assignment)."""
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
        placed = np.zeros(self.n_classes, dtype=np.int64)
        np.add.at(placed, self.col_class, counts)
        size = np.asarray([len(m) for m in self.members], dtype=np.int64)
        if np.any(placed > size) or (problem.must_assign and np.any(placed < size)):
            return False
        if any(counts[a].sum() != counts[b].sum() for a, b in self.together):
            return False
        return not any(counts[a] + counts[b] > 1 for a, b in self.apart)

    def assignment(self, n_jobs: int, counts: IntArray | list[int]) -> tuple[int, ...]:
        """Back to one agent per job: the members of a class in order, agents in order."""
        assignment = [-1] * n_jobs
        position = [0] * self.n_classes
        for k in np.flatnonzero(np.asarray(counts) > 0):
            cls = int(self.col_class[k])
            jobs = self.members[cls]
            for _ in range(int(counts[k])):
                assignment[jobs[position[cls]]] = int(self.col_agent[k])
                position[cls] += 1
        return tuple(assignment)


def build(problem: Problem) -> Model:
    options: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
    for pair in problem.pairs:
        options[pair.job].append((pair.agent, pair.use, pair.value))
    linked = {j for rule in (*problem.together, *problem.apart) for j in rule}
    classes: dict[object, int] = {}
    members: list[list[int]] = []
    job_class = [0] * problem.n_jobs
    for job in range(problem.n_jobs):
        signature = tuple(sorted(options.get(job, ())))
        key: object = ("job", job) if job in linked else (problem.weight(job), signature)
        if key not in classes:
            classes[key] = len(members)
            members.append([])
        job_class[job] = classes[key]
        members[classes[key]].append(job)

    col_class: list[int] = []
    col_agent: list[int] = []
    col_use: list[int] = []
    col_value: list[float] = []
    column: dict[tuple[int, int], int] = {}
    for cls, jobs in enumerate(members):
        for agent, use, value in sorted(options.get(jobs[0], ())):
            column[(cls, agent)] = len(col_class)
            col_class.append(cls)
            col_agent.append(agent)
            col_use.append(use)
            col_value.append(value + problem.place_bonus)
    agents = np.asarray(col_agent, dtype=np.int64)
    uses = np.asarray(col_use, dtype=np.int64)
    count = np.asarray([len(m) for m in members], dtype=np.int64)
    classes_of = np.asarray(col_class, dtype=np.int64)
    capacity = np.asarray(problem.capacity, dtype=np.int64)
    upper = np.minimum(count[classes_of], capacity[agents] // np.maximum(uses, 1))
    weight = np.asarray([problem.weight(m[0]) for m in members], dtype=np.int64)
    groups = np.asarray(problem.agent_group or [-1] * problem.n_agents, dtype=np.int64)

    together = []
    for a, b in problem.together:
        ca, cb = job_class[a], job_class[b]
        for agent in range(problem.n_agents):
            ka, kb = column.get((ca, agent)), column.get((cb, agent))
            if ka is None and kb is None:
                continue
            together.append(([ka] if ka is not None else [], [kb] if kb is not None else []))
    apart = []
    for a, b in problem.apart:
        ca, cb = job_class[a], job_class[b]
        for agent in range(problem.n_agents):
            ka, kb = column.get((ca, agent)), column.get((cb, agent))
            if ka is not None and kb is not None:
                apart.append((ka, kb))
    impossible = [j for j in range(problem.n_jobs) if not options.get(j)]
    return Model(
        members=members,
        col_class=classes_of,
        col_agent=agents,
        col_use=uses,
        col_value=np.asarray(col_value, dtype=np.float64),
        col_weight=weight[classes_of] if len(classes_of) else np.zeros(0, dtype=np.int64),
        col_group=groups[agents] if len(agents) else np.zeros(0, dtype=np.int64),
        col_upper=upper,
        together=together,
        apart=apart,
        impossible_jobs=impossible,
    )
