"""Pages of the registry. Thin: every figure comes from a selector."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from opvangregie.core.dates import parse_on_or_today
from opvangregie.core.validity import holds_on

from . import selectors
from .constants import OrganisationKind
from .diagram import structure_diagram
from .models import Body, Organisation


def _on(request: HttpRequest) -> tuple[datetime.date, str | None]:
    return parse_on_or_today(request.GET.get("on"))


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    on, error = _on(request)
    structure = selectors.structure_on(on=on)
    others = selectors.organisations_on(on=on).exclude(kind=OrganisationKind.MUNICIPALITY)
    return render(
        request,
        "organisations/organisation_list.html",
        {
            "on": on,
            "date_error": error,
            "structure": structure,
            "others": others.order_by("kind", "name"),
        },
    )


@login_required
def structure(request: HttpRequest) -> HttpResponse:
    on, error = _on(request)
    data = selectors.structure_on(on=on)
    context = {
        "on": on,
        "date_error": error,
        "structure": data,
        "diagram": structure_diagram(data),
        "regime": selectors.regime_on(on=on),
    }
    htmx = getattr(request, "htmx", False)
    template = "organisations/_structure_panel.html" if htmx else "organisations/structure.html"
    return render(request, template, context)


@login_required
def municipality_detail(request: HttpRequest, cbs_code: str) -> HttpResponse:
    on, error = _on(request)
    try:
        answer = selectors.responsible_on(cbs_code=cbs_code, on=on)
    except selectors.MunicipalityNotFoundError as exc:
        raise Http404(str(exc)) from exc
    municipality = selectors.municipality_get(cbs_code=cbs_code)
    return render(
        request,
        "organisations/municipality_detail.html",
        {
            "on": on,
            "date_error": error,
            "municipality": municipality,
            "responsible": answer,
            "population_figures": municipality.population_figures.order_by("-reference_date"),
            "decisions": selectors.decisions_for(organisation=municipality),
        },
    )


@login_required
def body_detail(request: HttpRequest, code: str) -> HttpResponse:
    on, error = _on(request)
    body = get_object_or_404(
        Body.objects.select_related("organisation", "secretary_organisation"), code=code
    )
    view = selectors.body_on(body=body, on=on)
    valid = holds_on(body.valid_from, body.valid_to, on)
    return render(
        request,
        "organisations/body_detail.html",
        {
            "on": on,
            "date_error": error,
            "body": body,
            "view": view,
            "valid_on_date": valid,
            "decisions": selectors.decisions_for(body=body),
        },
    )


@login_required
def organisation_detail(request: HttpRequest, code: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, code=code)
    if organisation.kind == OrganisationKind.MUNICIPALITY:
        return redirect("organisations:municipality", cbs_code=organisation.code)
    on, error = _on(request)
    members = selectors.municipalities_on(on=on)
    member_codes = set(
        organisation.members.filter(member__kind=OrganisationKind.MUNICIPALITY).values_list(
            "member__code", flat=True
        )
    )
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "on": on,
            "date_error": error,
            "organisation": organisation,
            "members": [m for m in members if m.cbs_code in member_codes],
            "bodies": organisation.bodies.order_by("name"),
            "secretariats": organisation.secretariats.order_by("name"),
            "decisions": selectors.decisions_for(organisation=organisation),
            "commissioners": selectors.commissioning_roles_on(on=on).filter(
                organisation=organisation
            ),
            "title": _("Organisation"),
        },
    )
