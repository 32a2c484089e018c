"""The HiGHS back-end (highspy): a mixed-integer program, solved exactly.

The model (see ``_build``) goes to HiGHS as numpy arrays in column-wise (CSC) form in one
``passModel`` call. Starts and the work-arounds for HiGHS 1.16 are described in ``solve_model``
and in ADR 0006.
"""

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .._quiet import quiet
from ..branch import Prover
from ..dive import Diver, Master
from ..lagrange import TOLERANCE, evaluate_bound, removed_share
from ..local_search import Dense
from ..problem import Problem, Result, Sense, Status
from . import _levels
from ._build import PROVEN, FloatArray, IntArray, Model, build
from ._shared import Companion, empty, importable, left, without_solver

OnSolution = Callable[[float], bool]


class HighsBackend:
    name = "highs"
    # No start after fixing: the incumbent is in the reduced problem and kept by the caller,
    # and passing it changed HiGHS's search for the worse (d05100: not proven in 60 s, against
    # 26 s without it).
    starts_from_incumbent = False

    def available(self) -> bool:
        return importable("highspy")

    def solve(
        self,
        problem: Problem,
        *,
        time_limit: float,
        seed: int,
        start: tuple[int, ...] | None,
        relative_gap: float = PROVEN,
        on_solution: "OnSolution | None" = None,
        companion: Companion | None = None,
    ) -> Result:
        started = time.perf_counter()
        model = build(problem)
        counts = model.counts(start) if start is not None and any(a >= 0 for a in start) else None
        return self.solve_model(
            problem,
            model,
            time_limit=time_limit,
            seed=seed,
            start=counts,
            started=started,
            relative_gap=relative_gap,
            on_solution=on_solution,
            companion=companion,
        )

    def solve_model(
        self,
        problem: Problem,
        model: Model,
        *,
        time_limit: float,
        seed: int,
        start: IntArray | None,
        started: float,
        relative_gap: float = PROVEN,
        on_solution: "OnSolution | None" = None,
        companion: Companion | None = None,
    ) -> Result:
        """Solve a model built already (``started``: when the time limit began to run).

        The search stops once the best solution is within ``relative_gap`` of the bound; the
        status is ``optimal`` only when that gap is at most ``PROVEN``. ``on_solution`` is
        called with the objective of every improving solution HiGHS reports; when it returns
        True the search ends there (``settings["interrupted"]``) and that solution is the
        result (the caller restarts on a smaller problem, see ``backends.solve``).

        ``companion``: a restriction of the problem that a second HiGHS searches on the second
        core once the first has run ``COMPANION_AFTER`` seconds; its better solutions are
        handed to the first search and kept (ADR 0010)."""
        import highspy

        settings: dict[str, object] = {
            "time_limit": time_limit,
            "random_seed": seed,
            "mip_rel_gap": relative_gap,
            "threads": 1,
            # Its sub-MIP ignores the time limit for minutes on the placement models (seen
            # with HiGHS 1.16 in gdb: rootReducedCost -> solveSubMip -> linesearchRounding).
            "mip_heuristic_run_root_reduced_cost": False,
        }
        if problem.integral_objective:
            settings["mip_abs_gap"] = 1 - 1e-6
        answer = without_solver(problem, model, started, self.name, settings)
        if answer is not None:
            return answer
        arrays = _arrays(problem, model)
        settings.update(classes=model.n_classes, columns=model.n_cols)
        sign = 1.0 if problem.sense == Sense.MAX else -1.0

        # Starts: the greedy assignment, and for models with counts (merged classes) the LP
        # relaxation rounded down and filled up greedily. HiGHS gets the best one as its start
        # only when every column is binary (on the placement models a start made its search
        # slower); either way the best start is kept and returned when HiGHS finds nothing
        # better in time.
        binary = bool(np.all(model.col_upper <= 1))
        candidates: list[IntArray] = []
        if start is not None:
            candidates.append(start)
        lp_bound = None
        if not binary and left(time_limit, started) > 0:
            rounded, lp_bound = _lp_rounding(
                highspy, problem, model, arrays, left(time_limit, started)
            )
            if rounded is not None:
                candidates.append(rounded)
            settings["lp_rounding"] = True
        feasible = [c for c in candidates if model.feasible(problem, c)]
        best_start = max(feasible, key=lambda c: sign * model.objective(problem, c), default=None)
        if best_start is not None and lp_bound is not None:
            gap = _gap(model.objective(problem, best_start), lp_bound)
            if gap is not None and gap <= relative_gap:  # close enough to the LP bound already
                settings["returned"] = "start"
                return self._result(problem, model, best_start, lp_bound, started, settings)
        warm = binary and best_start is not None
        settings["warm_start"] = "passed" if warm else "kept" if best_start is not None else "none"
        options = {k: v for k, v in settings.items() if k in _OPTIONS}
        values = _start_values(problem, model, best_start, len(arrays[0])) if warm else None
        beside = None
        if companion is not None and binary and _cores() >= 2:
            beside = _Beside(problem, model, arrays, companion, options)
        run = _run(problem, arrays, options, values, started + time_limit, on_solution, beside)
        if beside is not None:
            settings["companion"] = beside.summary()
        if run.interrupted:
            settings["interrupted"] = True
        if run.stopped:
            settings["stopped"] = "at the time limit"
        if run.discarded_start:
            settings["warm_start_discarded"] = True
        if run.infeasible:
            return empty(Status.INFEASIBLE, problem, started, self.name, settings)
        found = None if run.solution is None else np.rint(run.solution[: model.n_cols])
        counts = None if found is None else found.astype(np.int64)
        objective = None if counts is None else model.objective(problem, counts)
        optimal = run.optimal and counts is not None
        # The tightest of HiGHS's bound, the LP bound (a search stopped early may have
        # reported a bound from before its cuts) and the bound the companion raised.
        bounds = [
            b for b in (run.bound, lp_bound, run.raised_bound) if b is not None and abs(b) < 1e30
        ]
        bound = (min if problem.sense == Sense.MAX else max)(bounds) if bounds else None
        if best_start is not None and (
            objective is None or sign * model.objective(problem, best_start) > sign * objective
        ):
            counts, objective = best_start, model.objective(problem, best_start)
            optimal = False
            settings["returned"] = "start"
        if counts is None or objective is None:
            return empty(Status.NOT_SOLVED, problem, started, self.name, settings)
        if bound is None or abs(bound) >= 1e30:
            bound = float("inf") * sign
        return self._result(problem, model, counts, bound, started, settings, optimal=optimal)

    def _result(
        self,
        problem: Problem,
        model: Model,
        counts: IntArray,
        bound: float,
        started: float,
        settings: dict[str, object],
        *,
        optimal: bool = False,
    ) -> Result:
        assignment = model.assignment(problem.n_jobs, counts)
        # Worth at least what the model says (a pool's base column may go to a job worth more).
        objective = model.objective(problem, model.counts(assignment))
        gap = _gap(objective, bound)
        proven = gap is not None and (
            gap <= PROVEN or (problem.integral_objective and abs(bound - objective) < 1 - 1e-6)
        )
        if optimal and float(str(settings["mip_rel_gap"])) <= PROVEN:
            proven, gap = True, 0.0
        return Result(
            Status.OPTIMAL if proven else Status.FEASIBLE,
            assignment,
            objective,
            bound if abs(bound) < 1e30 else None,
            0.0 if proven and gap is not None and gap <= PROVEN else gap,
            time.perf_counter() - started,
            self.name,
            settings,
        )


_OPTIONS = (
    "random_seed",
    "mip_rel_gap",
    "mip_abs_gap",
    "threads",
    "mip_heuristic_run_root_reduced_cost",
)
# HiGHS is asked to stop this much before the time limit, so that it normally ends (and hands
# over its solution) by itself; the process it runs in is ended at the limit in any case.
MARGIN = 0.05  # of the time left, at least MIN_MARGIN seconds
MIN_MARGIN = 0.1
# The companion search (ADR 0010) starts when the main search has run this long: most small
# problems are solved by then, and need no second process. Its first proof attempt comes
# before any dive, so a short wait pays: gap8-3 max took 1.1 s (median of 3) starting at 1 s,
# 0.68 s at 0.25 s and 0.45 s at 0.1 s (ADR 0013).
COMPANION_AFTER = 0.1


@dataclass
class _Run:
    solution: FloatArray | None = None  # HiGHS's best solution (all columns), if any
    bound: float | None = None
    optimal: bool = False
    infeasible: bool = False
    stopped: bool = False  # ended at the time limit (by HiGHS or by us)
    interrupted: bool = False  # ended because ``on_solution`` asked for it
    discarded_start: bool = False
    raised_bound: float | None = None  # the companion's bound from below (ADR 0012)


def _run(
    problem: Problem,
    arrays: "Arrays",
    options: dict[str, object],
    start: FloatArray | None,
    deadline: float,
    on_solution: "OnSolution | None" = None,
    beside: "_Beside | None" = None,
) -> _Run:
    """Run the MIP in a child process and end it at ``deadline`` whatever it is doing.

    HiGHS 1.16 stops at its time limit in most places, but not inside its sub-MIPs (RENS,
    RINS): on the country model one ran 20 to 45 s past the limit, and an interrupt callback
    is not called in there. So HiGHS runs in a forked child that reports every improving
    solution (with the dual bound of the moment) as it goes, and is killed at the limit; the
    last solution and bound it reported are the result (ADR 0008). ``os.fork`` rather than
    ``multiprocessing``: it also works in daemonic processes (a worker of a process pool).
    Where there is no fork, HiGHS runs in this process and only its own time limit holds.

    ``beside``: a second search (the companion, ADR 0010) started in a second child once the
    first has run ``COMPANION_AFTER`` seconds; each better solution it reports is kept and
    sent to the first child, which hands it to HiGHS as a user solution."""
    run = _Run()
    began = time.perf_counter()
    time_left = deadline - began
    if time_left <= 0:
        run.stopped = True
        return run
    limit = _limit(time_left)
    if not hasattr(os, "fork"):
        messages: list[tuple[object, ...]] = []
        _solve(messages.append, problem.sense, arrays, options, start, limit)
        for message in messages:
            _take(run, message, arrays[0], problem.sense)
        return run
    hands_over = beside is not None and not beside.companion.prove
    inbox, outbox = multiprocessing.Pipe(duplex=False) if hands_over else (None, None)
    handover = None if outbox is None else _Handover(outbox)
    pid, receiver = _fork(
        lambda send: _solve(send, problem.sense, arrays, options, start, limit, inbox), outbox
    )
    if inbox is not None:
        inbox.close()
    main_alive = True
    try:
        while True:
            now = time.perf_counter()
            wait = deadline - now
            if wait <= 0:
                run.stopped = True
                break
            if beside is not None and not beside.started and not beside.ended:
                due = began + COMPANION_AFTER - now
                if due <= 0:
                    beside.start(deadline)
                else:
                    wait = min(wait, due)
            watched = ([receiver] if main_alive else []) + (
                beside.receivers() if beside is not None else []
            )
            if not watched:
                break
            ready = multiprocessing.connection.wait(watched, wait)
            if beside is not None:
                for connection in beside.receivers():
                    if connection in ready and _from_beside(
                        run, beside, connection, arrays, problem, handover
                    ):
                        break
            if run.optimal:
                break
            if beside is not None and beside.split and main_alive:
                # The companion's second worker takes the main search's core (``_levels``).
                _end_main(run, pid, receiver, arrays[0], problem.sense)
                main_alive = False
                if run.optimal:
                    break
                continue
            if beside is not None and beside.closes(run.solution):
                break  # the best solution meets the bound the companion raised
            if not main_alive or receiver not in ready:
                continue
            try:
                message = receiver.recv()
            except EOFError:
                break
            if _take(run, message, arrays[0], problem.sense):
                break
            if beside is not None and beside.closes(run.solution):
                break
            if (
                on_solution is not None
                and message[0] == "solution"
                and run.solution is not None
                and on_solution(float(np.dot(arrays[0], run.solution)))
            ):
                run.interrupted = True
                break
    finally:
        receiver.close()
        if beside is not None:
            beside.stop()
            run.raised_bound = beside.bound
        if main_alive:
            _kill(pid)
        if handover is not None:  # after the child: a send blocked on it now fails
            handover.close()
    return run


def _from_beside(
    run: _Run,
    beside: "_Beside",
    connection: "multiprocessing.connection.Connection",
    arrays: "Arrays",
    problem: Problem,
    handover: "_Handover | None",
) -> bool:
    """Take one report of the companion; True when its branch-and-price proved the
    solution it sent optimal (the run ends on it)."""
    values = beside.take(connection)
    if values is not None and _better(values, run.solution, arrays[0], problem.sense):
        run.solution = values
        beside.handed += 1
        if handover is not None:
            handover.put(values)
    if (
        beside.proved
        and values is not None
        and (run.solution is None or not _better(run.solution, values, arrays[0], problem.sense))
    ):
        # Branch-and-price closed its tree: no solution is better than this one.
        run.solution = values
        run.bound = float(np.dot(arrays[0], values))
        run.optimal = True
        return True
    return False


def _kill(pid: int) -> None:
    """End a child of this process and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def _end_main(
    run: _Run,
    pid: int,
    receiver: "multiprocessing.connection.Connection",
    cost: FloatArray,
    sense: Sense,
) -> None:
    """End the main search's child, keeping what it reported before (its last solutions
    may still be in the pipe; one cut off by the end is lost)."""
    _kill(pid)
    with contextlib.suppress(EOFError, OSError, ValueError, pickle.UnpicklingError):
        while receiver.poll():
            message = receiver.recv()
            if message[0] in ("solution", "done"):  # done: it ended just then by itself
                _take(run, message, cost, sense)
    receiver.close()


def _limit(time_left: float) -> float:
    """HiGHS's own time limit for a search that must end within ``time_left`` seconds."""
    return max(time_left - max(MARGIN * time_left, MIN_MARGIN), 0.0)


def _fork(
    work: "Callable[[Callable[[tuple[object, ...]], None]], None]",
    outbox: "multiprocessing.connection.Connection | None" = None,
) -> "tuple[int, multiprocessing.connection.Connection]":
    """Run ``work(send)`` in a forked child; its pid and the end of the pipe it reports on.
    The child leaves without running the parent's exit code (``outbox``: the parent's end of
    the child's inbox, closed in the child)."""
    receiver, sender = multiprocessing.Pipe(duplex=False)
    pid = os.fork()
    if pid == 0:
        receiver.close()
        if outbox is not None:
            outbox.close()
        try:
            work(sender.send)
        finally:
            sender.close()
            os._exit(0)
    sender.close()
    return pid, receiver


class _Handover:
    """Sends solutions to the main child without ever blocking the parent's loop.

    A large solution does not fit in the pipe's buffer, and the child reads it only when HiGHS
    asks for a user solution; meanwhile the child may be blocked writing to the parent. Sending
    from the loop itself deadlocked (seen on d40400: parent and child both in a pipe write). So a
    thread sends, the newest solution only, while the loop goes on reading. It is started at the
    first solution, after the companion's fork."""

    def __init__(self, connection: "multiprocessing.connection.Connection") -> None:
        self.connection = connection
        self.pending: FloatArray | None = None
        self.closed = False
        self.condition = threading.Condition()
        self.thread: threading.Thread | None = None

    def put(self, values: FloatArray) -> None:
        with self.condition:
            self.pending = values
            self.condition.notify()
        if self.thread is None:
            self.thread = threading.Thread(target=self._send, daemon=True)
            self.thread.start()

    def _send(self) -> None:
        while True:
            with self.condition:
                while self.pending is None and not self.closed:
                    self.condition.wait()
                if self.closed:
                    return
                values, self.pending = self.pending, None
            try:
                self.connection.send(values)
            except OSError:  # the child has ended
                return

    def close(self) -> None:
        with self.condition:
            self.closed = True
            self.condition.notify()
        if self.thread is not None:
            self.thread.join(timeout=5)
        self.connection.close()


def _better(values: FloatArray, than: FloatArray | None, cost: FloatArray, sense: Sense) -> bool:
    """Whether the solution ``values`` is strictly better than ``than`` (None: always)."""
    if than is None:
        return True
    sign = 1.0 if sense == Sense.MAX else -1.0
    return bool(sign * float(np.dot(cost, values)) > sign * float(np.dot(cost, than)) + 1e-9)


def _take(run: _Run, message: tuple[object, ...], cost: FloatArray, sense: Sense) -> bool:
    """Note a message of the solver in ``run``; True when it was the last. A solution is kept
    only when it beats the one kept (which may be the companion's)."""
    kind = message[0]
    if kind == "solution":
        if _better(message[1], run.solution, cost, sense):  # type: ignore[arg-type]
            run.solution = message[1]  # type: ignore[assignment]
        run.bound = message[2] if message[2] is not None else run.bound  # type: ignore[assignment]
    elif kind == "error":
        raise RuntimeError(f"HiGHS failed: {message[1]}")
    elif kind == "done":
        _, status, solution, bound, discarded = message
        if solution is not None and _better(solution, run.solution, cost, sense):  # type: ignore[arg-type]
            run.solution = solution  # type: ignore[assignment]
        run.bound = bound if bound is not None else run.bound  # type: ignore[assignment]
        run.optimal = status == "optimal"
        run.infeasible = status == "infeasible" and run.solution is None
        run.stopped = status == "time_limit"
        run.discarded_start = bool(discarded)
        return True
    return False


def _cores() -> int:
    """The processor cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class _Beside:
    """The companion search (ADR 0010): price-and-dive (``allocation.dive``) on the plain GAP
    problem, in a second forked child, from the incumbent and the Lagrangian multipliers. It
    reports assignments, which are turned into the main model's columns before they are
    compared and handed over."""

    def __init__(
        self,
        problem: Problem,
        model: Model,
        arrays: "Arrays",
        companion: Companion,
        options: dict[str, object],
    ) -> None:
        self.problem, self.model, self.width = problem, model, len(arrays[0])
        self.cost = arrays[0]
        self.companion, self.seed = companion, int(str(options.get("random_seed", 0)))
        self.pid: int | None = None
        self.receiver: multiprocessing.connection.Connection | None = None
        self.ended = False
        self.started = False
        self.reported = 0  # improving assignments the companion reported
        self.handed = 0  # of those, better than the main search's best when they came
        self.proved = False  # its branch-and-price proved the assignment it sent last optimal
        # How its branch-and-price went, when it ran: the last statistics of each worker.
        self.proofs: dict[int, dict[str, Any]] = {}
        # The bound its branch-and-price raised from below (the main model's objective), if any.
        self.bound: float | None = None
        # Whether it may take the main search's core for a second worker (``_levels``): with
        # an integral objective, when it proves rather than hands over (a companion runs only
        # on two cores or more).
        self.splits = companion.prove and companion.problem.integral_objective
        self.second: multiprocessing.connection.Connection | None = None  # its pipe
        self.first_open = True  # the companion's own pipe is open (it has not ended)
        self.split = False  # it asked for the core (the main search was ended)

    def start(self, deadline: float) -> None:
        companion, seed = self.companion, self.seed
        second = None
        if self.splits:
            self.second, second = multiprocessing.Pipe(duplex=False)

        def work(send: Callable[[tuple[object, ...]], None]) -> None:
            with contextlib.suppress(OSError):
                os.setpgid(0, 0)  # its second worker too: one group, ended together
            if self.second is not None:
                self.second.close()  # the parent's end
            try:
                dense = Dense.of(companion.problem)

                def report(assignment: IntArray, _value: float) -> None:
                    send(("assignment", assignment))

                diver = Diver(
                    dense,
                    np.asarray(companion.multipliers, dtype=np.float64),
                    np.asarray(companion.start, dtype=np.int64),
                    seed=seed,
                    report=report,
                    patterns=companion.patterns,
                )
                end = deadline - MIN_MARGIN
                budget = PROOF_BUDGET
                proof = _Proof(companion.problem.integral_objective)
                if companion.prove:  # a first, short attempt from the incumbent, before
                    # any dive: it raises the bound, and proves an incumbent optimal already
                    diver.root(end)
                    if proof.attempt(diver, min(end, time.perf_counter() + FIRST_PROOF), send):
                        return
                    if second is not None and proof.ceiling is not None:
                        _split(diver, proof, end, send, second)
                        send(("done",))
                        return
                while time.perf_counter() < end:
                    diver.run(end, stall=STALL_DIVES)
                    if not _worth_proving(diver, companion):
                        continue
                    if proof.attempt(diver, min(end, time.perf_counter() + budget), send):
                        return
                    budget *= 2  # not closed: dive on, then try again for longer
                send(("done",))
            except Exception as error:  # the main search goes on without it
                send(("error", repr(error)))

        self.pid, self.receiver = _fork(work)
        with contextlib.suppress(OSError):
            os.setpgid(self.pid, self.pid)  # as the child does: whichever comes first
        if second is not None:
            second.close()
        self.started = True

    def receivers(self) -> list[multiprocessing.connection.Connection]:
        if self.receiver is None or self.ended:
            return []
        first = [self.receiver] if self.first_open else []
        return first + ([] if self.second is None else [self.second])

    def take(
        self, connection: "multiprocessing.connection.Connection | None" = None
    ) -> FloatArray | None:
        """The next assignment the companion reports (on ``connection``: its second
        worker's pipe, or by default its own), as values of the main model's columns (None
        when it reported none, or ended)."""
        if self.receiver is None:
            return None
        pipe = self.receiver if connection is None else connection
        try:
            message = pipe.recv()
        except EOFError:
            message = ("done",)
        if message[0] in ("done", "error"):  # this worker ended: the other may go on
            self._ended(pipe)
            return None
        return self._message(message, 1 if pipe is self.second else 0)

    def _ended(self, pipe: "multiprocessing.connection.Connection") -> None:
        """One worker ended; the companion ends when both have. The first waits for its
        second worker before it ends, but the second's last reports may still be in its
        pipe: they are read before the end."""
        if pipe is self.second:
            pipe.close()
            self.second = None
        else:
            self.first_open = False
        if not self.first_open and self.second is None:
            self.stop()

    def _message(self, message: tuple[Any, ...], worker: int = 0) -> FloatArray | None:
        if message[0] == "split":  # the run ends the main search: its core is the second's
            self.split = True
            return None
        if message[0] == "proof":
            self.proofs[worker] = message[1]
            return None
        if message[0] == "bound":  # no assignment beats the reference by more than this
            values = self._values(message[1])
            if values is not None:
                sign = 1.0 if self.problem.sense == Sense.MAX else -1.0
                bound = float(np.dot(self.cost, values)) + sign * float(message[2])
                if self.bound is None or sign * bound < sign * self.bound:
                    self.bound = bound
            return None
        if message[0] not in ("assignment", "proven"):
            return None
        if message[0] == "proven":
            self.proved = True
        else:
            self.reported += 1
        return self._values(message[1])

    def _values(self, assignment: object) -> FloatArray | None:
        """An assignment of the companion as values of the main model's columns (None when
        the model does not take it)."""
        counts = self.model.counts(tuple(int(a) for a in assignment))  # type: ignore[attr-defined]
        if not self.model.feasible(self.problem, counts):
            return None
        return _start_values(self.problem, self.model, counts, self.width)

    def _proof(self) -> dict[str, Any]:
        """The statistics of the proof: the first worker's, with the second's counts added
        (it counts from the split on)."""
        first = self.proofs.get(0, {})
        proof = {**first, "workers": len(self.proofs)}
        for key in ("nodes", "rounds", "bound_raised", "seconds"):
            values = [p[key] for p in self.proofs.values() if p.get(key) is not None]
            proof[key] = round(sum(values), 3) if key == "seconds" else sum(values)
        return proof

    def closes(self, solution: FloatArray | None) -> bool:
        """Whether ``solution`` meets the bound the companion raised (integral objective:
        within less than one): it is optimal."""
        if self.bound is None or solution is None or not self.problem.integral_objective:
            return False
        sign = 1.0 if self.problem.sense == Sense.MAX else -1.0
        return sign * (self.bound - float(np.dot(self.cost, solution))) < 1 - 1e-6

    def stop(self) -> None:
        """End the companion and its second worker (once; a second call does nothing)."""
        if self.receiver is not None and not self.ended:
            self.receiver.close()
        if self.second is not None:
            self.second.close()
            self.second = None
        self.ended = True
        pid, self.pid = self.pid, None
        if pid is not None and pid > 0:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)

    def summary(self) -> dict[str, object]:
        summary: dict[str, object] = {
            "search": "price-and-dive"
            + (", branch-and-price" if self.companion.prove or self.proofs else ""),
            "after": COMPANION_AFTER,
            "started": self.started,
            "solutions": self.reported,
            "better_than_main": self.handed,
            "handed_over": not self.companion.prove,
            "second_worker": self.split,
        }
        if self.proofs:
            summary["branch_and_price"] = {**self._proof(), "proved": self.proved}
        return summary


# Branch-and-price starts once this many dives in a row found nothing better: the best
# assignment is then likely optimal, and a proof from a worse one takes far longer (c20400:
# 4.5 s from the optimum, not done in 90 s from one worth three more). It gets this many
# seconds at first; when the tree is not closed by then the dives go on, and the next proof
# gets twice as long.
STALL_DIVES = 1
PROOF_BUDGET = 10.0
# Seconds for the attempt before the first dive, from the presolve's best. e10400 (single
# runs): 31.5 s with 1 s (the attempt raised the bound twice, then ran out), 12.2 s with 3 s,
# 13.4 s with 5 s; e20400 14.1 s with 3 s (37.2 s with 1 s, in the benchmark).
FIRST_PROOF = 3.0


def _worth_proving(diver: Diver, companion: Companion) -> bool:
    """Whether branch-and-price may close the tree soon: where fixing bites (``prove``), or
    where it bites against the dives' best assignment."""
    if companion.prove:
        return True
    if diver.best is None or diver.root_center is None:
        return False
    share = removed_share(
        diver.dense,
        diver.root_center,
        diver.best,
        integral=companion.problem.integral_objective,
    )
    return share >= companion.prove_when_removed


def _split(
    diver: Diver,
    proof: "_Proof",
    end: float,
    send: Callable[[tuple[object, ...]], None],
    second: "multiprocessing.connection.Connection",
) -> None:
    """In the companion: ask for the main search's core, fork a second worker, and raise
    the bound level by level on both (``_levels``) until it meets the best assignment or
    ``end``. Each worker reports on its own pipe."""
    if proof.ceiling is None:
        return
    levels = _levels.Levels(proof.ceiling, diver.best_value)

    def reporting(out: Callable[[tuple[object, ...]], None]) -> Callable[[IntArray, float], None]:
        def report(assignment: IntArray, value: float) -> None:
            levels.found(value)
            proof.report(out)  # first: the assignment may end the run
            out(("assignment", assignment))

        return report

    pid = os.fork()  # before asking for the core: if it fails, the main search goes on
    if pid == 0:
        try:
            proof.nodes = proof.rounds = proof.lowered = 0  # its own counts, from here
            proof.seconds = 0.0
            diver.report = reporting(second.send)
            _levels.search(diver, proof, levels, 1, end, second.send)
            second.send(("done",))
        except Exception as error:  # the first worker goes on alone
            with contextlib.suppress(OSError):
                second.send(("error", repr(error)))
        finally:
            os._exit(0)
    second.close()
    send(("split",))
    diver.report = reporting(send)
    _levels.search(diver, proof, levels, 0, end, send)
    os.waitpid(pid, 0)  # its reports are all sent before the companion says it is done


class _Proof:
    """Branch-and-price in the companion (ADR 0012), from the diver's best assignment.

    With an integral objective it first raises a bound from below: the Lagrangian bound at
    the root multipliers says no assignment is worth more than some ``ceiling``; a tree
    that looks only for assignments worth at least the ceiling, and closes empty, lowers
    it by one. Those trees are small (c20400: no assignment at 4780 or below, 0.1 s; none at
    4781, 3 s), each lowered ceiling goes to the parent as a bound, and once it meets the
    best assignment found (by the dives or by HiGHS) that one is optimal. The last step,
    from a ceiling one above the best, is the proof itself. The trees share a master of
    their own, not the diver's: with only the trees' columns each LP is smaller (c20400:
    4.5 s against 8.3 s on the diver's master of 5,530 columns), and each next tree starts
    from the columns the last one generated. A better assignment found in a tree goes to
    the diver, which reports it."""

    def __init__(self, integral: bool) -> None:
        self.integral = integral
        self.ceiling: float | None = None  # no assignment is worth more (maximised)
        self.nodes = self.rounds = self.lowered = 0
        self.seconds = 0.0
        self.pairs_left: int | None = None
        # One master for all the trees, from the diver's root patterns (``dive.ROOT_NEAR``):
        # each next tree starts from the columns the last one generated (e40400, the bound
        # raised from 44556 to 44559: 45.9 s with a master per tree, 19.2 s with one; ADR 0013).
        self.master: Master | None = None
        # The tree running now and when it began: its counts join the statistics so far.
        self.current: tuple[Prover, float] | None = None

    def attempt(self, diver: Diver, end: float, send: Callable[[tuple[object, ...]], None]) -> bool:
        """Search until ``end``; True when the best assignment is proven optimal (``proven``
        was sent with it)."""
        if diver.best is None or diver.root_center is None:
            return False
        ceiling = self.ceiling
        if ceiling is None:
            value, _ = evaluate_bound(diver.dense, diver.root_center)
            best = diver.best_value
            slack = TOLERANCE * max(1.0, abs(value))
            ceiling = best + float(np.floor(value - best + slack)) if self.integral else value
            self.ceiling = ceiling
        while time.perf_counter() < end:
            incumbent, best = diver.best, diver.best_value
            if self._meets(ceiling, best):
                send(("proven", incumbent))
                return True
            # Integral: look for assignments worth the ceiling; otherwise prove the best.
            above = max(best, ceiling - 1.0) if self.integral else best
            # Enough: worth the ceiling, it cannot be better (optimal).
            prover, closed = self._tree(diver, diver.root_center, incumbent, above, ceiling, end)
            if not closed:
                diver.master.add_assignment(prover.best)
                self.report(send)
                return False
            if prover.found or above <= best:  # nothing is worth more than prover.best
                self.report(send)
                send(("proven", prover.best))
                return True
            ceiling = self.ceiling = above  # no assignment is worth more than ``above``
            self.lowered += 1
            self.report(send)
            send(("bound", diver.best, ceiling - diver.best_value))
        return False

    def level(
        self, diver: Diver, level: float, end: float, stop: Callable[[], bool]
    ) -> bool | None:
        """One tree at ``level`` (integral objective; ``_levels``): True when it found an
        assignment worth the level (the diver's best now), False when none is worth that
        much, None when ``end`` or ``stop`` came first."""
        if diver.best is None or diver.root_center is None:
            return None
        prover, closed = self._tree(
            diver, diver.root_center, diver.best, level - 1.0, level, end, stop
        )
        return prover.found if closed else None

    def _tree(
        self,
        diver: Diver,
        center: FloatArray,
        incumbent: IntArray,
        above: float,
        enough: float,
        end: float,
        stop: Callable[[], bool] | None = None,
    ) -> tuple[Prover, bool]:
        """One tree on the shared master, from ``center`` (the root multipliers), counted
        in the statistics: the prover and whether it closed."""
        if self.master is None:
            self.master = Master(diver.dense)
            for agent, jobs in diver.root_patterns:
                self.master.add_jobs(agent, jobs)
        began = time.perf_counter()
        prover = Prover(
            diver.dense,
            center,
            incumbent,
            integral=self.integral,
            report=lambda assignment, _value: diver.consider(assignment),
            above=above,
            master=self.master,
            enough=enough,
            stop=stop,
        )
        self.current = (prover, began)
        closed = prover.run(end)
        self.current = None
        self.nodes += prover.nodes
        self.rounds += prover.rounds
        self.seconds += time.perf_counter() - began
        if self.pairs_left is None:
            self.pairs_left = prover.pairs_left
        return prover, closed

    def _meets(self, ceiling: float, best: float) -> bool:
        slack = TOLERANCE * max(1.0, abs(best))
        if self.integral:
            return ceiling < best + 1.0 - slack
        return ceiling <= best + slack

    def report(self, send: Callable[[tuple[object, ...]], None]) -> None:
        """Send the statistics so far, those of the tree running now included."""
        nodes, rounds, seconds, pairs_left = self.nodes, self.rounds, self.seconds, self.pairs_left
        if self.current is not None:
            prover, began = self.current
            nodes, rounds = nodes + prover.nodes, rounds + prover.rounds
            seconds += time.perf_counter() - began
            pairs_left = prover.pairs_left if pairs_left is None else pairs_left
        send(
            (
                "proof",
                {
                    "nodes": nodes,
                    "rounds": rounds,
                    "pairs_left": pairs_left,
                    "bound_raised": self.lowered,
                    "seconds": round(seconds, 3),
                },
            )
        )


def _solve(
    send: Callable[[tuple[object, ...]], None],
    sense: Sense,
    arrays: "Arrays",
    options: dict[str, object],
    start: FloatArray | None,
    limit: float,
    inbox: "multiprocessing.connection.Connection | None" = None,
) -> None:
    """Solve, and ``send`` every improving solution (with the bound then), and then the end.

    ``inbox``: solutions found elsewhere (the companion's), handed to HiGHS as user
    solutions whenever it asks for them (the newest one; HiGHS checks it is feasible)."""
    try:
        import highspy

        with quiet():
            h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        for name, option in options.items():
            h.setOptionValue(name, option)  # type: ignore[arg-type]  # numbers from above
        h.setOptionValue("time_limit", max(limit, 1e-3))
        _pass(h, highspy, sense, arrays)
        n = len(arrays[0])

        def improving(event) -> None:  # type: ignore[no-untyped-def]
            # With the bound of the moment: a callback at every node for the bound alone
            # cost 5 to 10 % on gap1-gap12.
            solution = np.asarray(event.data_out.mip_solution, dtype=np.float64)[:n].copy()
            bound = float(event.data_out.mip_dual_bound)
            if len(solution) == n:
                send(("solution", solution, bound if abs(bound) < 1e30 else None))

        h.cbMipImprovingSolution.subscribe(improving)
        if inbox is not None:

            def offered(event) -> None:  # type: ignore[no-untyped-def]
                newest = None
                with contextlib.suppress(EOFError, OSError):
                    while inbox.poll():
                        newest = inbox.recv()
                if newest is not None:
                    event.data_in.setSolution(np.asarray(newest, dtype=np.float64))

            h.cbMipUserSolution.subscribe(offered)
        if start is not None:
            h.setSolution(len(start), np.arange(len(start), dtype=np.int32), start)
        h.run()
        discarded = False
        if start is not None and _reported_differs(h, arrays[0]):
            # Seen with HiGHS 1.16: when presolve alone solves the model, the solution handed
            # back can be the start while the reported objective is the optimum's. Solve
            # again without the start.
            h.clearSolver()
            _pass(h, highspy, sense, arrays)
            h.run()
            discarded = True
        status = h.getModelStatus()
        info = h.getInfo()
        solution = None
        if info.primal_solution_status == 2:  # kSolutionStatusFeasible
            solution = np.asarray(h.getSolution().col_value, dtype=np.float64)
        bound = float(info.mip_dual_bound)
        name = {
            highspy.HighsModelStatus.kOptimal: "optimal",
            highspy.HighsModelStatus.kInfeasible: "infeasible",
            highspy.HighsModelStatus.kTimeLimit: "time_limit",
        }.get(status, str(status))
        send(("done", name, solution, bound if abs(bound) < 1e30 else None, discarded))
    except Exception as error:  # handed to the caller, which raises it
        send(("error", repr(error)))


Arrays = tuple[
    FloatArray,
    FloatArray,
    FloatArray,
    FloatArray,
    FloatArray,
    IntArray,
    IntArray,
    FloatArray,
    npt.NDArray[np.int32],
]


def _arrays(problem: Problem, model: Model) -> Arrays:
    """Cost, column bounds, row bounds and the CSC matrix of the model."""
    n = model.n_cols
    n_classes = model.n_classes
    fair = problem.fairness_weight > 0
    n_groups = problem.n_groups if fair else 0
    maximise = problem.sense == Sense.MAX
    penalty = -problem.fairness_weight if maximise else problem.fairness_weight
    cost = np.concatenate([model.col_value, np.full(2 * n_groups, penalty)])
    col_lower = np.zeros(n + 2 * n_groups)
    col_upper = np.concatenate([model.col_upper.astype(np.float64), np.full(2 * n_groups, np.inf)])

    n_pools = len(model.pools)
    class_size = model.class_size.astype(np.float64)
    pool_size = model.pool_size.astype(np.float64)
    agent_row = np.full(problem.n_agents, -1, dtype=np.int64)
    used_agents = np.unique(model.col_agent)
    first_agent_row = n_classes + n_pools
    agent_row[used_agents] = first_agent_row + np.arange(len(used_agents))
    first_group_row = first_agent_row + len(used_agents)
    lower_class = np.zeros(n_classes)
    if problem.must_assign:  # every job once: pooled classes through their pool's row
        pooled = np.zeros(n_classes, dtype=bool)
        for classes in model.pools:
            pooled[classes] = True
        lower_class = np.where(pooled, 0.0, class_size)
    row_lower = [
        lower_class,
        pool_size if problem.must_assign else np.zeros(n_pools),
        np.zeros(len(used_agents)),
    ]
    row_upper = [class_size, pool_size, np.asarray(problem.capacity, dtype=np.float64)[used_agents]]
    own = np.flatnonzero(model.col_class >= 0)
    in_pool = np.flatnonzero(model.col_pool >= 0)
    rows = [model.col_class[own], n_classes + model.col_pool[in_pool], agent_row[model.col_agent]]
    cols = [own, in_pool, np.arange(n)]
    values = [np.ones(len(own)), np.ones(len(in_pool)), model.col_use.astype(np.float64)]
    if n_groups:
        rhs = np.asarray(problem.group_target) - np.asarray(problem.group_present)
        row_lower.append(rhs)
        row_upper.append(rhs)
        grouped = np.flatnonzero(model.col_group >= 0)
        rows.append(first_group_row + model.col_group[grouped])
        cols.append(grouped)
        values.append(model.col_weight[grouped].astype(np.float64))
        rows.append(np.repeat(first_group_row + np.arange(n_groups), 2))
        cols.append(n + np.arange(2 * n_groups))
        values.append(np.tile([-1.0, 1.0], n_groups))
    next_row = first_group_row + n_groups
    extra_rows, extra_cols, extra_values, extra_lower, extra_upper = [], [], [], [], []
    for a_cols, b_cols in model.together:
        for k in a_cols:
            extra_rows.append(next_row)
            extra_cols.append(k)
            extra_values.append(1.0)
        for k in b_cols:
            extra_rows.append(next_row)
            extra_cols.append(k)
            extra_values.append(-1.0)
        extra_lower.append(0.0)
        extra_upper.append(0.0)
        next_row += 1
    for ka, kb in model.apart:
        extra_rows += [next_row, next_row]
        extra_cols += [ka, kb]
        extra_values += [1.0, 1.0]
        extra_lower.append(0.0)
        extra_upper.append(1.0)
        next_row += 1
    rows.append(np.asarray(extra_rows, dtype=np.int64))
    cols.append(np.asarray(extra_cols, dtype=np.int64))
    values.append(np.asarray(extra_values, dtype=np.float64))
    row_lower.append(np.asarray(extra_lower, dtype=np.float64))
    row_upper.append(np.asarray(extra_upper, dtype=np.float64))

    all_rows = np.concatenate(rows)
    all_cols = np.concatenate(cols)
    all_values = np.concatenate(values)
    order = np.lexsort((all_rows, all_cols))
    sorted_cols = all_cols[order]
    start = np.searchsorted(sorted_cols, np.arange(len(cost) + 1))
    return (
        cost,
        col_lower,
        col_upper,
        np.concatenate(row_lower),
        np.concatenate(row_upper),
        start,
        all_rows[order],
        all_values[order],
        np.concatenate([np.ones(n, dtype=np.int32), np.zeros(2 * n_groups, dtype=np.int32)]),
    )


def _pass(h, highspy, sense: Sense, arrays: Arrays) -> None:  # type: ignore[no-untyped-def]
    cost, col_lower, col_upper, row_lower, row_upper, start, index, value, integrality = arrays
    n_cols = len(cost)
    maximise = sense == Sense.MAX
    objective_sense = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
    h.passModel(
        n_cols,
        len(row_lower),
        len(index),
        int(highspy.MatrixFormat.kColwise),
        int(objective_sense),
        0.0,
        cost,
        col_lower,
        col_upper,
        row_lower,
        row_upper,
        start[:-1].astype(np.int32),
        index.astype(np.int32),
        value,
        integrality,
    )


def _lp_rounding(  # type: ignore[no-untyped-def]
    highspy, problem: Problem, model: Model, arrays: Arrays, time_limit: float
):
    """The LP relaxation rounded down, then filled up greedily (best value per bed first).

    Returns the counts (or None) and the LP bound (None unless the LP was solved to the end:
    an LP stopped by the time limit bounds nothing)."""
    with quiet():
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("time_limit", time_limit)
    relaxed = (*arrays[:8], np.zeros_like(arrays[8]))
    _pass(h, highspy, problem.sense, relaxed)
    h.run()
    solved = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    has_solution = h.getInfo().primal_solution_status == 2
    bound = float(h.getInfo().objective_function_value) if solved else None
    values = np.asarray(h.getSolution().col_value)[: model.n_cols]
    if not has_solution:
        return None, None
    x = np.floor(values + 1e-6).astype(np.int64)
    return model.fill(problem, x), bound


def _reported_differs(h, cost: FloatArray) -> bool:  # type: ignore[no-untyped-def]
    if h.getInfo().primal_solution_status != 2:
        return False
    computed = float(np.dot(cost, np.asarray(h.getSolution().col_value)))
    return abs(computed - h.getInfo().objective_function_value) > 1e-6 * max(1.0, abs(computed))


def _gap(objective: float, bound: float) -> float | None:
    if abs(bound) >= 1e30:
        return None
    return abs(bound - objective) / max(abs(objective), 1e-9)


def _start_values(
    problem: Problem, model: Model, counts: IntArray | None, n_cols: int
) -> FloatArray | None:
    if counts is None:
        return None
    values = np.zeros(n_cols)
    values[: model.n_cols] = counts
    if n_cols > model.n_cols:
        placed = np.zeros(problem.n_groups)
        grouped = model.col_group >= 0
        np.add.at(
            placed, model.col_group[grouped], (counts * model.col_weight)[grouped].astype(float)
        )
        deviation = np.asarray(problem.group_present) + placed - np.asarray(problem.group_target)
        values[model.n_cols :: 2] = np.maximum(deviation, 0.0)
        values[model.n_cols + 1 :: 2] = np.maximum(-deviation, 0.0)
    return values
