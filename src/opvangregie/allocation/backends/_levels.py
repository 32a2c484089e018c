"""The bound raised from below on both cores (ADR 0014): two workers, one level each.

With an integral objective the companion's proof (``highs._Proof``) raises a bound from
below one *level* at a time: a tree that looks only for assignments worth at least the
level either finds one (the optimum, when the level is the bound) or closes empty, and the
bound drops to the level below. The levels are independent searches: a tree at the level
below the bound finds an assignment worth it, or shows that none is worth that much, whether
or not the level above has been decided. So once the companion's first attempt has not
closed the problem, the main HiGHS search gives up its core and the companion forks a
second worker; each takes the highest level that is above the best assignment and that the
other is not searching, and ends its tree as soon as the other's news settles that level
(the bound dropped below it, or an assignment worth it was found).

On e40400 the two hardest levels are the last two: no assignment at 44560 (21.6 s of tree
from the root, this session's machine) and finding one at 44561 (20.5 s). One after the
other they do not fit in 60 s; side by side they end together.

The workers share the bound, the best value and their claims in a few numbers of anonymous
shared memory, under a lock; each reports on its own pipe to the parent, which keeps the
best assignment and the tightest bound and ends the run when they meet (``_Beside.closes``).
"""

import functools
import mmap
import multiprocessing
import time
from collections.abc import Callable
from typing import Protocol

import numpy as np
import numpy.typing as npt

from ..dive import Diver
from ..lagrange import TOLERANCE

IDLE = 0.02  # seconds a worker with no level to search waits before it looks again

# Slots of the shared numbers: the bound (no assignment is worth more), the best value found,
# and each worker's level (NaN: none).
_CEILING, _BEST, _CLAIMS = 0, 1, 2


class LevelProof(Protocol):
    lowered: int  # how often its trees lowered the bound

    def level(
        self, diver: Diver, level: float, end: float, stop: Callable[[], bool]
    ) -> bool | None: ...

    def report(self, send: Callable[[tuple[object, ...]], None]) -> None: ...


class Levels:
    """The numbers both workers share (made before the fork, in anonymous shared memory)."""

    def __init__(self, ceiling: float, best: float, workers: int = 2) -> None:
        self.workers = workers
        self._memory = mmap.mmap(-1, 8 * (_CLAIMS + workers))
        self.numbers: npt.NDArray[np.float64] = np.ndarray(
            (_CLAIMS + workers,), dtype=np.float64, buffer=self._memory
        )
        self.numbers[:] = np.nan
        self.numbers[_CEILING] = ceiling
        self.numbers[_BEST] = best
        self.lock = multiprocessing.get_context("fork").Lock()

    @property
    def ceiling(self) -> float:
        return float(self.numbers[_CEILING])

    @property
    def best(self) -> float:
        return float(self.numbers[_BEST])

    def slack(self) -> float:
        return TOLERANCE * max(1.0, abs(self.ceiling))

    def closed(self) -> bool:
        """Whether an assignment worth the bound was found: it is optimal."""
        return self.best >= self.ceiling - self.slack()

    def found(self, value: float) -> None:
        """An assignment worth ``value`` was found."""
        with self.lock:
            if value > self.numbers[_BEST]:
                self.numbers[_BEST] = value

    def claim(self, worker: int) -> float | None:
        """The highest level above the best value that no other worker searches (claimed
        for ``worker``), or None."""
        with self.lock:
            self.numbers[_CLAIMS + worker] = np.nan
            if self.closed():
                return None
            others = {
                float(self.numbers[_CLAIMS + other])
                for other in range(self.workers)
                if other != worker and not np.isnan(self.numbers[_CLAIMS + other])
            }
            level = self.ceiling
            while level in others:
                level -= 1.0
            if level <= self.best + self.slack():
                return None
            self.numbers[_CLAIMS + worker] = level
            return level

    def settled(self, level: float) -> bool:
        """Whether ``level`` is decided by now: the bound is below it, or an assignment
        worth it was found."""
        return self.ceiling < level - 0.5 or self.best >= level - self.slack()

    def refuted(self, level: float) -> bool:
        """No assignment is worth ``level``: the bound drops below it. True when that
        lowered the bound (a level above may have been refuted meanwhile)."""
        with self.lock:
            if self.numbers[_CEILING] <= level - 1.0:
                return False
            self.numbers[_CEILING] = level - 1.0
            return True


def search(
    diver: Diver,
    proof: LevelProof,
    levels: Levels,
    worker: int,
    end: float,
    send: Callable[[tuple[object, ...]], None],
) -> None:
    """One worker: search level after level until the bound is met or ``end``. A refuted
    level is sent as a bound (against the worker's best assignment, as ``highs._Proof``
    does); assignments go out through the diver's ``report``."""
    while time.perf_counter() < end and not levels.closed():
        level = levels.claim(worker)
        if level is None:  # the other worker searches the only level left
            time.sleep(IDLE)
            continue
        if diver.best_value >= level - levels.slack():
            levels.found(diver.best_value)
            continue
        outcome = proof.level(diver, level, end, functools.partial(levels.settled, level))
        if outcome is True:  # found an assignment worth the level (diver.best)
            levels.found(diver.best_value)
        elif outcome is False and levels.refuted(level):
            proof.lowered += 1
            proof.report(send)  # first: the bound may end the run
            if diver.best is not None:
                send(("bound", diver.best, levels.ceiling - diver.best_value))
            continue
        proof.report(send)
    levels.claim(worker)  # let go of the last level
