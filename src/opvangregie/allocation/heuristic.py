"""A fast greedy assignment, used as a warm start and as a baseline.

Jobs in order of decreasing weight (largest household first, as a placement desk does); each
goes to the allowed agent with the best value per unit of capacity that still has room. Jobs
that must stay together are placed as one block.
"""

from collections import defaultdict

from .problem import Pair, Problem, Sense, is_feasible


def greedy(problem: Problem) -> tuple[int, ...]:
    options: dict[int, list[Pair]] = defaultdict(list)
    for pair in problem.pairs:
        options[pair.job].append(pair)
    sign = 1.0 if problem.sense == Sense.MAX else -1.0
    for job_options in options.values():
        job_options.sort(key=lambda p: (-sign * p.value / max(p.use, 1), p.use, p.agent))
    use_at: dict[int, dict[int, int]] = {j: {p.agent: p.use for p in o} for j, o in options.items()}
    free = list(problem.capacity)
    assignment = [-1] * problem.n_jobs
    partner: dict[int, int] = {}
    for a, b in problem.together:
        partner[a], partner[b] = b, a
    apart: dict[int, set[int]] = defaultdict(set)
    for a, b in problem.apart:
        apart[a].add(b)
        apart[b].add(a)
    order = sorted(range(problem.n_jobs), key=lambda j: (-problem.weight(j), len(options[j]), j))
    for job in order:
        if assignment[job] >= 0:
            continue
        block = [job] + ([partner[job]] if job in partner else [])
        for pair in options[job]:
            agent = pair.agent
            uses = {j: use_at.get(j, {}).get(agent) for j in block}
            if any(u is None for u in uses.values()):
                continue
            if sum(u or 0 for u in uses.values()) > free[agent]:
                continue
            if any(assignment[other] == agent for j in block for other in apart[j]):
                continue
            for j in block:
                assignment[j] = agent
                free[agent] -= uses[j] or 0
            break
    result = tuple(assignment)
    if problem.must_assign and not is_feasible(problem, result):
        return tuple([-1] * problem.n_jobs)  # no usable start; the exact back-end finds one
    return result
