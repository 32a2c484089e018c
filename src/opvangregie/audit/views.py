"""The audit trail for the privacy officer: search, a household's full access history (for a
data-subject access request) and exports. Reading the trail is itself not personal data of the
residents, but it is restricted to the privacy officer."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from opvangregie.core.exports import export_response

from .forms import AuditSearchForm
from .selectors import audit_search, may_read_audit

EXPORT_HEADERS = [
    "at",
    "user",
    "action",
    "interface",
    "object_type",
    "object",
    "household",
    "detail",
]


def audit_rows(events: Any) -> Any:
    return (
        [
            e.at.isoformat(),
            e.username,
            e.action,
            e.interface,
            e.object_type,
            str(e.object_uuid or ""),
            str(e.household_uuid or ""),
            e.detail,
        ]
        for e in events
    )


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if not may_read_audit(user=request.user):
        raise PermissionDenied
    form = AuditSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_search(
        household=str(filters["household"]) if filters.get("household") else None,
        username=filters.get("username") or None,
        action=filters.get("action") or None,
        start=filters.get("start"),
        end=filters.get("end"),
    ).select_related("user")
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx") and form.is_valid():
        return export_response(
            fmt=fmt, filename="audittrail", headers=EXPORT_HEADERS, rows=audit_rows(events)
        )
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(request, "audit/audit_list.html", {"form": form, "page": page})
