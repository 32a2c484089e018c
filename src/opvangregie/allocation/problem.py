"""The generic assignment problem and its result (frozen dataclasses, no Django)."""

from dataclasses import dataclass, field
from enum import StrEnum


class Sense(StrEnum):
    MAX = "max"
    MIN = "min"


class Status(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"  # a solution, not proven optimal (time limit): see gap
    INFEASIBLE = "infeasible"
    NOT_SOLVED = "not_solved"


@dataclass(frozen=True)
class Pair:
    """Job ``job`` may go to agent ``agent``, using ``use`` of its capacity, worth ``value``."""

    job: int
    agent: int
    use: int
    value: float


@dataclass(frozen=True)
class Problem:
    """Assign jobs (households) to agents (locations).

    Objective (in ``sense``): the sum of the values of the chosen pairs, plus ``place_bonus`` per
    placed job, minus ``fairness_weight`` times the total deviation of every group (municipality)
    from its target: |present + placed weight - target|.
    ``must_assign``: every job exactly once (GAP); otherwise at most once (placement).
    ``together``: pairs of jobs that go to the same agent or both stay unplaced.
    ``apart``: pairs of jobs that never share an agent.
    """

    n_jobs: int
    n_agents: int
    capacity: tuple[int, ...]
    pairs: tuple[Pair, ...]
    sense: Sense = Sense.MAX
    must_assign: bool = False
    place_bonus: float = 0.0
    job_weight: tuple[int, ...] = ()  # persons per job, for fairness (default 1)
    agent_group: tuple[int, ...] = ()  # group (municipality) index per agent, or -1
    group_target: tuple[float, ...] = ()
    group_present: tuple[float, ...] = ()
    fairness_weight: float = 0.0
    together: tuple[tuple[int, int], ...] = ()
    apart: tuple[tuple[int, int], ...] = ()
    integral_objective: bool = False  # all values integral: a gap below 1 proves optimality

    def weight(self, job: int) -> int:
        return self.job_weight[job] if self.job_weight else 1

    @property
    def n_groups(self) -> int:
        return len(self.group_target)


@dataclass(frozen=True)
class Result:
    status: Status
    assignment: tuple[int, ...]  # agent per job, -1 = not placed
    objective: float | None
    bound: float | None
    gap: float | None  # relative, 0.0 when proven optimal
    seconds: float
    backend: str
    settings: dict[str, object] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "status": str(self.status),
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "seconds": round(self.seconds, 3),
            "backend": self.backend,
            "settings": self.settings,
            "assignment": list(self.assignment),
        }


def evaluate(problem: Problem, assignment: tuple[int, ...] | list[int]) -> float:
    """The objective value of an assignment (in the problem's sense), for checks and heuristics."""
    value = {(p.job, p.agent): p.value for p in problem.pairs}
    total = 0.0
    placed_weight = [0.0] * problem.n_groups
    for job, agent in enumerate(assignment):
        if agent < 0:
            continue
        total += value[(job, agent)] + problem.place_bonus
        if problem.agent_group and problem.agent_group[agent] >= 0:
            placed_weight[problem.agent_group[agent]] += problem.weight(job)
    deviation = sum(
        abs(problem.group_present[g] + placed_weight[g] - problem.group_target[g])
        for g in range(problem.n_groups)
    )
    fairness = problem.fairness_weight * deviation
    return total - fairness if problem.sense == Sense.MAX else total + fairness


def is_feasible(problem: Problem, assignment: tuple[int, ...] | list[int]) -> bool:
    allowed = {(p.job, p.agent): p.use for p in problem.pairs}
    used = [0] * problem.n_agents
    for job, agent in enumerate(assignment):
        if agent < 0:
            if problem.must_assign:
                return False
            continue
        if (job, agent) not in allowed:
            return False
        used[agent] += allowed[(job, agent)]
    if any(u > c for u, c in zip(used, problem.capacity, strict=True)):
        return False
    if any(assignment[a] != assignment[b] for a, b in problem.together):
        return False
    return not any(assignment[a] == assignment[b] >= 0 for a, b in problem.apart)
