"""Pages of the weekly reports: issued versions, a preview of the live report, issuing, one
frozen version with its changes, and downloads. Thin: the rules are in selectors and services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opvangregie.core.dates import today
from opvangregie.core.forms import redirect_after_post, submit

from . import selectors, services
from .constants import Format
from .content import week_of
from .forms import IssueForm, WeekForm
from .models import IssuedReport
from .render import page_charts, report_context, report_export


def _audiences(request: HttpRequest) -> list[str]:
    audiences = selectors.audiences_visible_to(user=request.user)  # type: ignore[arg-type]
    if not audiences:
        raise PermissionDenied
    return audiences


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _last_week() -> str:
    import datetime

    return week_of(today() - datetime.timedelta(days=7))


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    audiences = _audiences(request)
    issuable = selectors.audiences_issuable_by(user=request.user)  # type: ignore[arg-type]
    initial = {"week": _last_week(), "audience": audiences[0]}
    return render(
        request,
        "reports/report_list.html",
        {
            "reports": selectors.reports_visible_to(user=request.user)[:200],  # type: ignore[arg-type]
            "form": WeekForm(initial=initial, audiences=audiences),
            "issue_form": IssueForm(initial=initial, audiences=issuable, prefix="issue")
            if issuable
            else None,
        },
    )


def _preview_content(request: HttpRequest) -> tuple[WeekForm, dict[str, Any] | None]:
    audiences = _audiences(request)
    form = WeekForm(request.GET or None, audiences=audiences)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, selectors.report_live(week=data["week"], audience=data["audience"])


@login_required
def report_preview(request: HttpRequest) -> HttpResponse:
    form, content = _preview_content(request)
    context: dict[str, Any] = {"form": form, "content": content}
    if content is not None:
        context |= report_context(content)
        context["charts"] = page_charts(content)
        context["query"] = request.GET.urlencode()
    return render(request, "reports/report_preview.html", context)


@login_required
def report_preview_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in Format.values:
        raise Http404
    _form, content = _preview_content(request)
    if content is None:
        raise Http404
    return _download(*report_export(content, fmt))


@login_required
@require_POST
def report_issue_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    issuable = selectors.audiences_issuable_by(user=user)
    if not issuable:
        raise PermissionDenied
    form = IssueForm(request.POST, audiences=issuable, prefix="issue")
    issued: list[IssuedReport] = []

    def issue() -> None:
        issued.append(services.report_issue(user=user, **form.cleaned_data))

    if submit(request, form, issue):
        report = issued[0]
        messages.success(
            request,
            _("Issued the report %(week)s for %(audience)s as version %(version)s.")
            % {
                "week": report.week,
                "audience": report.get_audience_display(),
                "version": report.version,
            },
        )
        return redirect_after_post(request, reverse("reports:detail", args=[report.uuid]))
    for error in form.errors.values():
        messages.error(request, " ".join(str(e) for e in error))
    return redirect_after_post(request, reverse("reports:list"))


def _frozen(request: HttpRequest, uuid: str) -> tuple[IssuedReport, Any]:
    report = selectors.reports_visible_to(user=request.user).filter(uuid=uuid).first()  # type: ignore[arg-type]
    if report is None:
        raise Http404(_("No such report."))
    try:
        return report, selectors.report_frozen(report=report)
    except selectors.ReportIntegrityError:
        return report, None


@login_required
def report_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    report, frozen = _frozen(request, uuid)
    context: dict[str, Any] = {"report": report, "frozen": frozen}
    if frozen is not None:
        context |= report_context(frozen.content, frozen)
        context["charts"] = page_charts(frozen.content)
    return render(request, "reports/report_detail.html", context, status=200 if frozen else 409)


@login_required
def report_download(request: HttpRequest, uuid: str, fmt: str) -> HttpResponse:
    if fmt not in Format.values:
        raise Http404
    _report, frozen = _frozen(request, uuid)
    if frozen is None:
        return HttpResponse(
            _("This report does not match its checksum and is not given out."), status=409
        )
    return _download(*report_export(frozen.content, fmt, frozen))


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    from opvangregie.core.dates import parse_on_or_today

    from .dashboard import dashboard_on

    on, date_error = parse_on_or_today(request.GET.get("on"))
    try:
        board = dashboard_on(
            user=request.user,  # type: ignore[arg-type]
            on=on,
            level=request.GET.get("level"),
            parent=request.GET.get("parent"),
        )
    except PermissionError as exc:
        raise PermissionDenied from exc
    return render(
        request,
        "reports/dashboard.html",
        {"board": board, "on": on, "date_error": date_error, "charts": board.charts},
    )
