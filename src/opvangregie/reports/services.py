"""Issuing a weekly report: freeze the live figures as a new version (one transaction)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from opvangregie.accounts.models import User

from .constants import SCHEMA, Audience
from .content import InvalidWeekError, report_content, week_monday
from .diff import content_diff
from .models import IssuedReport
from .selectors import audiences_issuable_by, canonical_json, checksum_of, report_frozen


def report_issue(*, user: User | None, week: str, audience: str, note: str = "") -> IssuedReport:
    """Freeze the report of ``audience`` for ``week`` as its next version.

    The figures are computed now and stored as canonical JSON with its SHA-256 checksum, who
    issued it and when; a version after the first also stores what changed since the previous
    one. ``user`` ``None`` is the command line (an operator with database access)."""
    if audience not in Audience.values:
        raise ValidationError(_("Unknown audience '%(audience)s'.") % {"audience": audience})
    try:
        week_monday(week)
    except InvalidWeekError as exc:
        raise ValidationError(
            _("'%(week)s' is not an ISO week; use the form 2024-W10.") % {"week": week}
        ) from exc
    if audience not in audiences_issuable_by(user=user):
        raise PermissionDenied(_("You may not issue this report."))
    with transaction.atomic():
        # Lock the versions of this week and audience so that two issues number in turn.
        versions = IssuedReport.objects.select_for_update().filter(week=week, audience=audience)
        list(versions.values_list("pk", flat=True))
        previous = versions.order_by("-version").first()
        number = (versions.aggregate(n=Max("version"))["n"] or 0) + 1
        content = report_content(week=week, audience=audience)
        changes: list[dict[str, Any]] = []
        if previous is not None:
            changes = content_diff(report_frozen(report=previous).content, content)
        issued_at = timezone.now()
        document = {
            "schema": SCHEMA,
            "week": week,
            "audience": audience,
            "version": number,
            "issued_at": issued_at.isoformat(),
            "issued_by": (user.get_full_name() or user.username) if user else "",
            "note": note,
            "previous_version": previous.version if previous else None,
            "content": content,
            "changes": changes,
        }
        text = canonical_json(document)
        try:
            with transaction.atomic():  # a savepoint: two issues at once both chose this number
                return IssuedReport.objects.create(
                    week=week,
                    audience=audience,
                    version=number,
                    document=text,
                    checksum=checksum_of(text),
                    issued_at=issued_at,
                    issued_by=user,
                    note=note,
                )
        except IntegrityError as exc:
            raise ValidationError(
                _("This report was issued by someone else at the same moment; try again.")
            ) from exc
