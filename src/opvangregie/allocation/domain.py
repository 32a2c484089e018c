"""Placement as an assignment problem: households to locations, fair over municipalities.

The instance format (JSON) is documented in ``docs/placement.md``. Pairs a household cannot use
(a need the location does not meet, a location for single men only, more persons than beds)
are pruned before the model is built; what remains carries a score whose components are kept
for the explanation of every proposal.
"""

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .backends import solve_model
from .backends._build import PROVEN, Model, build
from .problem import Pair, Problem, Result, Sense, Status

NEED_FEATURE = {
    "wheelchair": "wheelchair_accessible",
    "pet": "pets_allowed",
    "medical_care": "medical_care_nearby",
    "ground_floor": "ground_floor",
}


@dataclass(frozen=True)
class Weights:
    """Objective weights, recorded with each run. Placing a household outweighs everything."""

    place: float = 1000.0  # per placed person: place as many as possible first
    tie: float = 20.0  # the location lies in a municipality the household has ties with
    family_unit: float = 5.0  # a household of three or more in family units
    waste: float = 2.0  # per bed a whole unit leaves empty
    fairness: float = 10.0  # per person of deviation from a municipality's fair share

    def as_dict(self) -> dict[str, float]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Household:
    id: str
    size: int
    needs: tuple[str, ...] = ()
    ties: tuple[str, ...] = ()  # municipality codes
    kind: str = "family"  # family, single_man, single_woman
    together_with: tuple[str, ...] = ()
    apart_from: tuple[str, ...] = ()


@dataclass(frozen=True)
class Location:
    id: str
    municipality: str
    free: int  # free allocable beds
    features: tuple[str, ...] = ()
    unit_sizes: tuple[int, ...] = ()  # a location that lets whole units: their sizes
    name: str = ""  # for explanations; the id when empty

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass(frozen=True)
class Municipality:
    code: str
    target: float  # fair share of the persons in the region (present + to place)
    present: float = 0.0


@dataclass(frozen=True)
class Instance:
    households: tuple[Household, ...]
    locations: tuple[Location, ...]
    municipalities: tuple[Municipality, ...] = ()
    weights: Weights = field(default_factory=Weights)


@dataclass(frozen=True)
class Proposal:
    household: str
    location: str | None
    municipality: str | None
    beds: int
    score: dict[str, float]
    explanation: str
    alternative: str | None = None
    alternative_reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Placement:
    result: Result
    proposals: tuple[Proposal, ...]
    weights: Weights
    deviation_before: float
    deviation_after: float

    def as_dict(self) -> dict[str, Any]:
        data = self.result.as_dict()
        data.pop("assignment")
        return {
            **data,
            "weights": self.weights.as_dict(),
            "placed": sum(1 for p in self.proposals if p.location),
            "unplaced": sum(1 for p in self.proposals if not p.location),
            "fairness": {
                "deviation_before": self.deviation_before,
                "deviation_after": self.deviation_after,
            },
            "proposals": [p.as_dict() for p in self.proposals],
        }


def instance_from_json(text: str) -> Instance:
    data = json.loads(text)
    weights = Weights(**data.get("weights", {}))
    return Instance(
        households=tuple(
            Household(
                id=str(h["id"]),
                size=int(h["size"]),
                needs=tuple(h.get("needs", ())),
                ties=tuple(h.get("ties", ())),
                kind=h.get("kind", "family"),
                together_with=tuple(map(str, h.get("together_with", ()))),
                apart_from=tuple(map(str, h.get("apart_from", ()))),
            )
            for h in data["households"]
        ),
        locations=tuple(
            Location(
                id=str(loc["id"]),
                municipality=loc["municipality"],
                free=int(loc["free"]),
                features=tuple(loc.get("features", ())),
                unit_sizes=tuple(sorted(int(s) for s in loc.get("unit_sizes", ()))),
                name=str(loc.get("name", "")),
            )
            for loc in data["locations"]
        ),
        municipalities=tuple(
            Municipality(
                code=m["code"], target=float(m["target"]), present=float(m.get("present", 0))
            )
            for m in data.get("municipalities", ())
        ),
        weights=weights,
    )


def usage(household: Household, location: Location) -> int | None:
    """Beds the household takes there: its size, or the smallest whole unit that fits."""
    if not location.unit_sizes:
        return household.size
    return next((s for s in location.unit_sizes if s >= household.size), None)


def exclusion(household: Household, location: Location) -> str | None:
    """Why a household can never go to a location (None when it can)."""
    missing = [
        n
        for n in household.needs
        if NEED_FEATURE.get(n) and NEED_FEATURE[n] not in location.features
    ]
    if missing:
        return "needs " + ", ".join(missing)
    if "single_men_only" in location.features and household.kind != "single_man":
        return "single men only"
    if "single_women_only" in location.features and household.kind != "single_woman":
        return "single women only"
    beds = usage(household, location)
    if beds is None:
        return "no unit large enough"
    if beds > location.free:
        return "too few free beds"
    return None


def score(household: Household, location: Location, weights: Weights) -> dict[str, float]:
    beds = usage(household, location) or household.size
    parts = {"place": weights.place * household.size}
    if location.municipality in household.ties:
        parts["tie"] = weights.tie
    if household.size >= 3 and "family_units" in location.features:
        parts["family_unit"] = weights.family_unit
    if beds > household.size:
        parts["waste"] = -weights.waste * (beds - household.size)
    return parts


def objective(instance: Instance, assignment: list[int] | tuple[int, ...]) -> float:
    """The engine's objective of an assignment (a location index per household, -1 for none),
    straight from the instance: the scores of the chosen pairs minus the fairness penalty.

    The same value as ``problem.evaluate(to_problem(instance), assignment)`` without listing
    every household/location pair; for overrides, reviews and benchmarks."""
    total = sum(
        sum(score(instance.households[j], instance.locations[i], instance.weights).values())
        for j, i in enumerate(assignment)
        if i >= 0
    )
    return total - instance.weights.fairness * _deviation(instance, assignment)


def to_problem(instance: Instance) -> Problem:
    municipalities = {m.code: g for g, m in enumerate(instance.municipalities)}
    pairs = []
    for j, household in enumerate(instance.households):
        for i, location in enumerate(instance.locations):
            if exclusion(household, location) is None:
                value = sum(score(household, location, instance.weights).values())
                pairs.append(
                    Pair(
                        job=j,
                        agent=i,
                        use=usage(household, location) or household.size,
                        value=value,
                    )
                )
    index = {h.id: j for j, h in enumerate(instance.households)}
    together = {
        tuple(sorted((index[h.id], index[o])))
        for h in instance.households
        for o in h.together_with
        if o in index
    }
    apart = {
        tuple(sorted((index[h.id], index[o])))
        for h in instance.households
        for o in h.apart_from
        if o in index
    }
    return Problem(
        n_jobs=len(instance.households),
        n_agents=len(instance.locations),
        capacity=tuple(loc.free for loc in instance.locations),
        pairs=tuple(pairs),
        sense=Sense.MAX,
        must_assign=False,
        job_weight=tuple(h.size for h in instance.households),
        agent_group=tuple(municipalities.get(loc.municipality, -1) for loc in instance.locations),
        group_target=tuple(m.target for m in instance.municipalities),
        group_present=tuple(m.present for m in instance.municipalities),
        fairness_weight=instance.weights.fairness,
        together=tuple(sorted(together)),  # type: ignore[arg-type]
        apart=tuple(sorted(apart)),  # type: ignore[arg-type]
    )


def place(
    instance: Instance,
    *,
    backend: str = "highs",
    time_limit: float = 60.0,
    seed: int = 0,
    relative_gap: float = PROVEN,
) -> Placement:
    """Propose a placement. ``relative_gap``: accept a solution this close to the bound
    (0.01: within 1 %) instead of proving it optimal; the result reports the gap."""
    started = time.perf_counter()  # the time limit counts the building of the model too
    problem, model = to_model(instance)
    result = solve_model(
        problem,
        model,
        backend=backend,
        time_limit=time_limit,
        seed=seed,
        started=started,
        relative_gap=relative_gap,
    )
    assignment = (
        result.assignment
        if result.status in (Status.OPTIMAL, Status.FEASIBLE)
        else tuple([-1] * problem.n_jobs)
    )
    return Placement(
        result=result,
        proposals=tuple(_explain(instance, assignment)),
        weights=instance.weights,
        deviation_before=_deviation(instance, [-1] * len(instance.households)),
        deviation_after=_deviation(instance, list(assignment)),
    )


def _base(household: Household) -> tuple[int, tuple[str, ...], str]:
    """What decides where a household may go and what it is worth, ties apart."""
    return (household.size, tuple(sorted(set(household.needs))), household.kind)


@dataclass
class _Options:
    """The locations a kind of household (``_base``) may use, their beds and values."""

    agents: np.ndarray
    uses: np.ndarray
    values: np.ndarray  # without the tie bonus
    municipality: np.ndarray  # of each of those locations, numbered as in ``_codes``
    reasons: set[str | None]


def _codes(instance: Instance) -> dict[str, int]:
    """A number for every municipality that has a location."""
    return {
        code: n for n, code in enumerate(sorted({loc.municipality for loc in instance.locations}))
    }


def _options(instance: Instance) -> dict[tuple[int, tuple[str, ...], str], _Options]:
    codes = _codes(instance)
    found: dict[tuple[int, tuple[str, ...], str], _Options] = {}
    for household in instance.households:
        key = _base(household)
        if key in found:
            continue
        typical = Household("", key[0], key[1], (), key[2])
        agents, uses, values, reasons = [], [], [], set()
        for i, location in enumerate(instance.locations):
            why = exclusion(typical, location)
            reasons.add(why)
            if why is None:
                agents.append(i)
                uses.append(usage(typical, location) or typical.size)
                values.append(sum(score(typical, location, instance.weights).values()))
        found[key] = _Options(
            np.asarray(agents, dtype=np.int64),
            np.asarray(uses, dtype=np.int64),
            np.asarray(values, dtype=np.float64),
            np.asarray(
                [codes[instance.locations[i].municipality] for i in agents],
                dtype=np.int64,
            ),
            reasons,
        )
    return found


def to_model(instance: Instance) -> tuple[Problem, Model]:
    """The merged model of ``backends._build`` straight from the instance.

    The same kind of model as ``build(to_problem(instance))`` (which may merge a little more:
    it pools any households with the same allowed pairs), without listing every
    household/location pair (10,000 x 3,000 would not fit in time or memory):
    households alike in size, needs and kind (``_base``) share the locations they may use and
    their values except for the tie bonus, so they form one pool; within it, households with
    the same ties form a class with its own columns at the locations of those municipalities.
    The returned problem has no pairs: it carries capacities, fairness and rules only.
    """
    header = to_problem(Instance((), instance.locations, instance.municipalities, instance.weights))
    households = instance.households
    index = {h.id: j for j, h in enumerate(households)}
    together = sorted(
        {
            tuple(sorted((index[h.id], index[o])))
            for h in households
            for o in h.together_with
            if o in index
        }
    )
    apart = sorted(
        {
            tuple(sorted((index[h.id], index[o])))
            for h in households
            for o in h.apart_from
            if o in index
        }
    )
    linked = {j for rule in (*together, *apart) for j in rule}
    problem = Problem(
        n_jobs=len(households),
        n_agents=header.n_agents,
        capacity=header.capacity,
        pairs=(),
        sense=Sense.MAX,
        job_weight=tuple(h.size for h in households),
        agent_group=header.agent_group,
        group_target=header.group_target,
        group_present=header.group_present,
        fairness_weight=header.fairness_weight,
        together=tuple(together),  # type: ignore[arg-type]
        apart=tuple(apart),  # type: ignore[arg-type]
    )
    options = _options(instance)
    tie = instance.weights.tie
    if tie < 0:  # a tie would make a location worth less: pools assume it adds
        return problem, build(to_problem(instance))
    codes = _codes(instance)
    classes: dict[object, int] = {}
    members: list[list[int]] = []
    class_base: list[tuple[int, tuple[str, ...], str]] = []
    class_ties: list[frozenset[int]] = []
    for j, household in enumerate(households):
        # Ties only count at locations: a municipality without one is no tie here.
        ties = frozenset(codes[t] for t in household.ties if t in codes) if tie else frozenset()
        key: object = ("job", j) if j in linked else (_base(household), ties)
        if key not in classes:
            classes[key] = len(members)
            members.append([])
            class_base.append(_base(household))
            class_ties.append(ties)
        members[classes[key]].append(j)

    pools_by_base: dict[object, list[int]] = defaultdict(list)
    for cls, jobs in enumerate(members):
        if jobs[0] not in linked and len(options[class_base[cls]].agents):
            pools_by_base[class_base[cls]].append(cls)
    pools = [group for group in pools_by_base.values() if len(group) > 1 and tie > 0]
    parts: list[tuple[np.ndarray, ...]] = []  # class, pool, agent, use, value, size

    def add(
        cls: int, pool: int, o: _Options, where: np.ndarray, value: np.ndarray, size: int
    ) -> None:
        n = int(np.count_nonzero(where))
        parts.append(
            (
                np.full(n, cls),
                np.full(n, pool),
                o.agents[where],
                o.uses[where],
                value[where],
                np.full(n, size),
            )
        )

    pooled: set[int] = set()
    for pool, group in enumerate(pools):
        pooled.update(group)
        o = options[class_base[group[0]]]
        common = frozenset.intersection(*(class_ties[c] for c in group))
        everywhere = np.ones(len(o.agents), dtype=bool)
        base = o.values + tie * np.isin(o.municipality, list(common))
        add(-1, pool, o, everywhere, base, sum(len(members[c]) for c in group))
        for cls in group:
            own = np.isin(o.municipality, list(class_ties[cls] - common))
            add(cls, pool, o, own, o.values + tie, len(members[cls]))
    single: dict[int, int] = {}  # first column of each class outside a pool
    for cls, jobs in enumerate(members):
        if cls in pooled:
            continue
        o = options[class_base[cls]]
        single[cls] = sum(len(p[0]) for p in parts)
        value = o.values + tie * np.isin(o.municipality, list(class_ties[cls]))
        add(cls, -1, o, np.ones(len(o.agents), dtype=bool), value, len(jobs))
    columns = [np.concatenate([p[i] for p in parts]) if parts else np.zeros(0) for i in range(6)]
    col_class, col_pool, col_agent, col_use = (c.astype(np.int64) for c in columns[:4])
    capacity = np.asarray(problem.capacity, dtype=np.int64)
    upper = np.minimum(columns[5].astype(np.int64), capacity[col_agent] // np.maximum(col_use, 1))
    sizes = np.asarray([households[m[0]].size for m in members], dtype=np.int64)
    pool_size = np.asarray([sizes[p[0]] for p in pools], dtype=np.int64)
    col_weight = np.where(
        col_class >= 0,
        sizes[np.maximum(col_class, 0)] if len(sizes) else 0,
        pool_size[np.maximum(col_pool, 0)] if len(pool_size) else 0,
    ).astype(np.int64)
    groups = np.asarray(problem.agent_group or [-1] * problem.n_agents, dtype=np.int64)

    def column_at(j: int) -> dict[int, int]:
        cls = classes[("job", j)]
        first = single[cls]
        agents = options[class_base[cls]].agents
        return {int(a): first + k for k, a in enumerate(agents)}

    rule_together = []
    for a, b in together:
        ka, kb = column_at(a), column_at(b)
        for agent in sorted(set(ka) | set(kb)):
            rule_together.append(
                ([ka[agent]] if agent in ka else [], [kb[agent]] if agent in kb else [])
            )
    rule_apart = []
    for a, b in apart:
        ka, kb = column_at(a), column_at(b)
        rule_apart += [(ka[agent], kb[agent]) for agent in sorted(set(ka) & set(kb))]
    model = Model(
        members=members,
        pools=pools,
        col_class=col_class,
        col_pool=col_pool,
        col_agent=col_agent,
        col_use=col_use,
        col_value=columns[4].astype(np.float64),
        col_weight=col_weight,
        col_group=groups[col_agent] if len(col_agent) else np.zeros(0, dtype=np.int64),
        col_upper=upper,
        together=rule_together,
        apart=rule_apart,
        impossible_jobs=[j for j, h in enumerate(households) if not len(options[_base(h)].agents)],
    )
    return problem, model


def _reasons_for(
    household: Household,
    location: Location,
    parts: dict[str, float],
    targets: dict[str, Municipality],
) -> list[str]:
    reasons = []
    if "tie" in parts:
        reasons.append(f"ties with {location.municipality}")
    if "family_unit" in parts:
        reasons.append("family units")
    needs = [n for n in household.needs if n in NEED_FEATURE]
    if needs:
        reasons.append("meets " + ", ".join(needs))
    m = targets.get(location.municipality)
    if m is not None and m.present < m.target:
        reasons.append(f"{location.municipality} is below its fair share")
    return reasons or ["a suitable location with room"]


def _placed_by_municipality(
    instance: Instance, assignment: list[int] | tuple[int, ...]
) -> dict[str, float]:
    placed: dict[str, float] = defaultdict(float)
    for j, i in enumerate(assignment):
        if i >= 0:
            placed[instance.locations[i].municipality] += instance.households[j].size
    return placed


def _deviation(instance: Instance, assignment: list[int] | tuple[int, ...]) -> float:
    placed = _placed_by_municipality(instance, assignment)
    return sum(abs(m.present + placed[m.code] - m.target) for m in instance.municipalities)


def _explain(instance: Instance, assignment: tuple[int, ...]) -> list[Proposal]:
    used: defaultdict[int, int] = defaultdict(int)
    for j, i in enumerate(assignment):
        if i >= 0:
            used[i] += usage(instance.households[j], instance.locations[i]) or 0
    placed = _placed_by_municipality(instance, assignment)
    targets = {m.code: m for m in instance.municipalities}
    proposals = []
    kinds = _options(instance)  # per kind of household, not per household: 10,000 x 3,000
    codes = _codes(instance)
    for j, household in enumerate(instance.households):
        chosen = assignment[j]
        kind = kinds[_base(household)]
        if chosen < 0:
            if not len(kind.agents):
                reasons = "; ".join(sorted(r for r in kind.reasons if r))
                why = "no location can take it: " + reasons
            else:
                why = "every suitable location is full"
            proposals.append(Proposal(household.id, None, None, 0, {}, f"Not placed: {why}."))
            continue
        location = instance.locations[chosen]
        parts = score(household, location, instance.weights)
        reasons_for = _reasons_for(household, location, parts, targets)
        ties = [codes[t] for t in household.ties if t in codes]
        values = kind.values + instance.weights.tie * np.isin(kind.municipality, ties)
        values = np.where(kind.agents == chosen, -np.inf, values)
        alternative = reason = alternative_label = None
        if len(values) and np.isfinite(values.max()):
            # The best other location; among equals the last one, as before.
            best_value = float(values.max())
            best = int(kind.agents[np.flatnonzero(values == best_value)[-1]])
            alt = instance.locations[best]
            alternative, alternative_label = alt.id, alt.label
            need = usage(household, alt) or household.size
            m = targets.get(alt.municipality)
            if used[best] + need > alt.free:
                reason = "full with other proposed households"
            elif (
                alt.municipality != location.municipality
                and m is not None
                and m.present + placed[alt.municipality] + household.size > m.target
            ):
                reason = f"would push {alt.municipality} further above its fair share"
            elif best_value < sum(parts.values()):
                reason = "it fits less well"
            else:
                reason = "equally suitable"
        text = (
            f"{household.id} ({household.size}) to {location.label} in {location.municipality}: "
            + ", ".join(reasons_for)
            + (f"; not {alternative_label}: {reason}." if alternative else ".")
        )
        proposals.append(
            Proposal(
                household.id,
                location.id,
                location.municipality,
                usage(household, location) or household.size,
                parts,
                text,
                alternative,
                reason,
            )
        )
    return proposals
