"""Small-count suppression for figures that leave the region (docs/reports.md, "Suppression").

A report is a set of *cells* (one number each, by a key) and the *relations* a reader knows
between them (a total is the sum of its parts, the change in occupancy is the week's inflow
minus its outflow, …): linear equations with integer coefficients that hold for the values.

The rule:

1. **Primary.** Every count of persons or households from 1 to ``threshold - 1`` is shown as
   ``"<5"`` (for threshold 5). Zero and counts of ``threshold`` or more are shown.
2. **Secondary.** A hidden cell must not be *pinned*: from the shown cells, the relations and
   what the marks say, it must be able to take at least two values. The reader is assumed to
   know more than the marks tell (so the check errs on the safe side): ``"<5"`` is 1 to 4, an
   ``"x"`` hiding a count of at least 5 is "at least 5", an ``"x"`` hiding a zero is 0, an
   ``"x"`` hiding a difference (the net flow) is any number. The check narrows each hidden
   cell's interval through the relations until nothing changes (bound propagation). While some
   small count is pinned, a shown non-zero cell linked to it is hidden too (``"x"``): the first
   that frees it, the least important first (parts before their total, earlier weeks before
   this week), then counts before differences, then the smallest, then by key — deterministic,
   so a report is the same every time it is made. A hidden cell that a reader can work out
   anyway (a count of 5 or more, a difference) is shown again at the end.
3. **Last resort.** When every cell in the relations of a pinned cell is hidden already (four
   parts "<5" of a total "<5" pin each other to 1), the largest small count among them is
   shown as ``"x"`` instead of ``"<5"``: then it may be any number.

This covers subtracting a part from a total (one hidden cell in a relation is pinned at once)
and the sharper reading that uses the bounds of the marks. The tests check the result with an
exact integer solver (CP-SAT) that reads only the published report.

Figures computed from a count (free places, occupancy %, waiting days) are hidden by the caller
together with the count they come from.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .constants import HIDDEN

Relation = Mapping[str, int]  # sum(coefficient * value) == 0

INF = math.inf
# A propagation that has not settled after this many passes stops (bounds only ever narrow, so
# stopping early only means the reader is assumed to know less; it never happens on reports).
MAX_PASSES = 200


@dataclass
class Table:
    """The cells of a report, which of them count persons or households, and the relations."""

    values: dict[str, int] = field(default_factory=dict)
    counts: set[str] = field(default_factory=set)
    relations: list[dict[str, int]] = field(default_factory=list)
    # How much readers need a cell (higher: hidden later), e.g. a total over its parts.
    importance: dict[str, int] = field(default_factory=dict)

    def cell(self, key: str, value: int, *, count: bool = True, importance: int = 0) -> str:
        self.values[key] = value
        self.importance[key] = importance
        if count:
            self.counts.add(key)
        return key

    def relate(self, terms: Mapping[str, int]) -> None:
        """Add a relation ``sum(coefficient * cell) == 0`` if it holds for the values (a relation
        that does not hold cannot help a reader; one that does is assumed known)."""
        terms = {k: c for k, c in terms.items() if c}
        if len(terms) < 2 or any(k not in self.values for k in terms):
            return
        if sum(c * self.values[k] for k, c in terms.items()) == 0:
            self.relations.append(dict(terms))

    def total(self, total: str, parts: Iterable[str]) -> None:
        terms: dict[str, int] = {total: -1}
        for part in parts:
            terms[part] = terms.get(part, 0) + 1
        self.relate(terms)


@dataclass(frozen=True)
class Protection:
    """The outcome: the primary (small) and secondary hidden cells."""

    threshold: int
    primary: frozenset[str]
    secondary: frozenset[str]

    @property
    def hidden(self) -> frozenset[str]:
        return self.primary | self.secondary

    @property
    def small_mark(self) -> str:
        return f"<{self.threshold}"

    def show(self, key: str, value: int | float | None) -> int | float | str | None:
        """The value as published: the number, ``"<5"`` or ``"x"``."""
        if key in self.primary:
            return self.small_mark
        if key in self.secondary:
            return HIDDEN
        return value


NOTHING_HIDDEN = Protection(threshold=0, primary=frozenset(), secondary=frozenset())


def _bounds(
    table: Table, threshold: int, primary: set[str], secondary: set[str]
) -> dict[str, tuple[float, float]]:
    """What a reader can know about every cell: shown cells exactly, hidden ones an interval
    narrowed through the relations until nothing changes."""
    bounds: dict[str, tuple[float, float]] = {}
    for key, value in table.values.items():
        if key in primary:
            bounds[key] = (1, threshold - 1)
        elif key in secondary:
            if key not in table.counts:
                bounds[key] = (-INF, INF)
            elif value >= threshold:
                bounds[key] = (threshold, INF)
            elif value == 0:
                bounds[key] = (0, 0)  # hiding a zero is assumed to help nobody
            else:  # a small count shown as "x" (the last resort): any number
                bounds[key] = (0, INF)
        else:
            bounds[key] = (value, value)
    relevant = [r for r in table.relations if any(k in primary or k in secondary for k in r)]
    for _pass in range(MAX_PASSES):
        changed = False
        for relation in relevant:
            for key, coefficient in relation.items():
                low, high = bounds[key]
                if low == high:
                    continue
                # coefficient * key = -sum(others): bound the others' sum, then divide.
                rest_low = rest_high = 0.0
                for other, c in relation.items():
                    if other == key:
                        continue
                    lo, hi = bounds[other]
                    a, b = (-c * hi, -c * lo) if c > 0 else (-c * lo, -c * hi)
                    rest_low += a
                    rest_high += b
                new_low, new_high = (
                    (rest_low / coefficient, rest_high / coefficient)
                    if coefficient > 0
                    else (rest_high / coefficient, rest_low / coefficient)
                )
                new_low = math.ceil(new_low - 1e-9) if new_low > -INF else -INF
                new_high = math.floor(new_high + 1e-9) if new_high < INF else INF
                if new_low > low or new_high < high:
                    bounds[key] = (max(low, new_low), min(high, new_high))
                    changed = True
        if not changed:
            break
    return bounds


def pinned_cells(table: Table, threshold: int, primary: set[str], secondary: set[str]) -> list[str]:
    """Hidden cells whose value a reader can work out (in key order)."""
    bounds = _bounds(table, threshold, primary, secondary)
    return sorted(k for k in primary | secondary if bounds[k][0] >= bounds[k][1])


def _component(table: Table, key: str, hidden: set[str]) -> set[str]:
    """The hidden cells linked to ``key`` through relations via other hidden cells."""
    component, stack = {key}, [key]
    while stack:
        cell = stack.pop()
        for relation in table.relations:
            if cell in relation:
                for other in relation:
                    if other in hidden and other not in component:
                        component.add(other)
                        stack.append(other)
    return component


def _candidates(table: Table, key: str, hidden: set[str]) -> list[str]:
    """Shown cells in a relation with ``key`` or the hidden cells linked to it that would help
    when hidden, best first: the least important, then counts before differences, then the
    smallest (a hidden zero count is assumed to help nobody)."""
    component = _component(table, key, hidden)
    near = {k for r in table.relations if component & r.keys() for k in r} - hidden
    useful = [k for k in near if k not in table.counts or table.values[k]]

    def order(k: str) -> tuple[int, int, float, str]:
        return (table.importance.get(k, 0), 0 if k in table.counts else 1, abs(table.values[k]), k)

    return sorted(useful, key=order)


def protect(table: Table, *, threshold: int) -> Protection:
    """Primary and secondary suppression of ``table`` (see the module's docstring)."""
    small = {k for k in table.counts if 0 < table.values[k] < threshold}
    primary = set(small)
    secondary: set[str] = set()
    while True:
        pinned = pinned_cells(table, threshold, primary, secondary)
        exposed = [k for k in pinned if k in small]
        if not exposed or not _protect_one(table, threshold, exposed, primary, secondary):
            break
    # A hidden cell the reader can work out anyway hides nothing: show it.
    for key in pinned_cells(table, threshold, primary, secondary):
        if key in secondary and key not in small:
            secondary.discard(key)
    return Protection(threshold, frozenset(primary), frozenset(secondary))


def _protect_one(
    table: Table, threshold: int, exposed: list[str], primary: set[str], secondary: set[str]
) -> bool:
    """Hide one more cell (or show one small count as "x") for the first exposed count that
    allows it; ``False`` when none does."""
    for key in exposed:
        options = _candidates(table, key, primary | secondary)
        # The first option that frees the exposed count on its own, else the first option.
        choice = next(
            (
                o
                for o in options
                if key not in pinned_cells(table, threshold, primary, secondary | {o})
            ),
            options[0] if options else None,
        )
        if choice is not None:
            secondary.add(choice)
            return True
        # The last resort: show the largest small count linked to the exposed one as "x".
        near = _component(table, key, primary | secondary) & primary
        if near:
            demoted = max(near, key=lambda k: (table.values[k], k))
            primary.discard(demoted)
            secondary.add(demoted)
            return True
    return False
