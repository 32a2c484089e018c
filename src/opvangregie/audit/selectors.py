import datetime
from typing import Any

from django.db.models import Q, QuerySet

from opvangregie.accounts.selectors import is_privacy_officer

from .models import AuditEvent


def may_read_audit(*, user: Any) -> bool:
    """Only the privacy officer reads the audit trail (not even an administrator)."""
    return bool(user.is_authenticated) and is_privacy_officer(user=user)


def audit_search(
    *,
    household: str | None = None,
    username: str | None = None,
    action: str | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if household:
        events = events.filter(Q(household_uuid=household) | Q(object_uuid=household))
    if username:
        events = events.filter(username__iexact=username)
    if action:
        events = events.filter(action=action)
    if start:
        events = events.filter(at__date__gte=start)
    if end:
        events = events.filter(at__date__lte=end)
    return events.order_by("-at", "-pk")
