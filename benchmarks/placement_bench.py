"""Placement engine benchmarks (issue: optimal, fair and explainable placement).

    python benchmarks/placement_bench.py gap-small [--backend highs,cpsat]  # gap1-12, max and min
    python benchmarks/placement_bench.py gap-large [--time-limit 60] [--types a,b,c,d,e] \
        [--backend highs]
    python benchmarks/placement_bench.py region [--households 1000 --locations 300]
    python benchmarks/placement_bench.py region --households 10000 --locations 3000 \
        --municipalities 342 --relative-gap 0.01        # the country, within 1 %

GAP instances are read from ../shared/benchmarks/gap (never copied into the project); their
known optima from the README there. `region` compares, on one generated instance, HiGHS,
CP-SAT, the same model in PuLP + CBC, and a greedy baseline like the manual practice (largest
household first, into the municipality furthest below its target). Each method runs in its own
process so that its peak memory can be reported; HiGHS, CP-SAT and greedy run ``--repeat``
times (median time; the engine is deterministic, so the objective is the same each run).
HiGHS and CP-SAT are timed through ``domain.place`` (model, solve and explanations), as the
application calls them. Figures go to docs/benchmarks.md.
"""

import argparse
import datetime
import multiprocessing
import random
import re
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import numpy as np  # noqa: E402
from bench import _machine, _write_doc  # noqa: E402

from opvangregie.allocation.backends import solve  # noqa: E402
from opvangregie.allocation.backends._build import PROVEN  # noqa: E402
from opvangregie.allocation.domain import (  # noqa: E402
    Household,
    Instance,
    Location,
    Municipality,
    _base,
    _deviation,
    _options,
    exclusion,
    objective,
    place,
    to_problem,
    usage,
)
from opvangregie.allocation.gap import read_gap  # noqa: E402
from opvangregie.allocation.problem import Sense, Status  # noqa: E402

GAP = ROOT.parent / "shared" / "benchmarks" / "gap"


def known_values() -> dict[tuple[str, str], int]:
    """(file, sense) -> known optimum, from the README table of the shared GAP folder."""
    values: dict[tuple[str, str], int] = {}
    for line in (GAP / "README.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 4 or "/" not in cells[0] or not cells[0][0].isalpha():
            continue
        name = cells[0]
        if name.startswith("cattrysse1994/") and cells[3].isdigit() and cells[4].isdigit():
            values[(name, "max")] = int(cells[3])
            values[(name, "min")] = int(cells[4])
        elif re.fullmatch(r"\d+", cells[3] or ""):
            values[(name, "min")] = int(cells[3])
        elif match := re.match(r"best known (\d+)", cells[3] or ""):  # open instances
            values[(name, "min")] = int(match.group(1))
    return values


def header(args: list[str]) -> str:
    return (
        f"- date: {datetime.date.today().isoformat()}\n"  # noqa: DTZ011
        f"- machine: {_machine()}\n"
        f"- command: `python benchmarks/placement_bench.py {' '.join(args)}`\n"
    )


def gap_small(args: list[str], repeat: int, backends: list[str]) -> None:
    """Every instance ``repeat`` times per back-end; its time is the median of those runs.
    The back-ends take turns on each instance, so that a change in the machine's load
    touches both alike."""
    known = known_values()
    load_before = _load()
    times: dict[str, list[float]] = {b: [] for b in backends}
    proven = dict.fromkeys(backends, 0)
    by_bound = dict.fromkeys(backends, 0)
    matched = dict.fromkeys(backends, 0)
    slowest = dict.fromkeys(backends, "")
    for k in range(1, 13):
        for i in range(5):
            name = f"cattrysse1994/gap{k}-{i}"
            for sense in ("max", "min"):
                problem = read_gap(GAP / name, sense=Sense(sense))
                for backend in backends:
                    runs = [solve(problem, backend=backend, time_limit=30) for _ in range(repeat)]
                    seconds = statistics.median(r.seconds for r in runs)
                    if not times[backend] or seconds > max(times[backend]):
                        slowest[backend] = f"{Path(name).name} {sense}"
                    times[backend].append(seconds)
                    proven[backend] += all(r.status == Status.OPTIMAL for r in runs)
                    by_bound[backend] += runs[0].settings.get("proven_by") == "lagrangian"
                    objective = runs[0].objective
                    matched[backend] += (
                        objective is not None and round(objective) == known[(name, sense)]
                    )
    rows = [
        f"| {b} | {len(times[b])} | {proven[b]} | {matched[b]} | "
        f"{statistics.median(times[b]):.3f} s | {max(times[b]):.3f} s ({slowest[b]}) | "
        f"{sum(t >= 0.5 for t in times[b])} | {sum(t >= 1 for t in times[b])} | {by_bound[b]} |"
        for b in backends
    ]
    body = (
        "### GAP gap1-gap12 (OR-Library, 60 instances, both senses)\n\n"
        + header(args)
        + f"- load average before the run: {load_before}, after: {_load()}; every instance "
        f"{repeat} times per back-end (taking turns), its time the median of those\n"
        + "\n| back-end | instances | proven optimal | equal to the known optimum | median "
        "| max (instance) | 0.5 s or more | 1 s or more | proven by the Lagrangian bound alone |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n" + "\n".join(rows) + "\n"
    )
    print(body)
    _write_doc("placement-gap-small", body)


def gap_large(args: list[str], time_limit: float, types: str, backend: str) -> None:
    known = known_values()
    load = _load()
    rows = []
    files = sorted(
        [f"chu1997/{p.name}" for p in (GAP / "chu1997").iterdir()]
        + [f"yagiura2004/{p.name}" for p in (GAP / "yagiura2004").iterdir()]
    )
    for name in files:
        kind = Path(name).name[0]
        if kind not in types.split(","):
            continue
        problem = read_gap(GAP / name, sense=Sense.MIN)
        result = solve(problem, backend=backend, time_limit=time_limit)
        best = known.get((name, "min"))
        off = (
            f"{100 * (result.objective - best) / best:.2f} %"
            if result.objective is not None and best
            else "-"
        )
        settings = result.settings
        lagrangian = settings.get("lagrangian")
        bound = lagrangian.get("bound") if isinstance(lagrangian, dict) else None
        restarts = settings.get("restarts")
        rows.append(
            f"| {name} | {best} | {_number(result.objective)} | {result.status} | "
            f"{(result.gap or 0) * 100:.2f} % | {off} | {result.seconds:.1f} s | "
            f"{'-' if bound is None else f'{bound:.1f}'} | "
            f"{settings.get('pairs_removed', '-')} of {settings.get('pairs', '-')} | "
            f"{len(restarts) if isinstance(restarts, list) else 0} |"
        )
        print(rows[-1], flush=True)
    body = (
        f"### GAP types {types.upper()} (minimisation, {backend}, "
        f"time limit {time_limit:.0f} s)\n\n"
        + header(args)
        + f"- load average before the run: {load}, after: {_load()}\n"
        + "- Lagrangian bound, pairs removed by fixing and HiGHS restarts on a smaller problem: "
        "see ADR 0009; a companion search runs beside HiGHS on the second core: price-and-dive "
        "(ADR 0010, ADR 0011) and branch-and-price for the proof (ADR 0012, ADR 0013), "
        "which may take HiGHS's core for a second worker (ADR 0014). "
        "\"gap to own bound\" uses the result's bound, the tightest of HiGHS's, the "
        "Lagrangian one and the companion's\n"
        + "\n| instance | known | found | status | gap to own bound | above known | time "
        "| Lagrangian bound | pairs removed | restarts |\n"
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|\n" + "\n".join(rows) + "\n"
    )
    _write_doc(f"placement-gap-{types.replace(',', '')}-{backend}", body)


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def generate(seed: int, households: int, locations: int, municipalities: int) -> Instance:
    rng = random.Random(seed)
    codes = [f"GM{9000 + i:04d}" for i in range(municipalities)]
    features = [
        "wheelchair_accessible",
        "pets_allowed",
        "family_units",
        "medical_care_nearby",
        "ground_floor",
        "single_men_only",
    ]
    locs = tuple(
        Location(
            id=f"loc-{i}",
            municipality=codes[i % municipalities],
            free=rng.randint(2, 16),
            features=tuple(
                f for f in features if rng.random() < (0.04 if f == "single_men_only" else 0.3)
            ),
            unit_sizes=(2, 4, 6) if rng.random() < 0.15 else (),
        )
        for i in range(locations)
    )
    hhs = []
    for j in range(households):
        size = rng.choices([1, 2, 3, 4, 5, 6], weights=[34, 28, 20, 11, 5, 2])[0]
        needs = tuple(
            n
            for n, p in [("wheelchair", 0.06), ("pet", 0.05), ("medical_care", 0.05)]
            if rng.random() < p
        )
        kind = "single_man" if size == 1 and rng.random() < 0.2 else "family"
        ties = (rng.choice(codes),) if rng.random() < 0.3 else ()
        hhs.append(Household(id=f"hh-{j}", size=size, needs=needs, ties=ties, kind=kind))
    persons = sum(h.size for h in hhs)
    weights = [rng.lognormvariate(10, 0.6) for _ in codes]
    present = [rng.randint(0, 200) for _ in codes]
    total = persons + sum(present)
    munis = tuple(
        Municipality(code=c, target=round(total * w / sum(weights), 1), present=p)
        for c, w, p in zip(codes, weights, present, strict=True)
    )
    return Instance(households=tuple(hhs), locations=locs, municipalities=munis)


def greedy_baseline(instance: Instance) -> tuple[int, ...]:
    """Largest household first, into the municipality furthest below its target.

    Among the locations that can take the household now: the one whose municipality has the
    most room below its target, then the most free beds, then the first. (The suitable
    locations of each kind of household are listed once, not per household.)
    """
    free = np.asarray([loc.free for loc in instance.locations], dtype=np.int64)
    codes = sorted({loc.municipality for loc in instance.locations})
    number = {c: n for n, c in enumerate(codes)}
    target = {m.code: m for m in instance.municipalities}
    room = np.asarray([target[c].present - target[c].target for c in codes])  # placed - target
    municipality = np.asarray([number[loc.municipality] for loc in instance.locations])
    kinds = _options(instance)
    assignment = [-1] * len(instance.households)
    for j in sorted(range(len(instance.households)), key=lambda j: -instance.households[j].size):
        household = instance.households[j]
        kind = kinds[_base(household)]
        fits = kind.agents[free[kind.agents] >= kind.uses]
        if not len(fits):
            continue
        order = np.lexsort((fits, -free[fits], room[municipality[fits]]))
        i = int(fits[order[0]])
        assignment[j] = i
        free[i] -= usage(household, instance.locations[i]) or household.size
        room[municipality[i]] += household.size
    return tuple(assignment)


def feasible(instance: Instance, assignment: tuple[int, ...] | list[int]) -> bool:
    used = [0] * len(instance.locations)
    index = {h.id: j for j, h in enumerate(instance.households)}
    for j, i in enumerate(assignment):
        if i < 0:
            continue
        household, location = instance.households[j], instance.locations[i]
        if exclusion(household, location) is not None:
            return False
        used[i] += usage(household, location) or household.size
    if any(u > loc.free for u, loc in zip(used, instance.locations, strict=True)):
        return False
    for j, household in enumerate(instance.households):
        if any(assignment[index[o]] != assignment[j] for o in household.together_with):
            return False
        if any(assignment[index[o]] == assignment[j] >= 0 for o in household.apart_from):
            return False
    return True


def pulp_cbc(instance: Instance, time_limit: float) -> tuple[tuple[int, ...], float, str]:
    """The same model as the engine, written straightforwardly in PuLP and solved by CBC."""
    import pulp

    problem = to_problem(instance)
    model = pulp.LpProblem("placement", pulp.LpMaximize)
    x = {k: pulp.LpVariable(f"x{k}", cat="Binary") for k in range(len(problem.pairs))}
    dplus = {g: pulp.LpVariable(f"dp{g}", lowBound=0) for g in range(problem.n_groups)}
    dminus = {g: pulp.LpVariable(f"dm{g}", lowBound=0) for g in range(problem.n_groups)}
    model += pulp.lpSum(
        (p.value + problem.place_bonus) * x[k] for k, p in enumerate(problem.pairs)
    ) - problem.fairness_weight * pulp.lpSum(dplus[g] + dminus[g] for g in range(problem.n_groups))
    for j in range(problem.n_jobs):
        terms = [x[k] for k, p in enumerate(problem.pairs) if p.job == j]
        if terms:
            model += pulp.lpSum(terms) <= 1
    for i in range(problem.n_agents):
        terms = [p.use * x[k] for k, p in enumerate(problem.pairs) if p.agent == i]
        if terms:
            model += pulp.lpSum(terms) <= problem.capacity[i]
    for g in range(problem.n_groups):
        placed = pulp.lpSum(
            problem.weight(p.job) * x[k]
            for k, p in enumerate(problem.pairs)
            if problem.agent_group[p.agent] == g
        )
        model += placed - dplus[g] + dminus[g] == problem.group_target[g] - problem.group_present[g]
    model.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit, threads=1))
    assignment = [-1] * problem.n_jobs
    for k, p in enumerate(problem.pairs):
        if (x[k].value() or 0) > 0.5:
            assignment[p.job] = p.agent
    return tuple(assignment), float(pulp.value(model.objective)), pulp.LpStatus[model.status]


def _run(
    method: str,
    seed: int,
    households: int,
    locations: int,
    municipalities: int,
    time_limit: float,
    relative_gap: float,
) -> dict:
    instance = generate(seed, households, locations, municipalities)
    started = time.perf_counter()
    status, bound, gap, solver_seconds = "heuristic", None, None, None
    if method in ("highs", "cpsat"):
        # What the application calls: the model, the solve and the explanations.
        placement = place(
            instance, backend=method, time_limit=time_limit, relative_gap=relative_gap
        )
        result = placement.result
        assignment, status, bound, gap = (
            result.assignment,
            str(result.status),
            result.bound,
            result.gap,
        )
        solver_seconds = result.seconds
    elif method == "pulp+cbc":
        assignment, _objective, status = pulp_cbc(instance, time_limit)
    else:
        assignment = greedy_baseline(instance)
    seconds = time.perf_counter() - started
    target = {m.code: m for m in instance.municipalities}
    placed: dict[str, float] = {}
    for j, i in enumerate(assignment):
        if i >= 0:
            code = instance.locations[i].municipality
            placed[code] = placed.get(code, 0) + instance.households[j].size
    deviations = [abs(m.present + placed.get(c, 0) - m.target) for c, m in target.items()]
    return {
        "method": method,
        "feasible": feasible(instance, assignment),
        "objective": objective(instance, assignment),
        "status": status,
        "bound": bound,
        "gap": gap,
        "placed": sum(1 for a in assignment if a >= 0),
        "persons": sum(instance.households[j].size for j, a in enumerate(assignment) if a >= 0),
        "deviation": round(_deviation(instance, assignment), 1),
        "max_deviation": round(max(deviations), 1),
        "seconds": seconds,
        "solver_seconds": solver_seconds,
        # HiGHS searches in a child process (ADR 0008): the larger of the two peaks.
        "peak_mb": max(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        )
        / 1024,
    }


PULP_MAX_PAIRS = 2_000_000  # the per-pair PuLP model of the country (25M pairs) is not built


def region(
    args: list[str],
    seed: int,
    households: int,
    locations: int,
    municipalities: int,
    time_limit: float,
    relative_gap: float,
    repeat: int,
    methods: list[str],
) -> None:
    context = multiprocessing.get_context("spawn")
    load_before = _load()
    rows = []
    skipped = []
    for method in methods:
        if method == "pulp+cbc" and households * locations > PULP_MAX_PAIRS:
            skipped.append(method)
            continue
        runs = []
        for _ in range(1 if method == "pulp+cbc" else repeat):
            with context.Pool(1) as pool:
                r = pool.apply(
                    _run,
                    (method, seed, households, locations, municipalities, time_limit, relative_gap),
                )
            print(r, flush=True)
            runs.append(r)
        row = dict(runs[0])
        row["runs"] = len(runs)
        row["seconds"] = statistics.median(r["seconds"] for r in runs)
        if row["solver_seconds"] is not None:
            row["solver_seconds"] = statistics.median(r["solver_seconds"] for r in runs)
        row["peak_mb"] = max(r["peak_mb"] for r in runs)
        row["same"] = all(r["objective"] == runs[0]["objective"] for r in runs)
        rows.append(row)
    table = []
    for r in rows:
        gap = "" if r["gap"] is None else f"{100 * r['gap']:.3f} %"
        solver = "" if r["solver_seconds"] is None else f"{r['solver_seconds']:.2f} s"
        table.append(
            f"| {r['method']} | {r['status']} | {r['objective']:.0f} | {gap} | {r['placed']} | "
            f"{r['persons']} | {r['deviation']} | {r['max_deviation']} | {r['seconds']:.2f} s | "
            f"{solver} | {r['runs']} | {r['peak_mb']:.0f} MB |"
        )
    gap_note = (
        "" if relative_gap <= PROVEN else f", stop within {100 * relative_gap:g} % of the bound"
    )
    notes = "".join(
        f"\n{m}: not run, its per-pair model would have {households * locations:,} columns "
        "before pruning.\n"
        for m in skipped
    )
    body = (
        f"### Placement, generated instance: {households} households x {locations} locations x "
        f"{municipalities} municipalities (seed {seed}, time limit {time_limit:.0f} s{gap_note})"
        "\n\n"
        + header(args)
        + f"- load average before the run: {load_before}, after: {_load()}\n"
        + "\n| method | status | objective | gap | households placed | persons placed "
        "| total deviation | max deviation | time (median) | of which solver | runs "
        "| peak memory |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        + "\n".join(table)
        + "\n"
        + notes
    )
    print(body)
    within = "" if relative_gap <= PROVEN else f"-gap{relative_gap:g}"
    _write_doc(f"placement-region-{households}x{locations}{within}", body)


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["gap-small", "gap-large", "region"])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--types", default="a,b,c,d,e")
    parser.add_argument(
        "--backend",
        help="comma-separated; default: highs,cpsat for gap-small, highs for gap-large",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--households", type=int, default=1000)
    parser.add_argument("--locations", type=int, default=300)
    parser.add_argument("--municipalities", type=int, default=18)
    parser.add_argument("--relative-gap", type=float, default=PROVEN)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--methods", default="highs,cpsat,pulp+cbc,greedy")
    options = parser.parse_args()
    args = sys.argv[1:]
    if options.what == "gap-small":
        gap_small(args, options.repeat, (options.backend or "highs,cpsat").split(","))
    elif options.what == "gap-large":
        for backend in (options.backend or "highs").split(","):
            gap_large(args, options.time_limit, options.types, backend)
    else:
        region(
            args,
            options.seed,
            options.households,
            options.locations,
            options.municipalities,
            options.time_limit,
            options.relative_gap,
            options.repeat,
            options.methods.split(","),
        )


if __name__ == "__main__":
    main()
