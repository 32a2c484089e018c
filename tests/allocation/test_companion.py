"""The companion search beside HiGHS (ADR 0010): the core problem, the hand-over of its
solutions, and that the result stays honest with it."""

import itertools
import multiprocessing
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from opvangregie.allocation import backends as backends_module
from opvangregie.allocation import presolve as presolve_module
from opvangregie.allocation.backends import highs as highs_module
from opvangregie.allocation.backends import solve
from opvangregie.allocation.backends._build import build
from opvangregie.allocation.backends._shared import Companion
from opvangregie.allocation.dive import Diver
from opvangregie.allocation.gap import read_gap
from opvangregie.allocation.heuristic import greedy
from opvangregie.allocation.lagrange import bound, removed_share
from opvangregie.allocation.local_search import Dense
from opvangregie.allocation.presolve import presolve
from opvangregie.allocation.problem import Problem, Sense, Status, evaluate, is_feasible
from tests.allocation.instances import tiny, type_d

GAP = Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks" / "gap"
needs_instances = pytest.mark.skipif(
    not GAP.is_dir(), reason="the shared GAP instances are not beside the project"
)
# Small instances the proof closes quickly, with their published optima.
SMALL_OPTIMA = [("cattrysse1994/gap12-3", "min", 954), ("cattrysse1994/gap8-3", "max", 1117)]


def _reducer(name: str, sense: Sense):
    problem = read_gap(GAP / name, sense=sense)
    reducer = presolve(problem, greedy(problem), time_limit=10, seed=0)
    assert reducer is not None
    return problem, reducer


@needs_instances
def test_the_reducer_keeps_the_multipliers_of_the_jobs_left() -> None:
    _, reducer = _reducer("chu1997/d05100", Sense.MIN)
    assert len(reducer.multipliers()) == reducer.reduced.n_jobs == len(reducer.free_jobs)
    assert np.all(np.isfinite(reducer.multipliers()))


@needs_instances
def test_a_companion_solution_is_translated_into_the_main_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A weak start, the same on every machine: the presolve's tabu search runs for a time,
    # and where it reached 6371 (on a slower machine, after other tests) the dives found
    # nothing better within the test's 10 s.
    monkeypatch.setattr(presolve_module, "SEARCH_CAP", 0.0)
    problem, reducer = _reducer("chu1997/d05100", Sense.MIN)
    main = reducer.reduced
    model = build(main)
    arrays = highs_module._arrays(main, model)
    options = {"threads": 1, "random_seed": 0, "mip_rel_gap": 0.0}
    companion = Companion(main, reducer.start(), reducer.multipliers())
    beside = highs_module._Beside(main, model, arrays, companion, options)
    beside.start(time.perf_counter() + 10)
    values = None
    try:
        while beside.receivers() and values is None:
            values = beside.take()
    finally:
        beside.stop()
    assert values is not None
    counts = np.rint(values[: model.n_cols]).astype(np.int64)
    assert model.feasible(main, counts)
    assignment = reducer.expand(model.assignment(main.n_jobs, counts))
    assert is_feasible(problem, assignment)
    assert evaluate(problem, assignment) < reducer.dense.sign * reducer.value  # better
    assert beside.summary()["started"] is True
    assert beside.summary()["search"] == "price-and-dive"


def test_a_worse_final_solution_does_not_replace_a_kept_one() -> None:
    cost = np.array([3.0, 1.0, 2.0])
    run = highs_module._Run(solution=np.array([0.0, 1.0, 0.0]))  # worth 1, the minimum
    last = highs_module._take(
        run, ("done", "time_limit", np.array([1.0, 0.0, 0.0]), 0.5, False), cost, Sense.MIN
    )
    assert last
    assert list(run.solution) == [0.0, 1.0, 0.0]
    assert run.bound == 0.5
    highs_module._take(run, ("solution", np.array([0.0, 0.0, 1.0]), 0.7), cost, Sense.MAX)
    assert list(run.solution) == [0.0, 0.0, 1.0]  # worth 2 > 1 when maximising


@needs_instances
@pytest.mark.parametrize(("name", "sense", "optimum"), SMALL_OPTIMA)
def test_with_the_companion_from_the_start_the_result_is_proven_and_honest(
    monkeypatch: pytest.MonkeyPatch, name: str, sense: str, optimum: int
) -> None:
    monkeypatch.setattr(highs_module, "COMPANION_AFTER", 0.0)
    monkeypatch.setattr(backends_module, "COMPANION_BELOW", 1.0)  # whatever fixing removed
    monkeypatch.setattr(presolve_module, "SEARCH_CAP", 0.0)  # a weak start: more to find
    problem = read_gap(GAP / name, sense=Sense(sense))
    result = solve(problem, backend="highs", time_limit=30)
    assert result.settings["companion"]["started"] is True
    assert result.status == Status.OPTIMAL
    assert result.objective == pytest.approx(optimum)
    assert evaluate(problem, result.assignment) == pytest.approx(optimum)
    assert result.bound is not None
    assert (result.bound >= optimum - 1e-6) if sense == "max" else (result.bound <= optimum + 1e-6)


@needs_instances
def test_where_fixing_removed_many_pairs_the_companion_keeps_its_solutions_and_may_prove(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where fixing bites, handing solutions to HiGHS disturbed its proof (ADR 0010): the
    companion keeps them to itself, and tries branch-and-price once its dives stall."""
    monkeypatch.setattr(highs_module, "COMPANION_AFTER", 0.0)
    monkeypatch.setattr(presolve_module, "SEARCH_CAP", 0.0)
    problem = read_gap(GAP / "cattrysse1994/gap12-3", sense=Sense.MIN)
    result = solve(problem, backend="highs", time_limit=30)
    companion = result.settings["companion"]
    assert companion["search"] == "price-and-dive, branch-and-price"
    assert companion["handed_over"] is False
    assert result.status == Status.OPTIMAL
    assert result.objective == pytest.approx(954)


@needs_instances
def test_deterministic_runs_start_no_companion_where_one_would_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(highs_module, "COMPANION_AFTER", 0.0)
    monkeypatch.setattr(backends_module, "COMPANION_BELOW", 1.0)  # whatever fixing removed
    monkeypatch.setattr(presolve_module, "SEARCH_CAP", 0.0)
    problem = read_gap(GAP / "cattrysse1994/gap8-3", sense=Sense.MAX)
    assert solve(problem, backend="highs", time_limit=30).settings["companion"]["started"]
    runs = [
        solve(problem, backend="highs", time_limit=30, seed=2, deterministic=True) for _ in range(2)
    ]
    for run in runs:
        assert "companion" not in run.settings
        assert run.settings["deterministic"] is True
        assert run.status == Status.OPTIMAL
        assert run.objective == pytest.approx(1117)
    assert runs[0].assignment == runs[1].assignment


def _solve_in_child(problem: Problem, time_limit: float, results) -> None:  # type: ignore[no-untyped-def]
    result = solve(problem, backend="highs", time_limit=time_limit)
    results.put((result.status, result.objective, result.assignment, result.settings["companion"]))


def test_a_large_run_with_the_companion_ends_at_its_time_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With solutions of 12,000 columns (96 kB, more than a pipe's buffer) going both ways, the
    run ends at its time limit with a feasible assignment and the companion's solutions."""
    monkeypatch.setattr(highs_module, "COMPANION_AFTER", 0.0)
    monkeypatch.setattr(backends_module, "COMPANION_BELOW", 1.0)
    # Type D with looser capacities: the main search and the companion both keep finding
    # better solutions.
    problem = type_d(5, jobs=600, agents=20, capacity_share=1.0)
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    child = context.Process(target=_solve_in_child, args=(problem, 10.0, results))
    child.start()
    try:
        status, objective, assignment, companion = results.get(timeout=60)
    finally:
        child.join(timeout=5)
        if child.is_alive():
            child.kill()
    assert status in (Status.OPTIMAL, Status.FEASIBLE)
    assert is_feasible(problem, assignment)
    assert evaluate(problem, assignment) == pytest.approx(objective)
    assert companion["started"] is True


def test_handing_over_never_blocks_the_loop() -> None:
    """The main child reads handed-over solutions only when HiGHS asks for one, and may itself
    be blocked writing to the parent: sending from the parent's loop deadlocked on d40400
    (both in a pipe write). The hand-over returns at once, and the child gets the newest."""
    reader, writer = multiprocessing.Pipe(duplex=False)
    handover = highs_module._Handover(writer)

    def put_three() -> None:  # each 1 MB: far more than the pipe holds while nobody reads
        for k in range(3):
            handover.put(np.full(131_072, float(k)))

    putter = threading.Thread(target=put_three, daemon=True)
    putter.start()
    putter.join(timeout=30)
    assert not putter.is_alive()  # every put returned while nothing was read
    received = [reader.recv()]
    while reader.poll(1.0):
        received.append(reader.recv())
    assert received[-1][0] == 2.0  # the newest arrives; older ones may be skipped
    handover.close()
    reader.close()


@needs_instances
def test_without_prove_the_companion_tries_a_proof_once_fixing_bites_against_its_best() -> None:
    """Handing over (fixing removed little against the back-end's start), the companion still
    tries branch-and-price when fixing against its dives' best assignment removes at least
    ``prove_when_removed`` of the pairs; never before its first column generation."""
    _, reducer = _reducer("cattrysse1994/gap12-3", Sense.MIN)
    problem = reducer.reduced
    dense = Dense.of(problem)
    diver = Diver(
        dense,
        np.asarray(reducer.multipliers()),
        np.asarray(reducer.start(), dtype=np.int64),
        patterns=reducer.patterns(),
    )

    def companion(share: float, *, prove: bool = False) -> Companion:
        return Companion(
            problem,
            reducer.start(),
            reducer.multipliers(),
            prove=prove,
            prove_when_removed=share,
        )

    assert not highs_module._worth_proving(diver, companion(0.0))  # no root multipliers yet
    assert highs_module._worth_proving(diver, companion(1.0, prove=True))
    diver.run(time.perf_counter() + 10, stall=1)
    assert diver.root_center is not None
    assert diver.best is not None
    share = removed_share(dense, diver.root_center, diver.best, integral=True)
    assert 0.0 < share < 1.0  # the incumbent's own pairs always stay
    assert highs_module._worth_proving(diver, companion(share))
    assert not highs_module._worth_proving(diver, companion(share + 1e-9))


def test_the_share_fixing_removes_is_larger_against_the_optimum() -> None:
    """Against the optimum fixing removes more than against the worst assignment (whose
    threshold is low); nothing allowed, nothing removed."""
    problem = type_d(3, 8, 3)
    dense = Dense.of(problem)
    found = bound(dense, -np.inf, integral=True, max_iterations=50)
    feasible = sorted(
        (np.asarray(a, dtype=np.int64) for a in itertools.product(range(3), repeat=8)),
        key=dense.value,
    )
    feasible = [a for a in feasible if dense.feasible(a)]
    worst, best = (
        removed_share(dense, found.multipliers, a, integral=True)
        for a in (feasible[0], feasible[-1])
    )
    assert worst < best
    nothing = Dense(
        dense.profit, dense.use, np.zeros_like(dense.allowed), dense.capacity, dense.sign
    )
    assert removed_share(nothing, found.multipliers, feasible[-1], integral=True) == 0.0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_companion_raises_its_bound_from_below_and_then_proves(seed: int) -> None:
    """From the worst assignment: every bound it sends holds (no assignment beats the
    reference by more), the bounds only tighten, and it ends proving an optimal one."""
    _problem, dense, feasible, values = tiny(seed)
    worst = feasible[int(np.argmin(values))]
    found = bound(dense, min(values), integral=True, max_iterations=30)
    diver = Diver(dense, found.multipliers, worst)
    diver.root_center = found.multipliers  # as after the first column generation
    messages: list[tuple[object, ...]] = []
    proof = highs_module._Proof(integral=True)
    assert proof.attempt(diver, time.perf_counter() + 60, messages.append)
    ceilings = [
        dense.value(np.asarray(m[1])) + float(m[2])  # type: ignore[arg-type]
        for m in messages
        if m[0] == "bound"
    ]
    assert ceilings  # the Lagrangian bound is loose on these: it is raised step by step
    assert all(c >= max(values) - 1e-6 for c in ceilings)
    assert ceilings == sorted(ceilings, reverse=True)
    assert messages[-1][0] == "proven"
    assert dense.value(np.asarray(messages[-1][1])) == pytest.approx(max(values))
    stats = [m[1] for m in messages if m[0] == "proof"]
    assert stats[-1]["bound_raised"] == len(ceilings)  # type: ignore[index]


def test_the_parent_keeps_the_tightest_raised_bound_and_a_solution_meeting_it_is_optimal() -> None:
    problem, dense, feasible, values = tiny(4)
    order = np.argsort(values)
    worst, best = feasible[int(order[0])], feasible[int(order[-1])]
    worse = next(feasible[int(k)] for k in order[::-1] if values[int(k)] <= values[-1] - 1)
    model = build(problem)
    arrays = highs_module._arrays(problem, model)
    companion = Companion(problem, tuple(int(a) for a in worst), np.zeros(problem.n_jobs))
    beside = highs_module._Beside(problem, model, arrays, companion, {"random_seed": 0})
    reader, writer = multiprocessing.Pipe(duplex=False)
    beside.receiver = reader
    try:
        gap = dense.value(best) - dense.value(worst)  # a bound at the optimum
        writer.send(("bound", worst, gap + 2.0))
        assert beside.take() is None
        writer.send(("bound", worst, gap))
        assert beside.take() is None
        writer.send(("bound", worst, gap + 5.0))  # looser: ignored
        assert beside.take() is None
        optimum = evaluate(problem, tuple(int(a) for a in best))
        assert beside.bound == pytest.approx(optimum)  # minimised: the bound from below
        assert beside.closes(beside._values(best))
        assert not beside.closes(beside._values(worse))
        assert not beside.closes(None)
    finally:
        writer.close()
        reader.close()


@needs_instances
@pytest.mark.parametrize(("name", "sense", "optimum"), SMALL_OPTIMA)
def test_the_first_proof_attempt_comes_before_any_dive(
    monkeypatch: pytest.MonkeyPatch, name: str, sense: str, optimum: int
) -> None:
    """HiGHS never answers and no dive ever ends: the companion's first attempt, from the
    presolve's incumbent right after the root's column generation, must end the run as
    optimal on its own."""

    def silent(*_args: object, **_kwargs: object) -> None:
        time.sleep(120)

    def no_dive(_self: Diver, deadline: float, **_kwargs: object) -> None:
        time.sleep(max(0.0, deadline - time.perf_counter()))

    monkeypatch.setattr(highs_module, "_solve", silent)
    monkeypatch.setattr(Diver, "run", no_dive)
    monkeypatch.setattr(highs_module, "COMPANION_AFTER", 0.0)
    problem = read_gap(GAP / name, sense=Sense(sense))
    result = solve(problem, backend="highs", time_limit=30)
    companion = result.settings["companion"]
    assert companion["branch_and_price"]["nodes"] >= 1  # its trees ran
    assert result.status == Status.OPTIMAL  # proven, or the bound raised meets a solution
    assert result.bound == pytest.approx(optimum)
    assert result.objective == pytest.approx(optimum)
    assert evaluate(problem, result.assignment) == pytest.approx(optimum)
    assert result.seconds < 10  # on the proof, not at the time limit
