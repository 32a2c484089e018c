"""The OR-Tools CP-SAT back-end: the same model (see ``_build``) with integer coefficients.

CP-SAT needs integers: values are scaled by the least power of ten up to ``SCALE`` that
makes them whole. A fixed seed and one worker (``interleave_search`` when several are asked
for) keep it deterministic.
"""

import math
import time
from collections.abc import Callable

import numpy as np

from ..problem import Problem, Result, Sense, Status
from ._build import PROVEN, IntArray, Model, build
from ._shared import Companion, empty, importable, left, without_solver

SCALE = 1000
DEVIATION_UNIT = 100  # fractional targets: deviations counted in hundredths of a person
WORKERS = 1
PRESOLVE = False


class CpSatBackend:
    name = "cpsat"
    starts_from_incumbent = True  # as a hint

    def available(self) -> bool:
        return importable("ortools.sat.python.cp_model")

    def solve(
        self,
        problem: Problem,
        *,
        time_limit: float,
        seed: int,
        start: tuple[int, ...] | None,
        relative_gap: float = PROVEN,
        on_solution: Callable[[float], bool] | None = None,  # not used: CP-SAT runs on
        companion: Companion | None = None,  # not used: CP-SAT searches with its own LNS
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
    ) -> Result:
        """Solve a model built already (``started``: when the time limit began to run).

        The search stops once the best solution is within ``relative_gap`` of the bound; the
        status is ``optimal`` only when that gap is at most ``PROVEN``."""
        from ortools.sat.python import cp_model

        settings: dict[str, object] = {
            "max_time_in_seconds": time_limit,
            "random_seed": seed,
            "num_workers": WORKERS,
            "cp_model_presolve": PRESOLVE,
            "add_lp_constraints_lazily": False,
            "classes": model.n_classes,
            "columns": model.n_cols,
        }
        answer = without_solver(problem, model, started, self.name, settings)
        if answer is not None:
            return answer
        # Deviations in units of 1/unit person, so that targets like 12.5 stay exact; values
        # scaled as little as keeps them whole (smaller coefficients, the same optimum).
        offsets = [p - t for p, t in zip(problem.group_present, problem.group_target, strict=True)]
        unit = _smallest_factor(offsets, (1, 10, DEVIATION_UNIT)) if offsets else 1
        fairness_per_unit = problem.fairness_weight / unit if problem.fairness_weight > 0 else 0
        scale = _smallest_factor(
            [*np.unique(model.col_value).tolist(), fairness_per_unit], (1, 10, 100, SCALE)
        )
        settings["scale"] = scale
        cp = cp_model.CpModel()
        upper = model.col_upper.tolist()
        x = [cp.new_int_var(0, upper[k], f"x{k}") for k in range(model.n_cols)]
        by_class: list[list[int]] = [[] for _ in range(model.n_classes)]
        by_pool: list[list[int]] = [[] for _ in model.pools]
        by_agent: dict[int, list[int]] = {}
        columns_of = zip(
            model.col_class.tolist(), model.col_pool.tolist(), model.col_agent.tolist(), strict=True
        )
        for k, (cls, pool, agent) in enumerate(columns_of):
            if cls >= 0:
                by_class[cls].append(k)
            if pool >= 0:
                by_pool[pool].append(k)
            by_agent.setdefault(agent, []).append(k)
        pooled = {cls for classes in model.pools for cls in classes}
        rows = [(by_class[c], len(m), c not in pooled) for c, m in enumerate(model.members)]
        rows += [(by_pool[p], int(size), True) for p, size in enumerate(model.pool_size)]
        for columns, size, exact in rows:
            if not columns:
                continue
            total = cp_model.LinearExpr.sum([x[k] for k in columns])
            if problem.must_assign and exact:
                cp.add(total == size)
            else:
                cp.add(total <= size)
        uses = model.col_use.tolist()
        for agent, columns in by_agent.items():
            cp.add(
                cp_model.LinearExpr.weighted_sum(
                    [x[k] for k in columns], [uses[k] for k in columns]
                )
                <= problem.capacity[agent]
            )
        for a_cols, b_cols in model.together:
            cp.add(sum(x[k] for k in a_cols) == sum(x[k] for k in b_cols))
        for ka, kb in model.apart:
            cp.add(x[ka] + x[kb] <= 1)
        coefficients = [round(v * scale) for v in model.col_value.tolist()]
        deviations = []
        settings["deviation_unit"] = unit
        if problem.fairness_weight > 0:
            total_weight = int(
                np.dot(model.class_size, [problem.weight(m[0]) for m in model.members])
            )
            weights = model.col_weight.tolist()
            by_group: dict[int, list[int]] = {}
            for k, g in enumerate(model.col_group.tolist()):
                by_group.setdefault(g, []).append(k)
            for g in range(problem.n_groups):
                columns = by_group.get(g, [])
                placed = cp_model.LinearExpr.weighted_sum(
                    [x[k] for k in columns], [unit * weights[k] for k in columns]
                )
                offset = round(offsets[g] * unit)
                limit = unit * total_weight + abs(offset) + 1
                deviation = cp.new_int_var(0, limit, f"d{g}")
                cp.add_abs_equality(deviation, placed + offset)
                deviations.append(deviation)
                if start is not None:  # a complete hint: the deviations of the start too
                    hinted = sum(unit * weights[k] * int(start[k]) for k in columns)
                    cp.add_hint(deviation, abs(hinted + offset))
        penalty = round(problem.fairness_weight * scale / unit)
        values = cp_model.LinearExpr.weighted_sum(x, coefficients)
        fairness = cp_model.LinearExpr.sum(deviations) if deviations else 0
        if problem.sense == Sense.MAX:
            cp.maximize(values - penalty * fairness)
        else:
            cp.minimize(values + penalty * fairness)
        if start is not None:
            for k, count in enumerate(start.tolist()):
                cp.add_hint(x[k], count)
        solver = cp_model.CpSolver()
        # The time limit counts from the call: building the model has used part of it.
        time_left = left(time_limit, started)
        solver.parameters.max_time_in_seconds = max(time_left, 1e-3)
        solver.parameters.random_seed = seed
        # CP-SAT's presolve spent 10 of its 17 s on the region going round its fix point
        # without shrinking the model (built small already, ADR 0006); all rows of the LP
        # from the start, not added as they are violated: the bound on the country closes to
        # 1 % in about 12 s instead of never within 60 s.
        solver.parameters.cp_model_presolve = PRESOLVE
        solver.parameters.add_lp_constraints_lazily = False
        if relative_gap > PROVEN:
            solver.parameters.relative_gap_limit = relative_gap
            settings["relative_gap_limit"] = relative_gap
        solver.parameters.num_workers = WORKERS
        if WORKERS > 1:
            solver.parameters.interleave_search = True
        if time_left > 0:
            code = solver.solve(cp)
        else:  # building the model used up the time limit: the start is all there is
            code = cp_model.UNKNOWN
            settings["stopped"] = "at the time limit"
        sign = 1.0 if problem.sense == Sense.MAX else -1.0
        if code == cp_model.INFEASIBLE:
            return empty(Status.INFEASIBLE, problem, started, self.name, settings)
        counts = None
        own = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        if own:
            counts = np.asarray([solver.value(v) for v in x], dtype=np.int64)
        kept = start is not None and model.feasible(problem, start)
        if (
            kept
            and start is not None
            and (
                counts is None
                or sign * model.objective(problem, start) > sign * model.objective(problem, counts)
            )
        ):
            # CP-SAT found nothing better in time (on the country: nothing at all in 60 s):
            # the start is the best solution found.
            counts, code = start, cp_model.FEASIBLE
            settings["returned"] = "start"
        if counts is None:
            return empty(Status.NOT_SOLVED, problem, started, self.name, settings)
        assignment = model.assignment(problem.n_jobs, counts)
        # Worth at least what the model says (a pool's base column may go to a job worth more).
        found = model.objective(problem, model.counts(assignment))
        # CP-SAT's bound counts only when it has a solution of its own: without one (time
        # limit in presolve) it reports 0 (seen on the country), which bounds nothing.
        bound: float | None = solver.best_objective_bound / scale if own else None
        if bound is not None and not math.isfinite(bound):
            bound = None
        gap = None if bound is None else abs(bound - found) / max(abs(found), 1e-9)
        optimal = (code == cp_model.OPTIMAL and relative_gap <= PROVEN) or (
            gap is not None and gap <= PROVEN
        )
        gap = 0.0 if optimal else gap
        seconds = time.perf_counter() - started
        return Result(
            Status.OPTIMAL if optimal else Status.FEASIBLE,
            assignment,
            found,
            bound,
            gap,
            seconds,
            "cpsat",
            settings,
        )


def _smallest_factor(values: list[float], factors: tuple[int, ...]) -> int:
    """The first factor that makes every value whole, else the last (values then rounded)."""
    for factor in factors:
        if all(abs(v * factor - round(v * factor)) < 1e-9 * max(1.0, abs(v)) for v in values):
            return factor
    return factors[-1]
