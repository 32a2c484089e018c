"""The bound raised from below on two cores (ADR 0014): the levels the two workers share,
their search against brute force, and a run in which the main search gives up its core."""

import contextlib
import multiprocessing
import os
import time
from pathlib import Path

import numpy as np
import pytest

from opvangregie.allocation.backends import _levels, solve
from opvangregie.allocation.backends import highs as highs_module
from opvangregie.allocation.backends._build import build
from opvangregie.allocation.backends._shared import Companion
from opvangregie.allocation.dive import Diver
from opvangregie.allocation.gap import read_gap
from opvangregie.allocation.lagrange import bound
from opvangregie.allocation.local_search import Dense
from opvangregie.allocation.problem import Sense, Status, evaluate
from tests.allocation.instances import tiny

GAP = Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks" / "gap"
SMALL_OPTIMA = [("cattrysse1994/gap12-3", "min", 954), ("cattrysse1994/gap8-3", "max", 1117)]


def test_each_worker_claims_the_highest_level_the_other_does_not_search() -> None:
    levels = _levels.Levels(ceiling=10.0, best=5.0)
    assert levels.claim(0) == 10.0
    assert levels.claim(1) == 9.0
    assert levels.claim(0) == 10.0  # a new claim lets go of the last one first
    assert levels.claim(1) == 9.0
    levels.claim(0)
    assert levels.claim(0) == 10.0


def test_a_refuted_level_lowers_the_bound_below_it_and_settles_the_levels_above() -> None:
    levels = _levels.Levels(ceiling=10.0, best=5.0)
    assert levels.refuted(10.0)
    assert levels.ceiling == 9.0
    assert not levels.refuted(10.0)  # nothing new
    assert levels.refuted(8.0)  # no assignment worth 8 or more: none worth 9 either
    assert levels.ceiling == 7.0
    assert not levels.refuted(9.0)
    assert levels.ceiling == 7.0
    assert levels.settled(9.0)
    assert levels.settled(8.0)
    assert not levels.settled(7.0)
    assert levels.claim(0) == 7.0


def test_an_assignment_found_settles_its_level_and_those_below() -> None:
    levels = _levels.Levels(ceiling=10.0, best=5.0)
    levels.found(8.0)
    levels.found(6.0)  # worse: kept the best
    assert levels.best == 8.0
    assert levels.settled(8.0)
    assert levels.settled(7.0)
    assert not levels.settled(9.0)
    assert not levels.closed()
    assert levels.claim(0) == 10.0
    assert levels.claim(1) == 9.0
    assert levels.claim(1) == 9.0
    levels.found(10.0)  # worth the bound: optimal
    assert levels.closed()
    assert levels.claim(0) is None


def test_no_level_is_left_when_the_only_one_above_the_best_is_claimed() -> None:
    levels = _levels.Levels(ceiling=10.0, best=9.0)
    assert levels.claim(0) == 10.0
    assert levels.claim(1) is None


def test_the_levels_are_shared_with_a_forked_worker() -> None:
    levels = _levels.Levels(ceiling=10.0, best=5.0)
    pid = os.fork()
    if pid == 0:
        try:
            levels.claim(1)
            levels.refuted(9.0)
            levels.found(7.0)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert levels.ceiling == 8.0
    assert levels.best == 7.0
    assert levels.claim(0) == 8.0  # the child's claim (9) was its last


def _worker(dense: Dense, worst: np.ndarray, multipliers: np.ndarray, levels: _levels.Levels):
    diver = Diver(dense, multipliers, worst)
    diver.root_center = multipliers  # as after the root's column generation
    proof = highs_module._Proof(integral=True)
    proof.ceiling = levels.ceiling
    return diver, proof


def _check_bounds(dense: Dense, messages: list[tuple[object, ...]], optimum: float) -> None:
    ceilings = [
        dense.value(np.asarray(m[1])) + float(m[2])  # type: ignore[arg-type]
        for m in messages
        if m[0] == "bound"
    ]
    assert all(c >= optimum - 1e-6 for c in ceilings)  # every bound sent holds
    assert ceilings == sorted(ceilings, reverse=True)


@pytest.mark.parametrize("seed", [1, 2, 3, 6])
def test_one_worker_raises_the_bound_level_by_level_to_the_optimum(seed: int) -> None:
    _problem, dense, feasible, values = tiny(seed)
    worst = feasible[int(np.argmin(values))]
    optimum = max(values)
    found = bound(dense, min(values), integral=True, max_iterations=30)
    levels = _levels.Levels(ceiling=optimum + 3.0, best=min(values))
    diver, proof = _worker(dense, worst, found.multipliers, levels)
    messages: list[tuple[object, ...]] = []
    diver.report = lambda _a, value: levels.found(value)
    _levels.search(diver, proof, levels, 0, time.perf_counter() + 60, messages.append)
    assert levels.closed()
    assert levels.ceiling == pytest.approx(optimum)
    assert levels.best == pytest.approx(optimum)
    assert diver.best_value == pytest.approx(optimum)
    assert sum(m[0] == "bound" for m in messages) == 3  # optimum + 3, + 2 and + 1 refuted
    stats = [m[1] for m in messages if m[0] == "proof"]
    assert stats[-1]["bound_raised"] == 3  # type: ignore[index]
    assert stats[-1]["nodes"] >= 4  # type: ignore[index]  # a tree per level at least
    _check_bounds(dense, messages, optimum)


@pytest.mark.parametrize("seed", [1, 2, 3, 6])
def test_two_forked_workers_meet_at_the_optimum(seed: int) -> None:
    """Two workers side by side, as in the companion: whatever order their trees end in,
    the bound and the best value meet at the optimum, and every bound either sends holds."""
    _problem, dense, feasible, values = tiny(seed)
    worst = feasible[int(np.argmin(values))]
    optimum = max(values)
    found = bound(dense, min(values), integral=True, max_iterations=30)
    levels = _levels.Levels(ceiling=optimum + 4.0, best=min(values))
    diver, proof = _worker(dense, worst, found.multipliers, levels)
    reader, writer = multiprocessing.Pipe(duplex=False)
    end = time.perf_counter() + 60
    pid = os.fork()
    if pid == 0:
        try:
            reader.close()
            diver.report = lambda assignment, value: (
                levels.found(value),
                writer.send(("assignment", assignment)),
            )
            _levels.search(diver, proof, levels, 1, end, writer.send)
            writer.send(("done",))
        finally:
            os._exit(0)
    writer.close()
    mine: list[tuple[object, ...]] = []
    diver.report = lambda assignment, value: (levels.found(value), mine.append(("a", assignment)))
    _levels.search(diver, proof, levels, 0, end, mine.append)
    os.waitpid(pid, 0)
    theirs: list[tuple[object, ...]] = []
    while reader.poll():
        try:
            theirs.append(reader.recv())
        except EOFError:
            break
    reader.close()
    assert theirs[-1] == ("done",)
    assert levels.closed()
    assert levels.ceiling == pytest.approx(optimum)
    assert levels.best == pytest.approx(optimum)
    _check_bounds(dense, mine, optimum)
    _check_bounds(dense, theirs, optimum)
    best = max(
        [diver.best_value] + [dense.value(np.asarray(m[1])) for m in theirs if m[0] == "assignment"]
    )
    assert best == pytest.approx(optimum)  # the optimum itself was reported


def _group_alive(group: int) -> bool:
    """Whether a process of ``group`` still runs (zombies do not count)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            return True
    return False


@pytest.mark.skipif(not GAP.is_dir(), reason="the shared GAP instances are not beside the project")
@pytest.mark.parametrize(("name", "sense", "optimum"), SMALL_OPTIMA)
def test_the_main_search_gives_its_core_to_a_second_worker_and_the_run_is_proven(
    monkeypatch: pytest.MonkeyPatch, name: str, sense: str, optimum: int
) -> None:
    """HiGHS never answers, and the companion's first attempt has no time: it splits at
    once. The main search is ended, the two workers prove the optimum, and none of the
    companion's processes outlives the run."""

    def silent(*_args: object, **_kwargs: object) -> None:
        time.sleep(120)

    ended: list[int] = []
    end_main = highs_module._end_main

    def spy(run, pid, *args):  # type: ignore[no-untyped-def]
        ended.append(pid)
        end_main(run, pid, *args)

    groups: list[int] = []
    start = highs_module._Beside.start

    def starting(self, deadline):  # type: ignore[no-untyped-def]
        start(self, deadline)
        groups.append(self.pid)

    monkeypatch.setattr(highs_module, "_solve", silent)
    monkeypatch.setattr(highs_module, "_end_main", spy)
    monkeypatch.setattr(highs_module._Beside, "start", starting)
    monkeypatch.setattr(highs_module, "COMPANION_AFTER", 0.0)
    monkeypatch.setattr(highs_module, "FIRST_PROOF", 0.0)
    monkeypatch.setattr(highs_module, "_cores", lambda: 2)
    problem = read_gap(GAP / name, sense=Sense(sense))
    result = solve(problem, backend="highs", time_limit=30)
    companion = result.settings["companion"]
    assert companion["handed_over"] is False
    assert companion["second_worker"] is True
    assert len(ended) == 1  # the main search, once
    assert result.status == Status.OPTIMAL
    assert result.objective == pytest.approx(optimum)
    assert evaluate(problem, result.assignment) == pytest.approx(optimum)
    assert result.bound == pytest.approx(optimum)
    assert result.seconds < 20  # on the proof, not at the time limit
    deadline = time.perf_counter() + 5
    while _group_alive(groups[0]) and time.perf_counter() < deadline:
        time.sleep(0.05)
    assert not _group_alive(groups[0])


@contextlib.contextmanager
def _two_pipes(seed: int):  # type: ignore[no-untyped-def]
    """A companion of a tiny instance whose two workers' pipes are written by the test:
    (problem, its arrays, the companion, the optimum, the first and the second pipe as
    (read end, write end))."""
    problem, _dense, feasible, values = tiny(seed)
    worst, best = feasible[int(np.argmin(values))], feasible[int(np.argmax(values))]
    model = build(problem)
    arrays = highs_module._arrays(problem, model)
    companion = Companion(problem, tuple(int(a) for a in worst), np.zeros(problem.n_jobs))
    beside = highs_module._Beside(problem, model, arrays, companion, {"random_seed": 0})
    first = multiprocessing.Pipe(duplex=False)
    second = multiprocessing.Pipe(duplex=False)
    beside.receiver, beside.second = first[0], second[0]
    try:
        yield problem, arrays, beside, best, first, second
    finally:
        for end in (*first, *second):
            end.close()


def test_a_report_of_the_second_worker_is_read_after_the_first_has_ended() -> None:
    """The companion ends after its second worker, but the parent may read the first's end
    before the second's last report: that report still counts, and the companion is ended
    only once both pipes are done."""
    with _two_pipes(4) as (problem, arrays, beside, best, (first, first_end), (second, second_end)):
        second_end.send(("assignment", best))
        second_end.send(("done",))
        first_end.send(("done",))
        assert beside.take(first) is None
        assert not beside.ended
        assert beside.receivers() == [second]
        taken = beside.take(second)
        assert taken is not None
        assert float(np.dot(arrays[0], taken)) == pytest.approx(
            evaluate(problem, tuple(int(a) for a in best))
        )
        assert beside.take(second) is None  # its end
        assert beside.ended
        assert beside.receivers() == []


def test_the_proof_statistics_of_both_workers_are_added_up() -> None:
    """Each worker sends its own statistics (the second counts from the split on): the
    settings show their sum, not the last one to arrive."""
    stats = {"nodes": 5, "rounds": 10, "pairs_left": 100, "bound_raised": 2, "seconds": 1.5}
    with _two_pipes(4) as (_problem, _arrays, beside, _best, first, second):
        first[1].send(("proof", {**stats, "nodes": 1}))
        first[1].send(("proof", stats))  # a later one replaces the worker's earlier one
        second[1].send(("proof", {**stats, "nodes": 3, "rounds": 4, "bound_raised": 1}))
        for pipe in (first[0], first[0], second[0]):
            assert beside.take(pipe) is None
        proof = beside.summary()["branch_and_price"]
        assert proof["workers"] == 2
        assert proof["nodes"] == 8
        assert proof["rounds"] == 14
        assert proof["bound_raised"] == 3
        assert proof["seconds"] == pytest.approx(3.0)
        assert proof["pairs_left"] == 100  # the first worker's root
