"""Reading Generalized Assignment Problem instances (OR-Library single-instance layout).

``m n``, then the m x n costs agent by agent, the m x n resource uses agent by agent, then the m
capacities; whitespace-separated integers as one token stream.
"""

from pathlib import Path

from .problem import Pair, Problem, Sense


class GapFormatError(ValueError):
    pass


def parse_gap(text: str, *, sense: Sense) -> Problem:
    try:
        tokens = [int(t) for t in text.split()]
    except ValueError as exc:
        raise GapFormatError("a GAP instance holds whole numbers only") from exc
    if len(tokens) < 2:
        raise GapFormatError("the instance is empty")
    m, n = tokens[0], tokens[1]
    expected = 2 + 2 * m * n + m
    if len(tokens) != expected:
        raise GapFormatError(f"expected {expected} numbers for m={m}, n={n}, found {len(tokens)}")
    cost = tokens[2 : 2 + m * n]
    use = tokens[2 + m * n : 2 + 2 * m * n]
    capacity = tuple(tokens[2 + 2 * m * n :])
    pairs = tuple(
        Pair(job=j, agent=i, use=use[i * n + j], value=float(cost[i * n + j]))
        for j in range(n)
        for i in range(m)
        if use[i * n + j] <= capacity[i]
    )
    return Problem(
        n_jobs=n,
        n_agents=m,
        capacity=capacity,
        pairs=pairs,
        sense=sense,
        must_assign=True,
        integral_objective=True,
    )


def read_gap(path: Path, *, sense: Sense) -> Problem:
    return parse_gap(path.read_text(), sense=sense)
