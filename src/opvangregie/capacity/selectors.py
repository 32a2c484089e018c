"""Reads about locations and capacity, for any date.

Stays belong to the residents app; the figures here read them through ``Location.stays`` (the
reverse relation), so that one place answers "how full is a location".
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from opvangregie.core.validity import valid_on_q
from opvangregie.organisations.selectors import (
    housing_regions_on,
    municipalities_on,
    municipality_names_on,
)

from .constants import OPERATING_STATUSES, SHORT_STAY_TYPES, TaskKind
from .models import CapacityRecord, Location, LocationStatusEvent, Target


@dataclass(frozen=True)
class Figures:
    """The figures a coordinator reads for a location, a municipality or a region."""

    capacity: int = 0
    allocable: int = 0
    occupied: int = 0

    @property
    def free(self) -> int:
        return self.capacity - self.occupied

    @property
    def free_allocable(self) -> int:
        return max(self.allocable - self.occupied, 0)

    @property
    def blocked(self) -> int:
        return self.capacity - self.allocable

    @property
    def occupancy_pct(self) -> float | None:
        if self.capacity == 0:
            return None
        return round(100 * self.occupied / self.capacity, 1)

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(
            self.capacity + other.capacity,
            self.allocable + other.allocable,
            self.occupied + other.occupied,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "capacity": self.capacity,
            "allocable": self.allocable,
            "occupied": self.occupied,
            "free": self.free,
            "free_allocable": self.free_allocable,
            "occupancy_pct": self.occupancy_pct,
        }


# The columns of a location's figures in exports (CSV/XLSX from the pages, CSV on the command line).
EXPORT_COLUMNS = [
    "external_id",
    "name",
    "type",
    "municipality",
    "municipality_name",
    "housing_region",
    "status",
    "capacity",
    "allocable",
    "occupied",
    "free",
    "free_allocable",
    "occupancy_pct",
]


@dataclass(frozen=True)
class LocationFigures:
    location_id: int
    uuid: str
    external_id: str | None
    name: str
    type: str
    municipality_code: str
    municipality_name: str
    housing_region: str | None
    status: str | None
    figures: Figures

    @property
    def short_stay(self) -> bool:
        return self.type in SHORT_STAY_TYPES

    def as_dict(self) -> dict[str, Any]:
        return {
            "uuid": self.uuid,
            "external_id": self.external_id,
            "name": self.name,
            "type": self.type,
            "municipality": self.municipality_code,
            "municipality_name": self.municipality_name,
            "housing_region": self.housing_region,
            "status": self.status,
            **self.figures.as_dict(),
        }


@dataclass
class Occupancy:
    on: datetime.date
    locations: list[LocationFigures]
    municipalities: dict[str, Figures] = field(default_factory=dict)
    housing_regions: dict[str, Figures] = field(default_factory=dict)
    short_stay: Figures = field(default_factory=Figures)
    long_stay: Figures = field(default_factory=Figures)
    total: Figures = field(default_factory=Figures)

    def as_dict(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "locations": [loc.as_dict() for loc in self.locations],
            "municipalities": {k: v.as_dict() for k, v in self.municipalities.items()},
            "housing_regions": {k: v.as_dict() for k, v in self.housing_regions.items()},
            "short_stay": self.short_stay.as_dict(),
            "long_stay": self.long_stay.as_dict(),
            "total": self.total.as_dict(),
        }


def stays_on_q(day: datetime.date, prefix: str = "") -> Q:
    """Stays that count on ``day``: started on or before it, not ended by it."""
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gt": day})
    )


def annotate_figures(locations: QuerySet[Location], *, on: datetime.date) -> QuerySet[Location]:
    """Adds ``status_on``, ``beds_on`` and ``blocked_on`` (correlated subqueries, one query)."""
    status = LocationStatusEvent.objects.filter(
        location=OuterRef("pk"), effective_date__lte=on
    ).order_by("-effective_date")
    record = CapacityRecord.objects.filter(location=OuterRef("pk"), valid_from__lte=on).order_by(
        "-valid_from"
    )
    return locations.annotate(
        status_on=Subquery(status.values("status")[:1]),
        beds_on=Coalesce(
            Subquery(record.values("beds")[:1], output_field=IntegerField()), Value(0)
        ),
        blocked_on=Coalesce(
            Subquery(record.values("blocked_beds")[:1], output_field=IntegerField()), Value(0)
        ),
    )


def occupied_on(
    *, on: datetime.date, locations: QuerySet[Location] | None = None
) -> dict[int, int]:
    """Residents per location on a date, in one grouped query over the stays.

    Counting in a separate query (rather than a join with GROUP BY on every location column)
    keeps the all-locations figure fast: the database scans the stays once.
    """
    scope = Location.objects.all() if locations is None else locations.order_by()
    counted = (
        scope.filter(stays_on_q(on, "stays__"))
        .order_by()
        .values("pk")
        .annotate(n=Count("*"))  # (not the stay's id: the count reads the index only)
        .values_list("pk", "n")
    )
    return dict(counted)


def _figures(location: Any, occupied: int) -> Figures:
    operating = location["status_on"] in OPERATING_STATUSES
    return Figures(
        capacity=location["beds_on"] if operating else 0,
        allocable=(location["beds_on"] - location["blocked_on"]) if operating else 0,
        occupied=occupied,
    )


def occupancy_on(
    *,
    on: datetime.date,
    municipality: str | None = None,
    location_type: str | None = None,
    location_id: int | None = None,
    include_inactive: bool = False,
) -> Occupancy:
    """Per location and in totals (municipality, housing region, short/long stay, region)."""
    return summarise(
        on,
        location_figures_on(
            on=on,
            municipality=municipality,
            location_type=location_type,
            location_id=location_id,
            include_inactive=include_inactive,
        ),
    )


def location_figures_on(
    *,
    on: datetime.date,
    municipality: str | None = None,
    location_type: str | None = None,
    location_id: int | None = None,
    include_inactive: bool = False,
) -> list[LocationFigures]:
    """The figures of each location on a date, without the totals (for callers that add them up
    their own way).

    Reads plain values, not model instances: at national scale (thousands of locations) building
    the instances cost more than the queries."""
    locations = annotate_figures(
        Location.objects.order_by("municipality__name", "name"),
        on=on,
    )
    if municipality:
        locations = locations.filter(municipality__code=municipality.upper())
    if location_type:
        locations = locations.filter(type=location_type)
    if location_id is not None:
        locations = locations.filter(pk=location_id)
    regions = {code: name for code, (_code, name) in housing_regions_on(on=on).items()}
    filtered = bool(municipality or location_type or location_id is not None)
    occupied = occupied_on(on=on, locations=locations if filtered else None)
    rows: list[LocationFigures] = []
    for loc in locations.values(  # type: ignore[misc]  # annotated by annotate_figures
        "pk",
        "uuid",
        "external_id",
        "name",
        "type",
        "municipality__code",
        "municipality__name",
        "status_on",
        "beds_on",
        "blocked_on",
    ):
        figures = _figures(loc, occupied.get(loc["pk"], 0))
        if (
            not include_inactive
            and loc["status_on"] not in OPERATING_STATUSES
            and not figures.occupied
        ):
            continue
        code = loc["municipality__code"]
        rows.append(
            LocationFigures(
                location_id=loc["pk"],
                uuid=str(loc["uuid"]),
                external_id=loc["external_id"],
                name=loc["name"],
                type=loc["type"],
                municipality_code=code,
                municipality_name=loc["municipality__name"],
                housing_region=regions.get(code),
                status=loc["status_on"],
                figures=figures,
            )
        )
    return rows


def figures_per_municipality_and_type_on(
    *, on: datetime.date
) -> dict[tuple[str, str, str], Figures]:
    """The figures of all locations added up per municipality (code, name) and location type,
    summed by the database (two grouped queries): for the levels above the locations, without
    reading every location. Equal to adding up :func:`location_figures_on` (a test checks it);
    a location that is not operating adds its residents only."""
    operating = Q(status_on__in=OPERATING_STATUSES)
    zero = Value(0)
    sums = (
        annotate_figures(Location.objects.order_by(), on=on)
        .values("municipality__code", "municipality__name", "type")
        .annotate(
            capacity_sum=Sum(Case(When(operating, then=F("beds_on")), default=zero)),
            allocable_sum=Sum(
                Case(When(operating, then=F("beds_on") - F("blocked_on")), default=zero)
            ),
        )
        .values_list(
            "municipality__code", "municipality__name", "type", "capacity_sum", "allocable_sum"
        )
    )
    counted = (
        Location.objects.filter(stays_on_q(on, "stays__"))
        .order_by()
        .values("municipality__code", "type")
        .annotate(n=Count("*"))  # (not the stay's id: the count reads the index only)
        .values_list("municipality__code", "type", "n")
    )
    occupied = {(code, location_type): n for code, location_type, n in counted}
    return {
        (code, name, location_type): Figures(
            capacity or 0, allocable or 0, occupied.get((code, location_type), 0)
        )
        for code, name, location_type, capacity, allocable in sums
    }


def summarise(on: datetime.date, rows: Iterable[LocationFigures]) -> Occupancy:
    result = Occupancy(on=on, locations=list(rows))
    municipalities: dict[str, Figures] = defaultdict(Figures)
    regions: dict[str, Figures] = defaultdict(Figures)
    for row in result.locations:
        municipalities[row.municipality_code] += row.figures
        regions[row.housing_region or "-"] += row.figures
        if row.short_stay:
            result.short_stay += row.figures
        else:
            result.long_stay += row.figures
        result.total += row.figures
    result.municipalities = dict(sorted(municipalities.items()))
    result.housing_regions = dict(sorted(regions.items()))
    return result


def location_status_on(*, location: Location, on: datetime.date) -> str | None:
    event = (
        location.status_events.filter(effective_date__lte=on).order_by("-effective_date").first()
    )
    return event.status if event else None


def capacity_record_on(*, location: Location, on: datetime.date) -> CapacityRecord | None:
    return location.capacity.filter(valid_from__lte=on).order_by("-valid_from").first()


def first_overfull_day(
    *,
    location: Location,
    start: datetime.date,
    end: datetime.date | None,
    extra: int,
) -> tuple[datetime.date, int, int] | None:
    """The first day in [start, end) on which ``extra`` more people would not fit.

    Returns (day, occupied, allocable) or None. A location that is not operating has no
    allocable capacity. Occupancy only rises where a stay starts and allocable capacity only
    changes where a capacity record or a status starts, so checking those days suffices.
    Services call this inside their transaction, after locking the location, and (for a
    capacity or status change) after writing the change, so a refusal rolls it back.
    """
    stays = location.stays.filter(Q(end_date__isnull=True) | Q(end_date__gt=start))
    timeline = Timeline.of(location, stays.filter(**({"start_date__lt": end} if end else {})))
    days = {start}
    for changes in (timeline.stay_starts(), timeline.record_starts(), timeline.status_starts()):
        days.update(d for d in changes if d > start and (end is None or d < end))
    for day in sorted(d for d in days if end is None or d < end):
        occupied = timeline.occupied(day)
        beds, blocked = timeline.beds(day)
        if occupied + extra > beds - blocked:
            return day, occupied, beds - blocked
    return None


class Timeline:
    """One location's stays, capacity records and status events in memory, to answer for many
    days: beds and blocked beds (none while not operating) and residents.

    ``Timeline.of`` reads one location (three queries); ``Timeline.of_many`` reads many locations
    at once (also three queries), for figures over a period such as the finance declarations.
    """

    def __init__(
        self,
        *,
        stays: list[tuple[datetime.date, datetime.date | None]],
        records: list[tuple[datetime.date, int, int]],
        statuses: list[tuple[datetime.date, str]],
    ) -> None:
        self.stays = stays
        self.records = records
        self.statuses = statuses

    @classmethod
    def of(cls, location: Location, stays: QuerySet[Any]) -> "Timeline":
        return cls(
            stays=list(stays.values_list("start_date", "end_date")),
            records=list(
                location.capacity.order_by("valid_from").values_list(
                    "valid_from", "beds", "blocked_beds"
                )
            ),
            statuses=list(
                location.status_events.order_by("effective_date").values_list(
                    "effective_date", "status"
                )
            ),
        )

    @classmethod
    def of_many(
        cls, locations: QuerySet[Location], *, start: datetime.date, end: datetime.date
    ) -> dict[int, "Timeline"]:
        """Timelines of ``locations`` by location id, with the stays that overlap [start, end)."""
        ids = list(locations.order_by().values_list("pk", flat=True))
        timelines = {pk: cls(stays=[], records=[], statuses=[]) for pk in ids}
        records = CapacityRecord.objects.filter(location_id__in=ids).order_by(
            "location_id", "valid_from"
        )
        for pk, *record in records.values_list("location_id", "valid_from", "beds", "blocked_beds"):
            timelines[pk].records.append(tuple(record))  # type: ignore[arg-type]
        events = LocationStatusEvent.objects.filter(location_id__in=ids).order_by(
            "location_id", "effective_date"
        )
        for pk, day, status in events.values_list("location_id", "effective_date", "status"):
            timelines[pk].statuses.append((day, status))
        # The stays through the reverse relation (residents builds on capacity, not the reverse);
        # one filter() call, so every condition applies to the same stay.
        stays = (
            Location.objects.filter(
                Q(stays__end_date__isnull=True) | Q(stays__end_date__gt=start),
                pk__in=ids,
                stays__start_date__lt=end,
            )
            .order_by()
            .values_list("pk", "stays__start_date", "stays__end_date")
        )
        for pk, stay_start, stay_end in stays:
            timelines[pk].stays.append((stay_start, stay_end))
        return timelines

    def stay_starts(self) -> list[datetime.date]:
        return [start for start, _end in self.stays]

    def record_starts(self) -> list[datetime.date]:
        return [record[0] for record in self.records]

    def status_starts(self) -> list[datetime.date]:
        return [status[0] for status in self.statuses]

    def beds(self, day: datetime.date) -> tuple[int, int]:
        record = [r for r in self.records if r[0] <= day]
        status = [s for s in self.statuses if s[0] <= day]
        if not record or not status or status[-1][1] not in OPERATING_STATUSES:
            return 0, 0
        return record[-1][1], record[-1][2]

    def occupied(self, day: datetime.date) -> int:
        return sum(1 for start, end in self.stays if start <= day and (end is None or end > day))

    def allocable(self, day: datetime.date) -> int:
        beds, blocked = self.beds(day)
        return beds - blocked

    def occupied_days(self, start: datetime.date, end: datetime.date) -> int:
        """Person-days in [start, end): the residents counted on each of those days, summed."""
        total = 0
        for stay_start, stay_end in self.stays:
            first = max(stay_start, start)
            last = end if stay_end is None else min(stay_end, end)
            total += max((last - first).days, 0)
        return total


def pipeline(*, after: datetime.date) -> QuerySet[LocationStatusEvent]:
    """Planned openings and closings after a date."""
    return (
        LocationStatusEvent.objects.filter(effective_date__gt=after)
        .select_related("location", "location__municipality")
        .order_by("effective_date")
    )


@dataclass(frozen=True)
class Progress:
    code: str
    name: str
    target: int | None
    realised: int

    @property
    def difference(self) -> int | None:
        return None if self.target is None else self.realised - self.target

    @property
    def pct(self) -> float | None:
        if not self.target:
            return None
        return round(100 * self.realised / self.target, 1)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "target": self.target,
            "realised": self.realised,
            "difference": self.difference,
            "pct": self.pct,
        }


@dataclass
class TargetProgress:
    on: datetime.date
    kind: str
    municipalities: list[Progress]
    housing_regions: list[Progress]


def targets_on(*, on: datetime.date, municipality: str | None = None) -> dict[tuple[str, str], int]:
    """Targets valid on a date, by (kind, municipality code)."""
    targets = Target.objects.filter(valid_on_q(on))
    if municipality:
        targets = targets.filter(municipality__code=municipality)
    return {
        (kind, code): amount
        for kind, code, amount in targets.values_list("kind", "municipality__code", "amount")
    }


def targets_progress_on(
    *, on: datetime.date, kind: str = "ukrainian", realised_places: Mapping[str, int] | None = None
) -> TargetProgress:
    """Realised places against the target per municipality and housing region.

    Realised Ukrainian places are the beds of the municipality's operating long-stay locations
    (the CNO is a regional facility and counts for no municipality). A caller that has them
    already (the long-stay capacity per municipality code on ``on``) passes them as
    ``realised_places`` and saves computing the occupancy again.
    """
    targets = {code: amount for (k, code), amount in targets_on(on=on).items() if k == kind}
    realised: dict[str, int] = defaultdict(int)
    if realised_places is not None:
        realised.update(realised_places)
    elif kind == TaskKind.UKRAINIAN:
        for row in occupancy_on(on=on).locations:
            if not row.short_stay:
                realised[row.municipality_code] += row.figures.capacity
    municipalities = municipality_names_on(on=on)
    housing = housing_regions_on(on=on)
    rows = [
        Progress(code, name, targets.get(code), realised.get(code, 0))
        for code, name in municipalities
    ]
    regions: dict[str, list[Progress]] = defaultdict(list)
    for (code, _name), progress in zip(municipalities, rows, strict=True):
        regions[housing[code][1] if code in housing else "-"].append(progress)
    region_rows = [
        Progress(
            name,
            name,
            sum(r.target for r in members if r.target is not None)
            if any(r.target is not None for r in members)
            else None,
            sum(r.realised for r in members),
        )
        for name, members in sorted(regions.items())
    ]
    return TargetProgress(on=on, kind=kind, municipalities=rows, housing_regions=region_rows)


@dataclass(frozen=True)
class HistoryPoint:
    day: datetime.date
    capacity: int
    allocable: int
    occupied: int


def location_history(
    *, location: Location, start: datetime.date, end: datetime.date, points: int = 60
) -> list[HistoryPoint]:
    """Capacity and occupancy of one location on evenly spread days (three queries)."""
    span = max((end - start).days, 1)
    step = max(span // max(points - 1, 1), 1)
    days = [start + datetime.timedelta(days=d) for d in range(0, span + 1, step)]
    if days[-1] != end:
        days.append(end)
    timeline = Timeline.of(location, location.stays.all())
    history = []
    for day in days:
        beds, blocked = timeline.beds(day)
        history.append(HistoryPoint(day, beds, beds - blocked, timeline.occupied(day)))
    return history


def location_get(*, uuid: str) -> Location:
    return (
        Location.objects.select_related("municipality")
        .prefetch_related("features", "status_events", "capacity__units")
        .get(uuid=uuid)
    )


@dataclass(frozen=True)
class BroadTaskRow:
    code: str
    name: str
    housing_region: str
    ukrainian: Progress
    asylum_durable: int | None
    status_holder: int | None


@dataclass(frozen=True)
class BroadTask:
    rows: list[BroadTaskRow]
    housing_regions: list[Progress]  # Ukrainian places per housing region


def broad_task_on(
    *, on: datetime.date, realised_places: Mapping[str, int] | None = None
) -> BroadTask:
    """The broad task side by side per municipality: Ukrainian places (target and realised),
    the durable asylum places, and the status-holder housing task valid on ``on``
    (``realised_places`` as in :func:`targets_progress_on`)."""
    targets = targets_on(on=on)
    progress = targets_progress_on(on=on, kind=TaskKind.UKRAINIAN, realised_places=realised_places)
    ukrainian = {p.code: p for p in progress.municipalities}
    rows = [
        BroadTaskRow(
            code=m.cbs_code,
            name=m.name,
            housing_region=m.cooperation_region or "-",
            ukrainian=ukrainian[m.cbs_code],
            asylum_durable=targets.get((TaskKind.ASYLUM_DURABLE, m.cbs_code)),
            status_holder=targets.get((TaskKind.STATUS_HOLDER, m.cbs_code)),
        )
        for m in municipalities_on(on=on)
    ]
    return BroadTask(rows=rows, housing_regions=progress.housing_regions)
