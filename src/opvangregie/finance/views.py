"""Finance pages: the overview per municipality, a municipality's declaration and allowances,
the TWOV's costs, submitted statements and the rates. The views parse input and call the
selectors and services; the rules (who sees what, how amounts are computed) live there."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opvangregie.core.dates import InvalidDateError, parse_on, today
from opvangregie.core.exports import export_response
from opvangregie.core.forms import redirect_after_post, submit, submit_result
from opvangregie.organisations.models import Organisation

from . import exports, selectors, services
from .constants import RATE_UNITS, CostCategory, RateKind
from .forms import CostEntryForm, SubmitForm
from .models import (
    CostStatement,
    Declaration,
    LivingAllowanceTable,
    PersonalContributionRule,
    StandardRate,
)

FORMATS = ("csv", "xlsx")


def _period(request: HttpRequest) -> tuple[datetime.date, datetime.date, str | None]:
    """The period asked for (``from``/``to``), or the default quarter with the reason why."""
    first, last = selectors.default_quarter()
    raw_from, raw_to = request.GET.get("from"), request.GET.get("to")
    if not raw_from and not raw_to:
        return first, last, None
    try:
        first_day, last_day = parse_on(raw_from), parse_on(raw_to)
    except InvalidDateError as exc:
        return first, last, str(exc)
    if last_day < first_day or (last_day - first_day).days > 366:
        return first, last, _("Choose a period of at most a year that ends after it starts.")
    return first_day, last_day, None


def _month(request: HttpRequest) -> tuple[datetime.date, str | None]:
    default = (today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    raw = request.GET.get("month")
    if not raw:
        return default, None
    try:
        return datetime.date.fromisoformat(f"{raw}-01"), None
    except ValueError:
        return default, _("'%(value)s' is not a month; use the form YYYY-MM.") % {"value": raw}


def _municipality(request: HttpRequest, code: str) -> Organisation:
    try:
        municipality = selectors.municipality_get(code=code)
    except Organisation.DoesNotExist as exc:
        raise Http404(_("No such municipality.")) from exc
    if not selectors.may_view_finance(user=request.user, municipality=municipality.code):  # type: ignore[arg-type]
        raise PermissionDenied
    return municipality


def _require_finance(request: HttpRequest) -> Any:
    user = request.user
    if selectors.finance_scope(user=user) == set():  # type: ignore[arg-type]
        raise PermissionDenied
    return user


def _period_query(first_day: datetime.date, last_day: datetime.date) -> str:
    return urlencode({"from": first_day.isoformat(), "to": last_day.isoformat()})


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    user = _require_finance(request)
    first_day, last_day, error = _period(request)
    return render(
        request,
        "finance/overview.html",
        {
            "rows": selectors.declarations_overview(
                user=user, first_day=first_day, last_day=last_day
            ),
            "first_day": first_day,
            "last_day": last_day,
            "period_error": error,
            "query": _period_query(first_day, last_day),
            "may_manage_costs": selectors.may_manage_costs(user=user),
        },
    )


@login_required
def declaration(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(request, code)
    user: Any = request.user
    first_day, last_day, error = _period(request)
    figures = selectors.declaration_compute(
        municipality=municipality, first_day=first_day, last_day=last_day
    )
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        layout = request.GET.get("layout")
        table = (
            exports.declaration_sisa_table(figures.as_dict())
            if layout == "sisa"
            else exports.declaration_table(figures.as_dict())
        )
        name = f"declaratie-{municipality.code}-{first_day}-{last_day}"
        if layout == "sisa":
            name = f"sisa-{municipality.code}-{first_day}-{last_day}"
        return export_response(fmt=fmt, filename=name, headers=table[0], rows=table[1])
    return render(
        request,
        "finance/declaration.html",
        {
            "municipality": municipality,
            "figures": figures,
            "first_day": first_day,
            "last_day": last_day,
            "period_error": error,
            "query": _period_query(first_day, last_day),
            "submit_form": SubmitForm(initial={"first_day": first_day, "last_day": last_day})
            if selectors.may_submit_declaration(user=user, municipality=municipality.code)
            else None,
            "declarations": selectors.declarations_visible_to(user=user)
            .filter(municipality=municipality)
            .order_by("-first_day", "-version")[:50],
        },
    )


@login_required
@require_POST
def declaration_submit(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(request, code)
    user: Any = request.user
    if not selectors.may_submit_declaration(user=user, municipality=municipality.code):
        raise PermissionDenied
    form = SubmitForm(request.POST)

    def freeze() -> Declaration:
        return services.declaration_submit(
            user=user,
            municipality=municipality,
            first_day=form.cleaned_data["first_day"],
            last_day=form.cleaned_data["last_day"],
            reason=form.cleaned_data["reason"],
        )

    declaration = submit_result(request, form, freeze)
    if declaration is not None:
        messages.success(
            request,
            _("Version %(version)d of the declaration was submitted.")
            % {"version": declaration.version},
        )
        return redirect_after_post(
            request, reverse("finance:declaration_detail", kwargs={"uuid": declaration.uuid})
        )
    _form_errors(request, form)
    url = reverse("finance:declaration", kwargs={"code": municipality.code})
    if form.is_valid():
        url += "?" + _period_query(form.cleaned_data["first_day"], form.cleaned_data["last_day"])
    return redirect_after_post(request, url)


def _form_errors(request: HttpRequest, form: SubmitForm) -> None:
    """A refused submission is reported on the page it came from."""
    for errors in form.errors.values():
        messages.error(request, " ".join(str(e) for e in errors))


def _statement_context(statement: Declaration | CostStatement) -> dict[str, Any]:
    previous = statement.previous
    correction = getattr(statement, "correction", None)
    name = (
        "finance:declaration_detail"
        if isinstance(statement, Declaration)
        else "finance:cost_statement_detail"
    )
    return {
        "statement": statement,
        "intact": selectors.statement_intact(statement),
        "previous": previous,
        "differences": selectors.statement_difference(
            before=previous.figures, after=statement.figures
        )
        if previous is not None
        else None,
        "correction": correction,
        "correction_url": reverse(name, kwargs={"uuid": correction.uuid}) if correction else "",
        "total_change": statement.total - previous.total if previous is not None else None,
    }


@login_required
def declaration_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    user: Any = request.user
    statement = selectors.declarations_visible_to(user=user).filter(uuid=uuid).first()
    if statement is None:
        raise Http404(_("No such declaration."))
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        layout = request.GET.get("layout")
        table = (
            exports.declaration_sisa_table(statement.figures)
            if layout == "sisa"
            else exports.declaration_table(statement.figures)
        )
        return export_response(
            fmt=fmt,
            filename=f"declaratie-{statement.municipality.code}-{statement.first_day}"
            f"-{statement.last_day}-v{statement.version}",
            headers=table[0],
            rows=table[1],
        )
    return render(
        request,
        "finance/declaration_detail.html",
        {
            **_statement_context(statement),
            "lines": statement.figures["lines"],
            "totals": statement.figures["totals"],
            "kinds": dict(RateKind.choices),
        },
    )


@login_required
def allowances(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(request, code)
    user: Any = request.user
    month, error = _month(request)
    figures = selectors.allowance_compute(municipality=municipality, month=month)
    per_household = selectors.may_see_household_amounts(user=user, municipality=municipality.code)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        headers, rows = exports.allowance_table(figures, per_household=per_household)
        return export_response(
            fmt=fmt,
            filename=f"leefgeld-{municipality.code}-{month:%Y-%m}",
            headers=headers,
            rows=rows,
        )
    return render(
        request,
        "finance/allowances.html",
        {
            "municipality": municipality,
            "figures": figures,
            "month": month,
            "month_error": error,
            "per_household": per_household,
        },
    )


@login_required
def costs(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not selectors.may_manage_costs(user=user):
        raise PermissionDenied
    first_day, last_day, error = _period(request)
    form = CostEntryForm(request.POST or None, initial={"incurred_on": today()})

    def create() -> None:
        services.cost_entry_create(user=user, **form.cleaned_data)

    if submit(request, form, create):
        messages.success(request, _("The cost was entered."))
        return redirect_after_post(
            request, reverse("finance:costs") + "?" + _period_query(first_day, last_day)
        )
    figures = selectors.cost_statement_compute(first_day=first_day, last_day=last_day)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        headers, rows = exports.cost_table(figures.as_dict())
        return export_response(
            fmt=fmt, filename=f"kosten-twov-{first_day}-{last_day}", headers=headers, rows=rows
        )
    categories = dict(CostCategory.choices)
    return render(
        request,
        "finance/costs.html",
        {
            "figures": figures,
            "categories": [
                (categories[key], values) for key, values in figures.categories().items()
            ],
            "first_day": first_day,
            "last_day": last_day,
            "period_error": error,
            "query": _period_query(first_day, last_day),
            "form": form,
            "submit_form": SubmitForm(initial={"first_day": first_day, "last_day": last_day}),
            "statements": selectors.cost_statements_visible_to(user=user).order_by(
                "-first_day", "-version"
            )[:50],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def cost_statement_submit(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not selectors.may_manage_costs(user=user):
        raise PermissionDenied
    form = SubmitForm(request.POST)

    def freeze() -> CostStatement:
        return services.cost_statement_submit(
            user=user,
            first_day=form.cleaned_data["first_day"],
            last_day=form.cleaned_data["last_day"],
            reason=form.cleaned_data["reason"],
        )

    statement = submit_result(request, form, freeze)
    if statement is not None:
        messages.success(
            request,
            _("Version %(version)d of the cost statement was submitted.")
            % {"version": statement.version},
        )
        return redirect_after_post(
            request, reverse("finance:cost_statement_detail", kwargs={"uuid": statement.uuid})
        )
    _form_errors(request, form)
    url = reverse("finance:costs")
    if form.is_valid():
        url += "?" + _period_query(form.cleaned_data["first_day"], form.cleaned_data["last_day"])
    return redirect_after_post(request, url)


@login_required
def cost_statement_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    user: Any = request.user
    statement = selectors.cost_statements_visible_to(user=user).filter(uuid=uuid).first()
    if statement is None:
        raise Http404(_("No such cost statement."))
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        headers, rows = exports.cost_table(statement.figures)
        return export_response(
            fmt=fmt,
            filename=f"kosten-twov-{statement.first_day}-{statement.last_day}-v{statement.version}",
            headers=headers,
            rows=rows,
        )
    categories = dict(CostCategory.choices)
    return render(
        request,
        "finance/cost_statement_detail.html",
        {
            **_statement_context(statement),
            "entries": statement.figures["entries"],
            "categories": [
                (categories.get(key, key), values)
                for key, values in statement.figures["categories"].items()
            ],
            "category_labels": categories,
        },
    )


@login_required
def rates(request: HttpRequest) -> HttpResponse:
    _require_finance(request)
    standard_rates = StandardRate.objects.order_by("kind", "valid_from")
    return render(
        request,
        "finance/rates.html",
        {
            "rates": [(rate, RATE_UNITS[rate.kind]) for rate in standard_rates],
            "tables": LivingAllowanceTable.objects.prefetch_related("rows").order_by("valid_from"),
            "rules": PersonalContributionRule.objects.order_by("valid_from"),
        },
    )
