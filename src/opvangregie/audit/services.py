"""Writing the audit trail. Call it inside the transaction of the use case it records."""

import uuid
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest

from .context import current
from .models import AuditEvent

# Never written to the trail, whatever a caller passes in the detail.
FORBIDDEN_KEYS = frozenset({"bsn", "bsn_encrypted", "bsn_hash", "password"})


def _user_of(actor: Any) -> Any:
    if isinstance(actor, HttpRequest):
        actor = getattr(actor, "user", None)
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return actor


def _clean(detail: dict[str, Any] | None) -> dict[str, Any]:
    def scrub(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: scrub(v) for k, v in value.items() if k.lower() not in FORBIDDEN_KEYS}
        if isinstance(value, list | tuple):
            return [scrub(v) for v in value]
        if isinstance(value, uuid.UUID):
            return str(value)
        return value

    return scrub(detail or {})


def audit_record(
    *,
    action: str,
    object_type: str,
    households: Iterable[Any] = (),
    object_uuid: Any = None,
    detail: dict[str, Any] | None = None,
    user: Any = None,
    interface: str | None = None,
) -> list[AuditEvent]:
    """One row per household concerned (a list or export of ten households writes ten rows, so
    that each household's access history is complete). ``households``: UUIDs or objects with a
    ``uuid``; none and no ``object_uuid``: nothing to record. Without ``user``/``interface``,
    those of the current request or command."""
    actor, current_interface = current()
    who = _user_of(user if user is not None else actor)
    how = interface or current_interface
    cleaned = _clean(detail)
    uuids = [getattr(h, "uuid", h) for h in households]
    if not uuids:
        if object_uuid is None:
            return []  # nothing about a household was read or changed
        uuids = [None]
    return AuditEvent.objects.bulk_create(
        AuditEvent(
            user=who,
            username=who.get_username() if who else "",
            action=action,
            interface=how,
            object_type=object_type,
            object_uuid=object_uuid if object_uuid is not None else household,
            household_uuid=household,
            detail=cleaned,
        )
        for household in uuids
    )
