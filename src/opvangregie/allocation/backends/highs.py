"""The HiGHS back-end (highspy): a mixed-integer program, solved exactly."""

import contextlib
import os
import sys
import time
from collections.abc import Iterator

from ..problem import Problem, Result, Sense, Status
from ._build import build


class HighsBackend:
    name = "highs"

    def available(self) -> bool:
        try:
            import highspy  # noqa: F401
        except ImportError:
            return False
        return True

    def solve(
        self, problem: Problem, *, time_limit: float, seed: int, start: tuple[int, ...] | None
    ) -> Result:
        import highspy

        started = time.perf_counter()
        rows = build(problem)
        settings: dict[str, object] = {
            "time_limit": time_limit,
            "random_seed": seed,
            "mip_rel_gap": 1e-6,
            "threads": 1,
        }
        if problem.must_assign and rows.impossible_jobs:
            return Result(
                Status.INFEASIBLE,
                tuple([-1] * problem.n_jobs),
                None,
                None,
                None,
                time.perf_counter() - started,
                self.name,
                settings,
            )
        n_pairs = len(problem.pairs)
        groups = problem.n_groups if problem.fairness_weight > 0 else 0
        n_cols = n_pairs + 2 * groups
        maximise = problem.sense == Sense.MAX
        fairness = -problem.fairness_weight if maximise else problem.fairness_weight
        cost = [p.value + problem.place_bonus for p in problem.pairs] + [fairness] * (2 * groups)
        lower = [0.0] * n_cols
        upper = [1.0] * n_pairs + [highspy.kHighsInf] * (2 * groups)

        row_lower: list[float] = []
        row_upper: list[float] = []
        starts: list[int] = []
        index: list[int] = []
        value: list[float] = []

        def row(entries: list[tuple[int, float]], lo: float, hi: float) -> None:
            starts.append(len(index))
            for column, coefficient in entries:
                index.append(column)
                value.append(coefficient)
            row_lower.append(lo)
            row_upper.append(hi)

        for job in range(problem.n_jobs):
            pairs = rows.by_job.get(job, [])
            if pairs:
                row([(k, 1.0) for k in pairs], 1.0 if problem.must_assign else 0.0, 1.0)
        for agent, pairs in rows.by_agent.items():
            row(
                [(k, float(problem.pairs[k].use)) for k in pairs],
                0.0,
                float(problem.capacity[agent]),
            )
        for g in range(groups):
            entries = [
                (k, float(problem.weight(problem.pairs[k].job))) for k in rows.by_group.get(g, [])
            ]
            entries += [(n_pairs + 2 * g, -1.0), (n_pairs + 2 * g + 1, 1.0)]
            rhs = problem.group_target[g] - problem.group_present[g]
            row(entries, rhs, rhs)
        for a_pairs, b_pairs in rows.together:
            row([(k, 1.0) for k in a_pairs] + [(k, -1.0) for k in b_pairs], 0.0, 0.0)
        for ka, kb in rows.apart:
            row([(ka, 1.0), (kb, 1.0)], 0.0, 1.0)

        lp = highspy.HighsLp()
        lp.num_col_ = n_cols
        lp.num_row_ = len(row_lower)
        lp.col_cost_ = cost
        lp.col_lower_ = lower
        lp.col_upper_ = upper
        lp.row_lower_ = row_lower
        lp.row_upper_ = row_upper
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = [*starts, len(index)]
        lp.a_matrix_.index_ = index
        lp.a_matrix_.value_ = value
        lp.a_matrix_.num_col_ = n_cols
        lp.a_matrix_.num_row_ = len(row_lower)
        lp.sense_ = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n_pairs + [
            highspy.HighsVarType.kContinuous
        ] * (2 * groups)

        with _quiet():
            h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        for name, option in settings.items():
            h.setOptionValue(name, option)  # type: ignore[arg-type]  # numbers from above
        if problem.integral_objective:
            h.setOptionValue("mip_abs_gap", 1 - 1e-6)
            settings["mip_abs_gap"] = 1 - 1e-6
        h.passModel(lp)
        warm = start is not None and any(a >= 0 for a in start)
        if warm and start is not None:
            h.setSolution(_start_solution(problem, start, n_cols, groups, highspy))
        # The time limit counts from the call: building the model has used part of it.
        h.setOptionValue("time_limit", max(time_limit - (time.perf_counter() - started), 0.1))
        h.run()
        if warm and _reported_differs(h, cost):
            # Seen with HiGHS 1.16: when presolve alone solves the model, the solution handed
            # back can be the start while the reported objective is the optimum's. Solve
            # again without the start, within what is left of the time limit.
            h.clearSolver()
            h.passModel(lp)
            h.setOptionValue("time_limit", max(time_limit - (time.perf_counter() - started), 0.1))
            h.run()
            settings["warm_start_discarded"] = True

        status_code = h.getModelStatus()
        info = h.getInfo()
        has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
        seconds = time.perf_counter() - started
        if status_code == highspy.HighsModelStatus.kInfeasible or not has_solution:
            status = (
                Status.INFEASIBLE
                if status_code == highspy.HighsModelStatus.kInfeasible
                else Status.NOT_SOLVED
            )
            return Result(
                status, tuple([-1] * problem.n_jobs), None, None, None, seconds, self.name, settings
            )
        solution = h.getSolution().col_value
        assignment = [-1] * problem.n_jobs
        for k, pair in enumerate(problem.pairs):
            if solution[k] > 0.5:
                assignment[pair.job] = pair.agent
        objective = float(info.objective_function_value)
        bound = float(info.mip_dual_bound)
        optimal = status_code == highspy.HighsModelStatus.kOptimal
        gap = 0.0 if optimal else _gap(objective, bound)
        return Result(
            Status.OPTIMAL if optimal else Status.FEASIBLE,
            tuple(assignment),
            objective,
            bound,
            gap,
            seconds,
            self.name,
            settings,
        )


def _reported_differs(h, cost: list[float]) -> bool:  # type: ignore[no-untyped-def]
    if h.getInfo().primal_solution_status != 2:
        return False
    values = h.getSolution().col_value
    computed = sum(c * v for c, v in zip(cost, values, strict=True))
    return abs(computed - h.getInfo().objective_function_value) > 1e-6 * max(1.0, abs(computed))


def _gap(objective: float, bound: float) -> float | None:
    if abs(bound) >= 1e30:
        return None
    return abs(bound - objective) / max(abs(objective), 1e-9)


def _start_solution(problem: Problem, start: tuple[int, ...], n_cols: int, groups: int, highspy):  # type: ignore[no-untyped-def]
    values = [0.0] * n_cols
    placed = [0.0] * max(groups, 0)
    for k, pair in enumerate(problem.pairs):
        if start[pair.job] == pair.agent:
            values[k] = 1.0
            if groups and problem.agent_group[pair.agent] >= 0:
                placed[problem.agent_group[pair.agent]] += problem.weight(pair.job)
    n_pairs = len(problem.pairs)
    for g in range(groups):
        deviation = problem.group_present[g] + placed[g] - problem.group_target[g]
        values[n_pairs + 2 * g] = max(deviation, 0.0)
        values[n_pairs + 2 * g + 1] = max(-deviation, 0.0)
    solution = highspy.HighsSolution()
    solution.col_value = values
    solution.value_valid = True
    return solution


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """HiGHS prints a banner on standard output when it starts; keep it off ours (JSON)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
