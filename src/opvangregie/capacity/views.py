"""Pages about locations and capacity. Thin: figures from selectors, writes via services."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from opvangregie.accounts.selectors import (
    is_coordinator,
    may_manage_municipality,
    officer_municipalities,
)
from opvangregie.core import charts
from opvangregie.core.dates import parse_on_or_today
from opvangregie.core.exports import export_response
from opvangregie.core.forms import redirect_after_post, submit
from opvangregie.organisations.selectors import MunicipalityNotFoundError, municipality_get

from . import selectors, services
from .constants import LocationType
from .forms import CapacityForm, LocationForm, StatusForm
from .models import Location


def _on(request: HttpRequest) -> tuple[datetime.date, str | None]:
    return parse_on_or_today(request.GET.get("on"))


def _user(request: HttpRequest) -> Any:
    return request.user


@login_required
def location_list(request: HttpRequest) -> HttpResponse:
    on, error = _on(request)
    municipality = request.GET.get("municipality") or None
    location_type = request.GET.get("type") or None
    if location_type not in LocationType.values:
        location_type = None
    occupancy = selectors.occupancy_on(
        on=on, municipality=municipality, location_type=location_type
    )
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        rows = ([row.as_dict()[h] for h in selectors.EXPORT_COLUMNS] for row in occupancy.locations)
        return export_response(
            fmt=fmt,
            filename=f"bezetting-{on.isoformat()}",
            headers=selectors.EXPORT_COLUMNS,
            rows=rows,
        )
    user = _user(request)
    return render(
        request,
        "capacity/location_list.html",
        {
            "on": on,
            "date_error": error,
            "occupancy": occupancy,
            "pipeline": selectors.pipeline(after=on)[:20],
            "types": LocationType.choices,
            "selected_type": location_type or "",
            "selected_municipality": municipality or "",
            "may_create": is_coordinator(user=user) or bool(officer_municipalities(user=user)),
        },
    )


def _location_or_404(uuid: str) -> Location:
    try:
        return selectors.location_get(uuid=uuid)
    except (Location.DoesNotExist, ValidationError) as exc:
        raise Http404(_("No such location.")) from exc


@login_required
def location_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    location = _location_or_404(uuid)
    on, error = _on(request)
    rows = selectors.occupancy_on(on=on, location_id=location.pk, include_inactive=True).locations
    figures = rows[0] if rows else None
    first = min((e.effective_date for e in location.status_events.all()), default=on)
    history = selectors.location_history(location=location, start=first, end=max(on, first))
    user = _user(request)
    may_manage = may_manage_municipality(user=user, municipality_code=location.municipality.code)
    chart = charts.chart(
        "line",
        [p.day.isoformat() for p in history],
        [
            charts.Series(_("capacity"), [p.capacity for p in history], charts.GREY, stepped=True),
            charts.Series(
                _("allocable"),
                [p.allocable for p in history],
                charts.ORANGE,
                stepped=True,
                dashed=True,
            ),
            charts.Series(_("occupied"), [p.occupied for p in history], charts.BLUE, fill=True),
        ],
    )
    return render(
        request,
        "capacity/location_detail.html",
        {
            "on": on,
            "date_error": error,
            "location": location,
            "figures": figures.figures if figures else None,
            "status": figures.status if figures else None,
            "chart": chart,
            "may_manage": may_manage,
            "capacity_form": CapacityForm(initial={"valid_from": on}),
            "status_form": StatusForm(initial={"effective_date": on}),
        },
    )


@login_required
def location_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    municipalities = None if is_coordinator(user=user) else officer_municipalities(user=user)
    if municipalities is not None and not municipalities:
        raise PermissionDenied
    form = LocationForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            location = services.location_create(
                name=data["name"],
                type=data["type"],
                municipality=data["municipality"],
                beds=data["beds"],
                blocked_beds=data["blocked_beds"],
                opens_on=data["opens_on"],
                status=data["status"],
                features=data["features"],
                lets_units=data["lets_units"],
                street=data["street"],
                postcode=data["postcode"],
                place=data["place"],
                note=data["note"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Location %(name)s was created.") % {"name": location.name})
            return redirect("capacity:detail", uuid=location.uuid)
    return render(request, "capacity/location_form.html", {"form": form})


def _manage(request: HttpRequest, uuid: str) -> Location:
    location = _location_or_404(uuid)
    if not may_manage_municipality(
        user=_user(request), municipality_code=location.municipality.code
    ):
        raise PermissionDenied
    return location


@login_required
def capacity_change(request: HttpRequest, uuid: str) -> HttpResponse:
    location = _manage(request, uuid)
    form = CapacityForm(request.POST or None)
    if submit(
        request, form, lambda: services.capacity_change(location=location, **form.cleaned_data)
    ):
        messages.success(request, _("The capacity was changed."))
        return redirect_after_post(request, location_url(location))
    return render(
        request, "capacity/_capacity_form.html", {"location": location, "capacity_form": form}
    )


@login_required
def status_change(request: HttpRequest, uuid: str) -> HttpResponse:
    location = _manage(request, uuid)
    form = StatusForm(request.POST or None)
    change = lambda: services.location_status_change(location=location, **form.cleaned_data)  # noqa: E731
    if submit(request, form, change):
        messages.success(request, _("The status was changed."))
        return redirect_after_post(request, location_url(location))
    return render(
        request, "capacity/_status_form.html", {"location": location, "status_form": form}
    )


def location_url(location: Location) -> str:
    return reverse("capacity:detail", kwargs={"uuid": location.uuid})


@login_required
def municipality_panel(request: HttpRequest, cbs_code: str) -> HttpResponse:
    """Locations, target and progress of one municipality (shown on its page)."""
    on, _error = _on(request)
    try:
        municipality = municipality_get(cbs_code=cbs_code)
    except MunicipalityNotFoundError as exc:
        raise Http404(str(exc)) from exc
    occupancy = selectors.occupancy_on(on=on, municipality=municipality.code)
    targets = selectors.targets_on(on=on, municipality=municipality.code)
    progress = {
        kind: {
            "target": targets[(kind, municipality.code)],
            "realised": occupancy.long_stay.capacity,
        }
        for kind in ("ukrainian", "asylum_durable", "status_holder")
        if (kind, municipality.code) in targets
    }
    return render(
        request,
        "capacity/_municipality_panel.html",
        {"on": on, "municipality": municipality, "occupancy": occupancy, "progress": progress},
    )


@login_required
def targets(request: HttpRequest) -> HttpResponse:
    """Targets and progress per municipality and housing region, the broad task side by side."""
    on, error = _on(request)
    task = selectors.broad_task_on(on=on)
    rows, regions = task.rows, task.housing_regions
    fmt = request.GET.get("format")
    headers = [
        "cbs_code",
        "municipality",
        "housing_region",
        "ukrainian_target",
        "ukrainian_realised",
        "asylum_durable_target",
        "status_holder_target",
    ]
    if fmt in ("csv", "xlsx"):
        table = (
            [
                r.code,
                r.name,
                r.housing_region,
                r.ukrainian.target,
                r.ukrainian.realised,
                r.asylum_durable,
                r.status_holder,
            ]
            for r in rows
        )
        return export_response(
            fmt=fmt, filename=f"taakstelling-{on.isoformat()}", headers=headers, rows=table
        )
    return render(
        request,
        "capacity/targets.html",
        {"on": on, "date_error": error, "rows": rows, "regions": regions},
    )
