"""Reads of finance: who may see what, the rates on a day, and the computations.

Definitions (docs/finance.md):

- A *realised place* on a day is a bed that can be allocated (beds minus blocked beds) at an
  operating (open or closing) municipal or other location of the municipality on that day, as
  the capacity history says (``capacity.selectors.Timeline``). The crisis location (CNO) is the
  region's and is on the TWOV's cost statement instead. *Place-days* are realised places summed
  over the days.
- Private hosting is paid per person per month: its *person-days* are the residents counted on
  each day (from the stays); a day is worth the monthly rate divided by the days of its month.
- Every amount is computed exactly (``Decimal``) and rounded once per line, half up, to cents;
  totals are sums of the rounded lines, so they always equal what the lines show.
"""

import datetime
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from opvangregie.accounts.models import User
from opvangregie.accounts.selectors import (
    finance_municipalities,
    is_coordinator,
    officer_municipalities,
)
from opvangregie.capacity.constants import SHORT_STAY_TYPES
from opvangregie.capacity.models import Location
from opvangregie.capacity.selectors import Timeline
from opvangregie.core.dates import today
from opvangregie.organisations.constants import OrganisationKind
from opvangregie.organisations.models import Organisation
from opvangregie.residents.models import Stay

from .constants import LOCATION_RATE_KIND, RATE_UNITS, CostCategory, RateKind, RateUnit
from .models import (
    CostEntry,
    CostStatement,
    Declaration,
    LivingAllowanceTable,
    LocationCatering,
    PersonalContributionRule,
    PersonIncome,
    StandardRate,
)

CENT = Decimal("0.01")
ONE_DAY = datetime.timedelta(days=1)


def money(value: Decimal) -> Decimal:
    """The rounding rule: half up to whole cents."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def days_in_month(day: datetime.date) -> int:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return (following - day.replace(day=1)).days


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day of the month of ``month``."""
    first = month.replace(day=1)
    return first, first + datetime.timedelta(days=days_in_month(first) - 1)


def _days(first_day: datetime.date, last_day: datetime.date) -> Iterator[datetime.date]:
    day = first_day
    while day <= last_day:
        yield day
        day += ONE_DAY


def _overlapping_q(first_day: datetime.date, last_day: datetime.date) -> Q:
    """Validity periods [valid_from, valid_to) that share a day with [first_day, last_day]."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=last_day)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gt=first_day)
    )


def _holds(record: Any, day: datetime.date) -> bool:
    return (record.valid_from is None or record.valid_from <= day) and (
        record.valid_to is None or record.valid_to > day
    )


def checksum(figures: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a statement's figures (sorted keys, no spaces)."""
    text = json.dumps(figures, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- Who may see what -------------------------------------------------------------------------


def finance_scope(*, user: User) -> set[str] | None:
    """The municipalities whose finance pages the user may open (None: all of them).

    Coordinators see every municipality; municipal officers and finance officers their own.
    """
    if is_coordinator(user=user):
        return None
    return officer_municipalities(user=user) | finance_municipalities(user=user)


def may_view_finance(*, user: User, municipality: str) -> bool:
    scope = finance_scope(user=user)
    return scope is None or municipality in scope


def may_see_household_amounts(*, user: User, municipality: str) -> bool:
    """The one rule for amounts per household: coordinators and the municipality's finance
    officers see them; everyone else (also the municipal officer) sees totals only."""
    return is_coordinator(user=user) or municipality in finance_municipalities(user=user)


def may_submit_declaration(*, user: User, municipality: str) -> bool:
    return is_coordinator(user=user) or municipality in finance_municipalities(user=user)


def may_submit_any_declaration(*, user: User) -> bool:
    return is_coordinator(user=user) or bool(finance_municipalities(user=user))


def may_manage_costs(*, user: User) -> bool:
    """The TWOV's costs and cost statements are the coordinators'."""
    return is_coordinator(user=user)


def municipalities_visible_to(*, user: User) -> QuerySet[Organisation]:
    municipalities = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
    scope = finance_scope(user=user)
    if scope is not None:
        municipalities = municipalities.filter(code__in=scope)
    return municipalities.order_by("name")


def declarations_visible_to(*, user: User) -> QuerySet[Declaration]:
    declarations = Declaration.objects.select_related("municipality", "submitted_by", "previous")
    scope = finance_scope(user=user)
    if scope is not None:
        declarations = declarations.filter(municipality__code__in=scope)
    return declarations


def cost_statements_visible_to(*, user: User) -> QuerySet[CostStatement]:
    statements = CostStatement.objects.select_related("organisation", "submitted_by", "previous")
    return statements if may_manage_costs(user=user) else statements.none()


def municipality_get(*, code: str) -> Organisation:
    """The municipality with CBS code ``code``; ``Organisation.DoesNotExist`` if there is none."""
    return Organisation.objects.get(code=code.upper(), kind=OrganisationKind.MUNICIPALITY)


# --- Rates ------------------------------------------------------------------------------------


def rates_overlapping(
    *, kind: str, valid_from: datetime.date | None, valid_to: datetime.date | None
) -> QuerySet[StandardRate]:
    """Rates of ``kind`` whose period shares a day with [valid_from, valid_to)."""
    rates = StandardRate.objects.filter(kind=kind)
    if valid_to is not None:
        rates = rates.filter(Q(valid_from__isnull=True) | Q(valid_from__lt=valid_to))
    if valid_from is not None:
        rates = rates.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=valid_from))
    return rates


def rate_on(rates: Iterable[StandardRate], day: datetime.date) -> StandardRate | None:
    holding = [r for r in rates if _holds(r, day)]
    if len(holding) > 1:
        raise ValidationError(
            _("Two standard rates of the same kind hold on %(day)s: %(codes)s.")
            % {"day": day.isoformat(), "codes": ", ".join(r.code for r in holding)}
        )
    return holding[0] if holding else None


def latest_rated_day() -> datetime.date | None:
    """The last day for which every kind of standard rate is known (None: open-ended)."""
    ends: list[datetime.date] = []
    for kind in RateKind.values:
        rates = list(StandardRate.objects.filter(kind=kind))
        if not rates:
            continue
        if any(r.valid_to is None for r in rates):
            continue
        ends.append(max(r.valid_to for r in rates if r.valid_to) - ONE_DAY)
    return min(ends) if ends else None


def default_quarter(*, on: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last complete quarter before ``on`` (today) for which the rates are known."""
    day = on or today()
    latest = latest_rated_day()
    if latest is not None and latest < day:
        day = latest + ONE_DAY
    quarter_start = datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    last = quarter_start - ONE_DAY
    first = datetime.date(last.year, last.month - 2, 1)
    return first, last


# --- The declaration --------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """Consecutive days on which one rate (and, for monthly rates, one month) applies."""

    first_day: datetime.date
    last_day: datetime.date
    rate: StandardRate | None
    divisor: int  # 1 for a rate per day; the days of the month for a rate per month

    @property
    def end(self) -> datetime.date:
        return self.last_day + ONE_DAY


def segments(
    *, kind: str, first_day: datetime.date, last_day: datetime.date, rates: list[StandardRate]
) -> list[Segment]:
    """[first_day, last_day] split where the rate changes (and, per month, for monthly rates)."""
    monthly = RATE_UNITS[kind] == RateUnit.PERSON_MONTH
    result: list[Segment] = []
    for day in _days(first_day, last_day):
        rate = rate_on(rates, day)
        divisor = days_in_month(day) if monthly else 1
        previous = result[-1] if result else None
        if (
            previous is not None
            and previous.rate == rate
            and (not monthly or previous.last_day.month == day.month)
        ):
            result[-1] = Segment(previous.first_day, day, rate, divisor)
        else:
            result.append(Segment(day, day, rate, divisor))
    return result


@dataclass(frozen=True)
class DeclarationLine:
    location_uuid: str
    location_name: str
    location_type: str
    kind: str
    unit: str
    first_day: datetime.date
    last_day: datetime.date
    quantity: int  # place-days or person-days
    rate: Decimal | None
    rate_code: str | None
    divisor: int
    amount: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {
            "location": self.location_uuid,
            "location_name": self.location_name,
            "location_type": self.location_type,
            "kind": self.kind,
            "unit": self.unit,
            "first_day": self.first_day.isoformat(),
            "last_day": self.last_day.isoformat(),
            "quantity": self.quantity,
            "rate": None if self.rate is None else str(self.rate),
            "rate_code": self.rate_code,
            "divisor": self.divisor,
            "amount": str(self.amount),
        }


@dataclass(frozen=True)
class LocationTotal:
    location_uuid: str
    location_name: str
    location_type: str
    kind: str
    quantity: int
    average: Decimal  # realised places (or residents) on an average day of the period
    amount: Decimal


@dataclass(frozen=True)
class MissingRate:
    kind: str
    first_day: datetime.date
    last_day: datetime.date
    quantity: int


@dataclass
class DeclarationFigures:
    municipality_code: str
    municipality_name: str
    first_day: datetime.date
    last_day: datetime.date
    lines: list[DeclarationLine] = field(default_factory=list)
    missing: list[MissingRate] = field(default_factory=list)

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    def totals_by_kind(self) -> dict[str, dict[str, Any]]:
        totals: dict[str, dict[str, Any]] = {}
        for kind in RateKind.values:
            lines = [line for line in self.lines if line.kind == kind]
            if lines:
                totals[kind] = {
                    "unit": RATE_UNITS[kind],
                    "quantity": sum(line.quantity for line in lines),
                    "amount": sum((line.amount for line in lines), Decimal("0.00")),
                }
        return totals

    def locations(self) -> list[LocationTotal]:
        grouped: dict[tuple[str, str], list[DeclarationLine]] = defaultdict(list)
        for line in self.lines:
            grouped[(line.location_uuid, line.kind)].append(line)
        result = []
        for lines in grouped.values():
            quantity = sum(line.quantity for line in lines)
            result.append(
                LocationTotal(
                    location_uuid=lines[0].location_uuid,
                    location_name=lines[0].location_name,
                    location_type=lines[0].location_type,
                    kind=lines[0].kind,
                    quantity=quantity,
                    average=(Decimal(quantity) / self.days).quantize(Decimal("0.1")),
                    amount=sum((line.amount for line in lines), Decimal("0.00")),
                )
            )
        return result

    def as_dict(self) -> dict[str, Any]:
        """The figures as frozen: JSON with amounts as strings (exact), dates as ISO."""
        return {
            "municipality": self.municipality_code,
            "municipality_name": self.municipality_name,
            "first_day": self.first_day.isoformat(),
            "last_day": self.last_day.isoformat(),
            "lines": [line.as_dict() for line in self.lines],
            "totals": {
                kind: {**values, "amount": str(values["amount"])}
                for kind, values in self.totals_by_kind().items()
            },
            "missing_rates": [
                {
                    "kind": m.kind,
                    "first_day": m.first_day.isoformat(),
                    "last_day": m.last_day.isoformat(),
                    "quantity": m.quantity,
                }
                for m in self.missing
            ],
            "total": str(self.total),
        }


def _check_period(first_day: datetime.date, last_day: datetime.date) -> None:
    if last_day < first_day:
        raise ValidationError(_("The period ends before it starts."))
    if (last_day - first_day).days > 366:
        raise ValidationError(_("A period covers at most a year."))


def _rated_locations(municipalities: Iterable[Organisation]) -> QuerySet[Location]:
    return (
        Location.objects.filter(municipality__in=municipalities, type__in=list(LOCATION_RATE_KIND))
        .select_related("municipality")
        .order_by("name", "pk")
    )


def _segments_by_kind(
    first_day: datetime.date, last_day: datetime.date
) -> dict[str, list[Segment]]:
    rates = list(
        StandardRate.objects.filter(_overlapping_q(first_day, last_day)).order_by("valid_from")
    )
    return {
        kind: segments(
            kind=kind,
            first_day=first_day,
            last_day=last_day,
            rates=[r for r in rates if r.kind == kind],
        )
        for kind in RateKind.values
    }


def _declaration(
    figures: DeclarationFigures,
    locations: Iterable[Location],
    timelines: dict[int, Timeline],
    by_kind: dict[str, list[Segment]],
) -> DeclarationFigures:
    missing: dict[tuple[str, datetime.date], int] = defaultdict(int)
    for location in locations:
        kind = LOCATION_RATE_KIND[location.type]
        unit = RATE_UNITS[kind]
        timeline = timelines[location.pk]
        for segment in by_kind[kind]:
            if unit == RateUnit.PLACE_DAY:
                quantity = sum(
                    timeline.allocable(day) for day in _days(segment.first_day, segment.last_day)
                )
            else:
                quantity = timeline.occupied_days(segment.first_day, segment.end)
            if not quantity:
                continue
            if segment.rate is None:
                missing[(kind, segment.first_day)] += quantity
                amount = Decimal("0.00")
            else:
                amount = money(quantity * segment.rate.amount / segment.divisor)
            figures.lines.append(
                DeclarationLine(
                    location_uuid=str(location.uuid),
                    location_name=location.name,
                    location_type=location.type,
                    kind=kind,
                    unit=unit,
                    first_day=segment.first_day,
                    last_day=segment.last_day,
                    quantity=quantity,
                    rate=None if segment.rate is None else segment.rate.amount,
                    rate_code=None if segment.rate is None else segment.rate.code,
                    divisor=segment.divisor,
                    amount=amount,
                )
            )
    segment_ends = {(k, s.first_day): s.last_day for k, segs in by_kind.items() for s in segs}
    figures.missing = [
        MissingRate(kind, start, segment_ends[(kind, start)], quantity)
        for (kind, start), quantity in sorted(missing.items())
    ]
    return figures


def declarations_compute(
    *, municipalities: list[Organisation], first_day: datetime.date, last_day: datetime.date
) -> list[DeclarationFigures]:
    """The declarations of several municipalities over [first_day, last_day]: per location and
    rate segment, the place-days (or person-days) times the rate. Five queries, however many
    municipalities and locations."""
    _check_period(first_day, last_day)
    locations = list(_rated_locations(municipalities))
    timelines = Timeline.of_many(
        _rated_locations(municipalities), start=first_day, end=last_day + ONE_DAY
    )
    by_kind = _segments_by_kind(first_day, last_day)
    per_municipality: dict[int, list[Location]] = defaultdict(list)
    for location in locations:
        per_municipality[location.municipality_id].append(location)
    return [
        _declaration(
            DeclarationFigures(
                municipality_code=m.code,
                municipality_name=m.name,
                first_day=first_day,
                last_day=last_day,
            ),
            per_municipality[m.pk],
            timelines,
            by_kind,
        )
        for m in municipalities
    ]


def declaration_compute(
    *, municipality: Organisation, first_day: datetime.date, last_day: datetime.date
) -> DeclarationFigures:
    """The declaration of one municipality (see :func:`declarations_compute`)."""
    [figures] = declarations_compute(
        municipalities=[municipality], first_day=first_day, last_day=last_day
    )
    return figures


@dataclass(frozen=True)
class MunicipalitySummary:
    code: str
    name: str
    place_days: int
    person_days: int
    amount: Decimal
    missing_rates: bool
    declared: Declaration | None


def declarations_overview(
    *, user: User, first_day: datetime.date, last_day: datetime.date
) -> list[MunicipalitySummary]:
    """Per municipality the user may see: the computed totals of the period and the latest
    declaration submitted for exactly this period."""
    latest: dict[str, Declaration] = {}
    for declaration in declarations_visible_to(user=user).filter(
        first_day=first_day, last_day=last_day
    ):
        code = declaration.municipality.code
        if code not in latest or latest[code].version < declaration.version:
            latest[code] = declaration
    municipalities = list(municipalities_visible_to(user=user))
    rows = []
    for municipality, figures in zip(
        municipalities,
        declarations_compute(municipalities=municipalities, first_day=first_day, last_day=last_day),
        strict=True,
    ):
        totals = figures.totals_by_kind()
        rows.append(
            MunicipalitySummary(
                code=municipality.code,
                name=municipality.name,
                place_days=totals.get(RateKind.MUNICIPAL_RECEPTION, {}).get("quantity", 0),
                person_days=totals.get(RateKind.PRIVATE_HOSTING, {}).get("quantity", 0),
                amount=figures.total,
                missing_rates=bool(figures.missing),
                declared=latest.get(municipality.code),
            )
        )
    return rows


# --- Versions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    key: str
    label: str
    quantity_before: int
    quantity_after: int
    amount_before: Decimal
    amount_after: Decimal

    @property
    def quantity_change(self) -> int:
        return self.quantity_after - self.quantity_before

    @property
    def amount_change(self) -> Decimal:
        return self.amount_after - self.amount_before


def _declaration_parts(figures: dict[str, Any]) -> dict[str, tuple[str, int, Decimal]]:
    parts: dict[str, tuple[str, int, Decimal]] = {}
    for line in figures.get("lines", []):
        key = f"{line['location']}/{line['kind']}"
        label, quantity, amount = parts.get(key, (line["location_name"], 0, Decimal("0.00")))
        parts[key] = (label, quantity + line["quantity"], amount + Decimal(line["amount"]))
    return parts


def _cost_parts(figures: dict[str, Any]) -> dict[str, tuple[str, int, Decimal]]:
    # Labels in the reader's language: the frozen figures hold codes only, so that the checksum
    # does not depend on the language of whoever submitted them.
    return {
        category: (str(CostCategory(category).label), values["count"], Decimal(values["amount"]))
        for category, values in figures.get("categories", {}).items()
    }


def statement_difference(*, before: dict[str, Any], after: dict[str, Any]) -> list[Difference]:
    """What changed between two versions of a statement: per location (declarations) or per
    cost category (cost statements); unchanged parts are left out."""
    parts = _cost_parts if "categories" in after else _declaration_parts
    old, new = parts(before), parts(after)
    zero = ("", 0, Decimal("0.00"))
    result = []
    for key in list(new) + [k for k in old if k not in new]:
        label_old, q_old, a_old = old.get(key, zero)
        label_new, q_new, a_new = new.get(key, zero)
        if (q_old, a_old) != (q_new, a_new):
            result.append(Difference(key, label_new or label_old, q_old, q_new, a_old, a_new))
    return result


def statement_intact(statement: Declaration | CostStatement) -> bool:
    """Whether the stored figures still match the checksum taken when they were frozen."""
    return checksum(statement.figures) == statement.checksum


# --- Living allowance and personal contribution -----------------------------------------------


def _age(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


@dataclass(frozen=True)
class HouseholdMonth:
    household_uuid: str
    household: str  # the external id or the start of the UUID: never a name
    days: int  # days on which someone of the household stayed in the municipality
    persons: int  # most persons present on one day
    earners: int  # most persons with income on one day
    allowance: Decimal
    contribution: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {
            "household": self.household_uuid,
            "reference": self.household,
            "days": self.days,
            "persons": self.persons,
            "earners": self.earners,
            "allowance": str(self.allowance),
            "contribution": str(self.contribution),
        }


@dataclass
class AllowanceFigures:
    municipality_code: str
    municipality_name: str
    month: datetime.date  # the first day
    households: list[HouseholdMonth] = field(default_factory=list)
    days_without_table: list[datetime.date] = field(default_factory=list)

    @property
    def allowance_total(self) -> Decimal:
        return sum((h.allowance for h in self.households), Decimal("0.00"))

    @property
    def contribution_total(self) -> Decimal:
        return sum((h.contribution for h in self.households), Decimal("0.00"))

    def as_dict(self, *, per_household: bool) -> dict[str, Any]:
        body: dict[str, Any] = {
            "municipality": self.municipality_code,
            "month": self.month.strftime("%Y-%m"),
            "households": len(self.households),
            "allowance_total": str(self.allowance_total),
            "contribution_total": str(self.contribution_total),
            "days_without_table": [d.isoformat() for d in self.days_without_table],
        }
        if per_household:
            body["lines"] = [h.as_dict() for h in self.households]
        return body


def _allowance_monthly(
    table: LivingAllowanceTable, births: list[datetime.date], day: datetime.date
) -> Decimal:
    if not births:
        return Decimal("0.00")
    rows = sorted(table.rows.all(), key=lambda r: r.household_size or 0)
    row = None
    for candidate in rows:
        if (candidate.household_size or 0) <= len(births):
            row = candidate
    if row is None:
        return Decimal("0.00")
    adults = sum(1 for b in births if _age(b, day) >= table.adult_age)
    children = len(births) - adults
    return row.base_amount + adults * row.per_adult + children * row.per_child


def _contribution_monthly(
    rule: PersonalContributionRule, earners: list[tuple[datetime.date, bool]], day: datetime.date
) -> Decimal:
    amount = sum(
        (
            rule.per_adult + (rule.catering_per_adult if catering else Decimal("0"))
            for birth, catering in earners
            if _age(birth, day) >= rule.adult_age
        ),
        Decimal("0.00"),
    )
    if rule.household_maximum is not None:
        amount = min(amount, rule.household_maximum)
    return amount


def allowance_compute(*, municipality: Organisation, month: datetime.date) -> AllowanceFigures:
    """Living allowance due to, and personal contributions due from, each household that stayed
    in the municipality (not at the CNO) in ``month``.

    For every day, the household's members present that day count: those without income for
    the allowance table valid that day, those with income (adults) for the contribution rule
    valid that day (with the catering part where their location provides meals). A month's
    amount is the sum over its days of the monthly amount for that day's composition, divided
    by the days of the month, rounded once (half up to cents): changes within a month are
    prorated by day.
    """
    first_day, last_day = month_bounds(month)
    end = last_day + ONE_DAY
    figures = AllowanceFigures(
        municipality_code=municipality.code, municipality_name=municipality.name, month=first_day
    )
    stays = list(
        Stay.objects.filter(
            location__municipality=municipality,
            start_date__lt=end,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=first_day))
        .exclude(location__type__in=SHORT_STAY_TYPES)
        .values_list(
            "person_id",
            "person__birth_date",
            "person__household_id",
            "person__household__uuid",
            "person__household__external_id",
            "location_id",
            "start_date",
            "end_date",
        )
    )
    persons = {s[0] for s in stays}
    incomes: dict[int, list[PersonIncome]] = defaultdict(list)
    for income in PersonIncome.objects.filter(
        _overlapping_q(first_day, last_day), person_id__in=persons
    ):
        incomes[income.person_id].append(income)
    catering: dict[int, list[LocationCatering]] = defaultdict(list)
    for service in LocationCatering.objects.filter(
        _overlapping_q(first_day, last_day), location_id__in={s[5] for s in stays}
    ):
        catering[service.location_id].append(service)
    tables = list(
        LivingAllowanceTable.objects.filter(_overlapping_q(first_day, last_day)).prefetch_related(
            Prefetch("rows")
        )
    )
    rules = list(PersonalContributionRule.objects.filter(_overlapping_q(first_day, last_day)))
    households: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for stay in stays:
        households[stay[2]].append(stay)
    divisor = days_in_month(first_day)
    missing: set[datetime.date] = set()
    for members in households.values():
        allowance_sum = contribution_sum = Decimal("0.00")
        days = most_persons = most_earners = 0
        for day in _days(first_day, last_day):
            present = [s for s in members if s[6] <= day and (s[7] is None or s[7] > day)]
            if not present:
                continue
            days += 1
            most_persons = max(most_persons, len(present))
            earning = [s for s in present if any(_holds(i, day) for i in incomes[s[0]])]
            most_earners = max(most_earners, len(earning))
            table = next((t for t in tables if _holds(t, day)), None)
            rule = next((r for r in rules if _holds(r, day)), None)
            without_income = [s[1] for s in present if s not in earning]
            if table is None:
                if without_income:
                    missing.add(day)
            else:
                allowance_sum += _allowance_monthly(table, without_income, day)
            if rule is not None and earning:
                contribution_sum += _contribution_monthly(
                    rule,
                    [(s[1], any(_holds(c, day) for c in catering[s[5]])) for s in earning],
                    day,
                )
        if not days:
            continue
        first = members[0]
        figures.households.append(
            HouseholdMonth(
                household_uuid=str(first[3]),
                household=first[4] or str(first[3])[:8],
                days=days,
                persons=most_persons,
                earners=most_earners,
                allowance=money(allowance_sum / divisor),
                contribution=money(contribution_sum / divisor),
            )
        )
    figures.households.sort(key=lambda h: h.household)
    figures.days_without_table = sorted(missing)
    return figures


# --- The TWOV's costs -------------------------------------------------------------------------


def cost_entries(*, first_day: datetime.date, last_day: datetime.date) -> QuerySet[CostEntry]:
    return CostEntry.objects.filter(incurred_on__gte=first_day, incurred_on__lte=last_day).order_by(
        "incurred_on", "pk"
    )


@dataclass
class CostFigures:
    first_day: datetime.date
    last_day: datetime.date
    entries: list[CostEntry]

    def categories(self) -> dict[str, dict[str, Any]]:
        result: dict[str, dict[str, Any]] = {}
        for category in CostCategory:
            entries = [e for e in self.entries if e.category == category]
            if entries:
                result[category.value] = {
                    "count": len(entries),
                    "amount": sum((e.amount for e in entries), Decimal("0.00")),
                }
        return result

    @property
    def total(self) -> Decimal:
        return sum((e.amount for e in self.entries), Decimal("0.00"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "first_day": self.first_day.isoformat(),
            "last_day": self.last_day.isoformat(),
            "entries": [
                {
                    "uuid": str(e.uuid),
                    "date": e.incurred_on.isoformat(),
                    "category": e.category,
                    "description": e.description,
                    "amount": str(e.amount),
                    "document": e.document_reference,
                }
                for e in self.entries
            ],
            "categories": {
                key: {**values, "amount": str(values["amount"])}
                for key, values in self.categories().items()
            },
            "total": str(self.total),
        }


def cost_statement_compute(*, first_day: datetime.date, last_day: datetime.date) -> CostFigures:
    _check_period(first_day, last_day)
    return CostFigures(
        first_day, last_day, list(cost_entries(first_day=first_day, last_day=last_day))
    )
