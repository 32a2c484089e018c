"""Pages about households and stays, for those allowed to see personal data."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opvangregie.accounts.selectors import (
    is_coordinator,
    may_manage_municipality,
    may_see_personal_data,
    officer_municipalities,
)
from opvangregie.audit.constants import AuditAction
from opvangregie.audit.services import audit_record
from opvangregie.capacity.models import Location
from opvangregie.core.dates import today
from opvangregie.core.exports import export_response
from opvangregie.core.forms import redirect_after_post, submit

from . import selectors, services
from .forms import DepartureForm, HouseholdForm, MoveForm, PersonFormSet, SearchForm
from .models import Household


def _user(request: HttpRequest) -> Any:
    user = request.user
    if not may_see_personal_data(user=user):  # type: ignore[arg-type]
        raise PermissionDenied
    return user


def _scope(user: Any) -> set[str] | None:
    """None for the whole region (coordinator), else the officer's municipalities."""
    return None if is_coordinator(user=user) else officer_municipalities(user=user)


def _household_or_404(user: Any, uuid: str) -> Household:
    try:
        return selectors.households_visible_to(user=user).get(uuid=uuid)
    except (Household.DoesNotExist, ValidationError) as exc:
        raise Http404(_("No such household.")) from exc


@login_required
def resident_search(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = list(selectors.household_search(user=user, text=query)[:100]) if query else None
    waiting = list(selectors.waiting_at_cno(user=user, on=today()).prefetch_related("persons"))
    audit_record(
        action=AuditAction.LIST,
        object_type="household",
        households={h.uuid for h in [*waiting, *(results or [])]},
        detail={"page": "search", "query": query} if query else {"page": "waiting"},
    )
    template = (
        "residents/_results.html" if getattr(request, "htmx", False) else "residents/search.html"
    )
    return render(
        request,
        template,
        {"form": form, "query": query, "results": results, "waiting": waiting},
    )


def _move_and_departure_forms(user: Any, data: Any = None) -> tuple[MoveForm, DepartureForm]:
    initial = {"on": today()}
    return (
        MoveForm(data, initial=initial, municipalities=_scope(user), prefix="move"),
        DepartureForm(data, initial=initial, prefix="departure"),
    )


@login_required
def household_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    user = _user(request)
    household = _household_or_404(user, uuid)
    audit_record(action=AuditAction.VIEW, object_type="household", households=[household])
    move_form, departure_form = _move_and_departure_forms(user)
    return render(
        request,
        "residents/household_detail.html",
        {
            "household": household,
            "persons": household.persons.all(),
            "coordinator": is_coordinator(user=user),
            "stays": selectors.household_stays(household=household),
            "move_form": move_form,
            "departure_form": departure_form,
        },
    )


def _assert_location_allowed(user: Any, location: Location) -> None:
    if not may_manage_municipality(user=user, municipality_code=location.municipality.code):
        raise PermissionDenied


def _done(request: HttpRequest, household: Household, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect_after_post(
        request, reverse("residents:household", kwargs={"uuid": household.uuid})
    )


@login_required
def household_move(request: HttpRequest, uuid: str) -> HttpResponse:
    user = _user(request)
    household = _household_or_404(user, uuid)
    form = MoveForm(request.POST or None, municipalities=_scope(user), prefix="move")

    def move() -> None:
        location = form.cleaned_data["location"]
        _assert_location_allowed(user, location)
        services.stay_move(household=household, to_location=location, on=form.cleaned_data["on"])

    if submit(request, form, move):
        name = form.cleaned_data["location"].name
        return _done(
            request, household, _("The household moved to %(location)s.") % {"location": name}
        )
    return render(request, "residents/_move_form.html", {"household": household, "move_form": form})


@login_required
def household_departure(request: HttpRequest, uuid: str) -> HttpResponse:
    user = _user(request)
    household = _household_or_404(user, uuid)
    form = DepartureForm(request.POST or None, prefix="departure")
    if submit(
        request, form, lambda: services.stay_depart(household=household, **form.cleaned_data)
    ):
        return _done(request, household, _("The departure was recorded."))
    return render(
        request, "residents/_departure_form.html", {"household": household, "departure_form": form}
    )


@login_required
def household_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = HouseholdForm(
        request.POST or None, municipalities=_scope(user), initial={"intake_on": today()}
    )
    persons = PersonFormSet(request.POST or None, prefix="person")
    if request.method == "POST" and form.is_valid() and persons.is_valid():
        data = form.cleaned_data
        location = data["location"]
        _assert_location_allowed(user, location)
        people = [
            services.PersonData(**p.cleaned_data)
            for p in persons.forms
            if p.has_changed() and p.cleaned_data
        ]
        try:
            with transaction.atomic():
                household = services.household_create(
                    data=services.HouseholdData(
                        persons=people,
                        external_id=data["external_id"] or None,
                        needs=data["needs"],
                        note=data["note"],
                    )
                )
                services.stay_intake(household=household, location=location, on=data["intake_on"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            return _done(request, household, _("The household was registered and checked in."))
    return render(request, "residents/household_form.html", {"form": form, "persons": persons})


STAY_HEADERS = [
    "person",
    "given_name",
    "family_name",
    "birth_date",
    "household",
    "location",
    "start_date",
    "end_date",
    "arrival",
    "departure_reason",
]


@login_required
def location_stays_export(request: HttpRequest, uuid: str) -> HttpResponse:
    """The stays at one location as CSV/XLSX, for those who may act for its municipality."""
    user = _user(request)
    location = Location.objects.select_related("municipality").filter(uuid=uuid).first()
    if location is None or not may_manage_municipality(
        user=user, municipality_code=location.municipality.code
    ):
        raise Http404(_("No such location."))
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        fmt = "csv"
    stays = (
        selectors.stays_visible_to(user=user)
        .filter(location=location)
        .select_related("person", "person__household")
        .order_by("start_date", "person__family_name")
    )
    exported = list(stays)
    audit_record(
        action=AuditAction.EXPORT,
        object_type="stay",
        households={s.person.household.uuid for s in exported},
        detail={"location": location.name, "format": fmt},
    )
    rows = (
        [
            str(s.person.uuid),
            s.person.given_name,
            s.person.family_name,
            s.person.birth_date,
            s.person.household.external_id or str(s.person.household.uuid),
            location.name,
            s.start_date,
            s.end_date,
            s.arrival,
            s.departure_reason,
        ]
        for s in exported
    )
    return export_response(
        fmt=fmt, filename=f"verblijven-{location.pk}", headers=STAY_HEADERS, rows=rows
    )


@login_required
@require_POST
def person_bsn(request: HttpRequest, uuid: str) -> HttpResponse:
    """The BSN of one person, on explicit request of a coordinator (audited); a fragment."""
    user = _user(request)
    person = selectors.persons_visible_to(user=user).filter(uuid=uuid).first()
    if person is None:
        raise Http404(_("No such person."))
    try:
        number = services.person_bsn_reveal(user=user, person=person)
    except ValidationError as exc:
        return render(request, "residents/_bsn.html", {"error": " ".join(exc.messages)}, status=400)
    response = render(request, "residents/_bsn.html", {"bsn": number})
    response["Cache-Control"] = "no-store"
    return response
