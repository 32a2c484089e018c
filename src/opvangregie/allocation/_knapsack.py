"""The 0-1 knapsacks of the Lagrangian bound, compiled (numba).

Every bound, dive round and branch-and-price node prices with one knapsack per agent (profit
``reduced[i, j]``, weight ``use[i, j]``, integer capacity), solved by dynamic programming over
the capacity. Only the items with a positive profit enter an agent's table, so an agent's work
is (its useful items) x (its capacity): tens of items, not the n jobs of the problem. The
recurrence, the order of the items (by job) and the tie rule (an item is taken only when it is
strictly better) are those of a plain loop, so the result is the same on every machine.

Compiled with ``cache=True``: the machine code is kept beside this file (or in numba's
user-wide cache when the folder is read-only), so a new process loads it instead of compiling.
"""

import numpy as np
from numba import njit

NEGATIVE = -np.inf


@njit(cache=True)
def _items(reduced, allowed, agent):  # type: ignore[no-untyped-def]
    n = reduced.shape[1]
    count = 0
    for j in range(n):
        if allowed[agent, j] and reduced[agent, j] > 0:
            count += 1
    items = np.empty(count, dtype=np.int64)
    count = 0
    for j in range(n):
        if allowed[agent, j] and reduced[agent, j] > 0:
            items[count] = j
            count += 1
    return items


@njit(cache=True)
def _forward(reduced, use, agent, items, capacity):  # type: ignore[no-untyped-def]
    """``table[t, c]``: the best of the first t useful items within capacity c."""
    k = items.shape[0]
    table = np.zeros((k + 1, capacity + 1))
    for t in range(k):
        j = items[t]
        weight = use[agent, j]
        gain = reduced[agent, j]
        for c in range(capacity + 1):
            table[t + 1, c] = table[t, c]
        for c in range(weight, capacity + 1):
            candidate = table[t, c - weight] + gain
            if candidate > table[t, c]:
                table[t + 1, c] = candidate
    return table


@njit(cache=True)
def _take(table, use, agent, items, capacity, chosen):  # type: ignore[no-untyped-def]
    left = capacity
    for t in range(items.shape[0] - 1, -1, -1):
        if table[t + 1, left] > table[t, left]:
            j = items[t]
            chosen[agent, j] = True
            left -= use[agent, j]


@njit(cache=True)
def _agent(reduced, use, allowed, agent, capacity, chosen):  # type: ignore[no-untyped-def]
    """One agent's knapsack: its useful items and their table; marks its choice in
    ``chosen``."""
    items = _items(reduced, allowed, agent)
    table = _forward(reduced, use, agent, items, capacity)
    _take(table, use, agent, items, capacity, chosen)
    return items, table


@njit(cache=True)
def solve(reduced, use, allowed, capacity):  # type: ignore[no-untyped-def]
    """Every agent's knapsack: the optima (m) and the items chosen (m x n)."""
    m, n = reduced.shape
    optimum = np.zeros(m)
    chosen = np.zeros((m, n), dtype=np.bool_)
    for agent in range(m):
        cap = capacity[agent]
        if cap < 0:
            continue
        items, table = _agent(reduced, use, allowed, agent, cap, chosen)
        optimum[agent] = table[items.shape[0], cap]
    return optimum, chosen


@njit(cache=True)
def solve_forced(reduced, use, allowed, capacity):  # type: ignore[no-untyped-def]
    """As ``solve``, and per allowed pair the agent's knapsack optimum with the item forced in
    and forced out (-inf where it cannot be, and for pairs not allowed): the best of the other
    items, from the table of the items before it and a table of the items after it."""
    m, n = reduced.shape
    optimum = np.zeros(m)
    chosen = np.zeros((m, n), dtype=np.bool_)
    forced_in = np.full((m, n), NEGATIVE)
    forced_out = np.full((m, n), NEGATIVE)
    for agent in range(m):
        cap = capacity[agent]
        if cap < 0:
            continue
        items, table = _agent(reduced, use, allowed, agent, cap, chosen)
        k = items.shape[0]
        best = table[k, cap]
        optimum[agent] = best
        # The same table over the items in reverse: backward[k - t, c] is the best of the
        # useful items t.. within capacity c.
        backward = _forward(reduced, use, agent, items[::-1].copy(), cap)
        position = 0
        for j in range(n):
            if not allowed[agent, j]:
                continue
            weight = use[agent, j]
            room = cap - weight
            if position < k and items[position] == j:  # a useful item: the others around it
                after = backward[k - position - 1]  # the items after it
                for forced, free in ((0, room), (1, cap)):
                    if free < 0:
                        continue
                    rest = NEGATIVE
                    for c in range(free + 1):
                        value = table[position, c] + after[free - c]
                        if value > rest:
                            rest = value
                    if forced == 0:
                        forced_in[agent, j] = rest + reduced[agent, j]
                    else:
                        forced_out[agent, j] = rest
                position += 1
            else:  # no knapsack takes it: without it the agent's optimum stands
                forced_out[agent, j] = best
                if room >= 0:
                    forced_in[agent, j] = table[k, room] + reduced[agent, j]
    return optimum, chosen, forced_in, forced_out
