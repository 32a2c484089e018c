"""The rows of the assignment model, shared by the back-ends."""

from collections import defaultdict
from dataclasses import dataclass

from ..problem import Problem


@dataclass(frozen=True)
class Rows:
    by_job: dict[int, list[int]]  # pair indexes per job
    by_agent: dict[int, list[int]]
    by_group: dict[int, list[int]]
    together: list[tuple[list[int], list[int]]]  # per agent: pairs of a, pairs of b (0 or 1 each)
    apart: list[tuple[int, int]]  # pair indexes that may not both be chosen
    impossible_jobs: list[int]  # jobs with no allowed pair


def build(problem: Problem) -> Rows:
    by_job: dict[int, list[int]] = defaultdict(list)
    by_agent: dict[int, list[int]] = defaultdict(list)
    by_group: dict[int, list[int]] = defaultdict(list)
    index: dict[tuple[int, int], int] = {}
    for k, pair in enumerate(problem.pairs):
        by_job[pair.job].append(k)
        by_agent[pair.agent].append(k)
        index[(pair.job, pair.agent)] = k
        if problem.agent_group and problem.agent_group[pair.agent] >= 0:
            by_group[problem.agent_group[pair.agent]].append(k)
    together = []
    for a, b in problem.together:
        for agent in range(problem.n_agents):
            ka, kb = index.get((a, agent)), index.get((b, agent))
            if ka is None and kb is None:
                continue
            together.append(([ka] if ka is not None else [], [kb] if kb is not None else []))
    apart = []
    for a, b in problem.apart:
        for agent in range(problem.n_agents):
            ka, kb = index.get((a, agent)), index.get((b, agent))
            if ka is not None and kb is not None:
                apart.append((ka, kb))
    impossible = [j for j in range(problem.n_jobs) if not by_job.get(j)]
    return Rows(by_job, by_agent, by_group, together, apart, impossible)
