"""Reads of the registry, each answering "as of" a date."""

import datetime
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from opvangregie.core.validity import valid_on_q

from .constants import (
    BodyLevel,
    MembershipKind,
    OrganisationKind,
    RegionKind,
    ResponsibleHolder,
    SeatRole,
)
from .models import (
    Body,
    CommissioningRole,
    Decision,
    Membership,
    Organisation,
    PopulationFigure,
    PortfolioHolder,
    Relation,
    ResponsibilityRegime,
    Seat,
)

ROLE_ORDER = {role: index for index, role in enumerate(SeatRole.values)}


class MunicipalityNotFoundError(LookupError):
    pass


# -- dataclasses returned to views, API and commands -------------------------------------------


@dataclass(frozen=True)
class MunicipalityView:
    cbs_code: str
    name: str
    cooperation_region: str | None
    cooperation_region_code: str | None
    population: int | None
    population_date: datetime.date | None
    population_status: str


@dataclass(frozen=True)
class SeatView:
    code: str
    role: str
    role_label: str
    holder: str
    holder_name: str
    holder_function: str
    organisation: str | None
    organisation_code: str | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None


@dataclass(frozen=True)
class BodyView:
    code: str
    name: str
    short_name: str
    kind: str
    kind_label: str
    level: str
    level_label: str
    organisation_code: str | None
    secretary: str
    tasks: list[str]
    seats: list[SeatView]
    valid_from: datetime.date | None
    valid_to: datetime.date | None


@dataclass(frozen=True)
class RelationView:
    kind: str
    kind_label: str
    source: str
    source_name: str
    target: str
    target_name: str
    description: str


@dataclass(frozen=True)
class OfficeView:
    code: str
    name: str
    short_name: str


@dataclass(frozen=True)
class Structure:
    on: datetime.date
    municipalities: list[MunicipalityView]
    bodies: list[BodyView]
    relations: list[RelationView]
    coordination_offices: list[OfficeView] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


@dataclass(frozen=True)
class Responsibility:
    on: datetime.date
    municipality: MunicipalityView
    holder: str
    holder_label: str
    legal_basis: str
    regime: str
    regime_in_force_from: datetime.date
    regime_date_confirmed: bool
    regime_note: str
    portfolio_holder: str | None
    seats: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


# -- queries ------------------------------------------------------------------------------------


def organisations_on(*, on: datetime.date) -> QuerySet[Organisation]:
    return Organisation.objects.filter(valid_on_q(on))


def municipalities_on(*, on: datetime.date) -> list[MunicipalityView]:
    """The municipalities on a date with their housing region and latest known population."""
    municipalities = (
        organisations_on(on=on)
        .filter(kind=OrganisationKind.MUNICIPALITY)
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(
                    valid_on_q(on),
                    kind=MembershipKind.COOPERATION,
                    group__region_kind=RegionKind.HOUSING,
                ).select_related("group"),
                to_attr="housing_memberships",
            ),
            Prefetch(
                "population_figures",
                queryset=PopulationFigure.objects.order_by("reference_date"),
                to_attr="figures",
            ),
        )
        .order_by("name")
    )
    return [_municipality_view(m, on) for m in municipalities]


def _municipality_view(municipality: Organisation, on: datetime.date) -> MunicipalityView:
    memberships = getattr(municipality, "housing_memberships", None)
    if memberships is None:
        memberships = list(
            Membership.objects.filter(
                valid_on_q(on),
                member=municipality,
                kind=MembershipKind.COOPERATION,
                group__region_kind=RegionKind.HOUSING,
            ).select_related("group")
        )
    figures = getattr(municipality, "figures", None)
    if figures is None:
        figures = list(municipality.population_figures.order_by("reference_date"))
    figure = population_figure_on(figures, on)
    region = memberships[0].group if memberships else None
    return MunicipalityView(
        cbs_code=municipality.code,
        name=municipality.name,
        cooperation_region=region.name if region else None,
        cooperation_region_code=region.code if region else None,
        population=figure.population if figure else None,
        population_date=figure.reference_date if figure else None,
        population_status=figure.status if figure else "",
    )


def population_figure_on(
    figures: list[PopulationFigure], on: datetime.date
) -> PopulationFigure | None:
    """The latest figure on or before ``on``; failing that, the earliest we have."""
    earlier = [f for f in figures if f.reference_date <= on]
    if earlier:
        return max(earlier, key=lambda f: f.reference_date)
    return min(figures, key=lambda f: f.reference_date) if figures else None


def _seats_prefetch(on: datetime.date) -> Prefetch:
    return Prefetch(
        "seats",
        queryset=Seat.objects.filter(valid_on_q(on)).select_related("organisation"),
        to_attr="current_seats",
    )


def _seat_view(seat: Seat) -> SeatView:
    return SeatView(
        code=seat.code,
        role=seat.role,
        role_label=str(SeatRole(seat.role).label),
        holder=seat.holder,
        holder_name=seat.holder_name,
        holder_function=seat.holder_function,
        organisation=seat.organisation.name if seat.organisation else None,
        organisation_code=seat.organisation.code if seat.organisation else None,
        valid_from=seat.valid_from,
        valid_to=seat.valid_to,
    )


def _body_view(body: Body, seats: list[Seat]) -> BodyView:
    ordered = sorted(seats, key=lambda s: (ROLE_ORDER[s.role], s.holder))
    secretary = ", ".join(
        part
        for part in (
            body.secretary_function,
            body.secretary_organisation.name if body.secretary_organisation else "",
        )
        if part
    )
    return BodyView(
        code=body.code,
        name=body.name,
        short_name=body.short_name or body.name,
        kind=body.kind,
        kind_label=str(body.get_kind_display()),
        level=body.level,
        level_label=str(body.get_level_display()),
        organisation_code=body.organisation.code if body.organisation else None,
        secretary=secretary,
        tasks=body.task_list,
        seats=[_seat_view(s) for s in ordered],
        valid_from=body.valid_from,
        valid_to=body.valid_to,
    )


def bodies_on(*, on: datetime.date) -> list[BodyView]:
    bodies = (
        Body.objects.filter(valid_on_q(on))
        .select_related("organisation", "secretary_organisation")
        .prefetch_related(_seats_prefetch(on))
    )
    level_rank = {level: i for i, level in enumerate(BodyLevel.values)}
    views = [_body_view(b, getattr(b, "current_seats", [])) for b in bodies]
    return sorted(views, key=lambda b: (level_rank[b.level], b.name))


def _end(body: Body | None, organisation: Organisation | None) -> tuple[str, str]:
    """Code and display name of one end of a relation."""
    if body is not None:
        return body.code, body.short_name or body.name
    if organisation is None:  # excluded by the relation_one_end_each constraint
        raise ValueError("A relation end has neither a body nor an organisation.")
    return organisation.code, organisation.short_name or organisation.name


def relations_on(*, on: datetime.date) -> list[RelationView]:
    relations = Relation.objects.filter(valid_on_q(on)).select_related(
        "source_body", "source_organisation", "target_body", "target_organisation"
    )
    views = []
    for r in relations.order_by("code"):
        source, source_name = _end(r.source_body, r.source_organisation)
        target, target_name = _end(r.target_body, r.target_organisation)
        views.append(
            RelationView(
                kind=r.kind,
                kind_label=str(r.get_kind_display()),
                source=source,
                source_name=source_name,
                target=target,
                target_name=target_name,
                description=r.description,
            )
        )
    return views


def structure_on(*, on: datetime.date) -> Structure:
    """Municipalities, bodies with their seats, and the lines between them, valid on ``on``."""
    offices = organisations_on(on=on).filter(kind=OrganisationKind.COORDINATION_OFFICE)
    return Structure(
        on=on,
        municipalities=municipalities_on(on=on),
        bodies=bodies_on(on=on),
        relations=relations_on(on=on),
        coordination_offices=[
            OfficeView(code=o.code, name=o.name, short_name=o.short_name or o.name)
            for o in offices.order_by("code")
        ],
    )


def regime_on(*, on: datetime.date) -> ResponsibilityRegime | None:
    return (
        ResponsibilityRegime.objects.filter(in_force_from__lte=on)
        .order_by("-in_force_from")
        .first()
    )


def municipality_get(*, cbs_code: str) -> Organisation:
    municipality = Organisation.objects.filter(
        kind=OrganisationKind.MUNICIPALITY, code=cbs_code.upper()
    ).first()
    if municipality is None:
        raise MunicipalityNotFoundError(
            _("No municipality with CBS code %(code)s.") % {"code": cbs_code}
        )
    return municipality


def responsible_on(*, cbs_code: str, on: datetime.date) -> Responsibility:
    """Who carries the reception task in a municipality on a date, and where it is seated."""
    municipality = municipality_get(cbs_code=cbs_code)
    regime = regime_on(on=on)
    if regime is None:
        raise MunicipalityNotFoundError(
            _("No responsibility regime is recorded for %(date)s.") % {"date": on.isoformat()}
        )
    holder = (
        PortfolioHolder.objects.filter(valid_on_q(on), municipality=municipality)
        .order_by("-valid_from")
        .first()
    )
    seats = (
        Seat.objects.filter(valid_on_q(on), valid_on_q(on, "body__"), organisation=municipality)
        .select_related("body")
        .order_by("body__name")
    )
    holder_label = (
        _("mayor of %(name)s")
        if regime.holder == ResponsibleHolder.MAYOR
        else _("college of B&W of %(name)s")
    ) % {"name": municipality.name}
    return Responsibility(
        on=on,
        municipality=_municipality_view(municipality, on),
        holder=regime.holder,
        holder_label=holder_label,
        legal_basis=regime.legal_basis,
        regime=regime.name,
        regime_in_force_from=regime.in_force_from,
        regime_date_confirmed=regime.in_force_confirmed,
        regime_note=regime.note,
        portfolio_holder=holder.name if holder else None,
        seats=[
            {
                "body": s.body.code,
                "body_name": s.body.short_name or s.body.name,
                "role": s.role,
                "role_label": str(SeatRole(s.role).label),
                "holder": s.holder,
            }
            for s in seats
        ],
    )


def body_on(*, body: Body, on: datetime.date) -> BodyView:
    seats = list(body.seats.filter(valid_on_q(on)).select_related("organisation"))
    return _body_view(body, seats)


def decisions_for(
    *, organisation: Organisation | None = None, body: Body | None = None
) -> QuerySet[Decision]:
    decisions = Decision.objects.select_related("body", "organisation")
    if organisation is not None:
        decisions = decisions.filter(organisation=organisation)
    if body is not None:
        decisions = decisions.filter(body=body)
    return decisions.order_by("decided_on", "code")


def commissioning_roles_on(*, on: datetime.date) -> QuerySet[CommissioningRole]:
    return (
        CommissioningRole.objects.filter(valid_on_q(on))
        .select_related("organisation", "body", "holder_organisation")
        .order_by("organisation__name", "kind")
    )


def housing_regions_on(*, on: datetime.date) -> dict[str, tuple[str, str]]:
    """Per municipality (CBS code) the code and name of its housing region on a date, as
    :func:`municipalities_on` reads it, in one query (for callers that need no population)."""
    memberships = (
        Membership.objects.filter(
            valid_on_q(on),
            kind=MembershipKind.COOPERATION,
            member__kind=OrganisationKind.MUNICIPALITY,
            group__region_kind=RegionKind.HOUSING,
        )
        .order_by("pk")
        .values_list("member__code", "group__code", "group__name")
    )
    result: dict[str, tuple[str, str]] = {}
    for member, code, name in memberships:
        result.setdefault(member, (code, name))
    return result


def municipality_names_on(*, on: datetime.date) -> list[tuple[str, str]]:
    """(CBS code, name) of the municipalities on a date, by name (one query)."""
    return list(
        organisations_on(on=on)
        .filter(kind=OrganisationKind.MUNICIPALITY)
        .order_by("name")
        .values_list("code", "name")
    )


def safety_regions_on(*, on: datetime.date) -> dict[str, tuple[str, str]]:
    """Per municipality (CBS code) the code and name of its safety region on a date."""
    memberships = Membership.objects.filter(
        valid_on_q(on),
        kind=MembershipKind.SAFETY_REGION,
        member__kind=OrganisationKind.MUNICIPALITY,
        group__kind=OrganisationKind.SAFETY_REGION,
    ).values_list("member__code", "group__code", "group__name")
    return {member: (code, name) for member, code, name in memberships}
