"""The OR-Tools CP-SAT back-end: the same model with integer coefficients.

CP-SAT needs integers: values are scaled by ``SCALE`` unless they are integral already. One
search worker and a fixed seed keep it deterministic.
"""

import time

from ..problem import Problem, Result, Sense, Status
from ._build import build

SCALE = 1000


class CpSatBackend:
    name = "cpsat"

    def available(self) -> bool:
        try:
            from ortools.sat.python import cp_model  # noqa: F401
        except ImportError:
            return False
        return True

    def solve(
        self, problem: Problem, *, time_limit: float, seed: int, start: tuple[int, ...] | None
    ) -> Result:
        from ortools.sat.python import cp_model

        started = time.perf_counter()
        rows = build(problem)
        settings: dict[str, object] = {
            "max_time_in_seconds": time_limit,
            "random_seed": seed,
            "num_workers": 1,
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
        scale = 1 if problem.integral_objective else SCALE
        settings["scale"] = scale
        model = cp_model.CpModel()
        x = [model.new_bool_var(f"x{k}") for k in range(len(problem.pairs))]
        for job in range(problem.n_jobs):
            pairs = rows.by_job.get(job, [])
            if not pairs:
                continue
            if problem.must_assign:
                model.add_exactly_one(x[k] for k in pairs)
            else:
                model.add_at_most_one(x[k] for k in pairs)
        for agent, pairs in rows.by_agent.items():
            model.add(sum(problem.pairs[k].use * x[k] for k in pairs) <= problem.capacity[agent])
        for a_pairs, b_pairs in rows.together:
            model.add(sum(x[k] for k in a_pairs) == sum(x[k] for k in b_pairs))
        for ka, kb in rows.apart:
            model.add_bool_or([x[ka].Not(), x[kb].Not()])
        terms = [
            round((p.value + problem.place_bonus) * scale) * x[k]
            for k, p in enumerate(problem.pairs)
        ]
        deviations = []
        if problem.fairness_weight > 0:
            total = sum(problem.weight(j) for j in range(problem.n_jobs))
            for g in range(problem.n_groups):
                placed = sum(
                    problem.weight(problem.pairs[k].job) * x[k] for k in rows.by_group.get(g, [])
                )
                offset = round(problem.group_present[g] - problem.group_target[g])
                limit = total + abs(offset) + 1
                deviation = model.new_int_var(0, limit, f"d{g}")
                model.add_abs_equality(deviation, placed + offset)
                deviations.append(deviation)
        penalty = round(problem.fairness_weight * scale)
        objective = (
            sum(terms) - penalty * sum(deviations)
            if problem.sense == Sense.MAX
            else sum(terms) + penalty * sum(deviations)
        )
        if problem.sense == Sense.MAX:
            model.maximize(objective)
        else:
            model.minimize(objective)
        if start is not None:
            for k, pair in enumerate(problem.pairs):
                model.add_hint(x[k], start[pair.job] == pair.agent)
        solver = cp_model.CpSolver()
        # The time limit counts from the call: building the model has used part of it.
        solver.parameters.max_time_in_seconds = max(
            time_limit - (time.perf_counter() - started), 0.1
        )
        solver.parameters.random_seed = seed
        solver.parameters.num_workers = 1
        code = solver.solve(model)
        seconds = time.perf_counter() - started
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            status = Status.INFEASIBLE if code == cp_model.INFEASIBLE else Status.NOT_SOLVED
            return Result(
                status, tuple([-1] * problem.n_jobs), None, None, None, seconds, self.name, settings
            )
        assignment = [-1] * problem.n_jobs
        for k, pair in enumerate(problem.pairs):
            if solver.value(x[k]):
                assignment[pair.job] = pair.agent
        found: float = solver.objective_value / scale
        bound: float = solver.best_objective_bound / scale
        optimal = code == cp_model.OPTIMAL
        gap = 0.0 if optimal else abs(bound - found) / max(abs(found), 1e-9)
        return Result(
            Status.OPTIMAL if optimal else Status.FEASIBLE,
            tuple(assignment),
            found,
            bound,
            gap,
            seconds,
            self.name,
            settings,
        )
