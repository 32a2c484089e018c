"""Reads of weekly reports: the live report, the issued versions a user may see, a frozen
report verified against its checksum, and who may see and issue which audience."""

import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from opvangregie.accounts.constants import Role
from opvangregie.accounts.models import User
from opvangregie.accounts.selectors import user_roles
from opvangregie.core.dates import today
from opvangregie.monitoring.selectors import places_on
from opvangregie.organisations.constants import OrganisationKind
from opvangregie.organisations.models import Organisation

from .constants import AUDIENCE_HOUSING_REGION, SCHEMA, Audience
from .content import report_content
from .models import IssuedReport

# Roles that see (and the coordinator: issue) the reports of every audience.
ALL_AUDIENCES_ROLES = frozenset({Role.COORDINATOR, Role.STEERING_GROUP_MEMBER})
RRT_ROLES = frozenset({Role.RRT_MEMBER, Role.RRT_SECRETARY})
HOUSING_REGION_AUDIENCE = {code: audience for audience, code in AUDIENCE_HOUSING_REGION.items()}


class ReportIntegrityError(Exception):
    """A stored report no longer matches its checksum: it was changed after it was issued."""


def canonical_json(document: dict[str, Any]) -> str:
    """The one way a document is written: sorted keys, no spaces, UTF-8 characters as they are."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def checksum_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class FrozenReport:
    """An issued report as it was sent: ``content`` (the figures and the summary facts) and
    ``changes`` (what differs from the previous version), verified against ``checksum``."""

    uuid: str
    week: str
    audience: str
    version: int
    issued_at: datetime.datetime
    issued_by: str
    note: str
    checksum: str
    content: dict[str, Any]
    changes: list[dict[str, Any]]
    previous_version: int | None

    @property
    def audience_label(self) -> str:
        return str(Audience(self.audience).label)


def report_frozen(*, report: IssuedReport) -> FrozenReport:
    """The stored report, after checking its checksum (raises :class:`ReportIntegrityError`)."""
    if checksum_of(report.document) != report.checksum:
        raise ReportIntegrityError(
            _("Report %(week)s %(audience)s version %(version)s does not match its checksum.")
            % {"week": report.week, "audience": report.audience, "version": report.version}
        )
    document = json.loads(report.document)
    if (
        document.get("schema") != SCHEMA
        or document.get("week") != report.week
        or (
            document.get("audience") != report.audience or document.get("version") != report.version
        )
    ):
        raise ReportIntegrityError(_("The stored report does not belong to this record."))
    return FrozenReport(
        uuid=str(report.uuid),
        week=report.week,
        audience=report.audience,
        version=report.version,
        issued_at=report.issued_at,
        issued_by=document["issued_by"],
        note=document["note"],
        checksum=report.checksum,
        content=document["content"],
        changes=document["changes"],
        previous_version=document["previous_version"],
    )


def report_live(*, week: str, audience: str) -> dict[str, Any]:
    """The report computed now from the live figures (not stored)."""
    return report_content(week=week, audience=audience)


def _rrt_audiences(user: User) -> set[str]:
    grants = [g for g in user_roles(user=user) if g.role in RRT_ROLES]
    if not grants:
        return set()
    codes = {g.organisation_code for g in grants}
    kinds = dict(Organisation.objects.filter(code__in=codes).values_list("code", "kind"))
    places = None
    audiences = set()
    for code in codes:
        if kinds.get(code) == OrganisationKind.MUNICIPALITY:
            places = places or places_on(on=today())
            code = places[code].housing_region.code if code in places else ""
        if code in HOUSING_REGION_AUDIENCE:
            audiences.add(HOUSING_REGION_AUDIENCE[code])
    return audiences


def audiences_visible_to(*, user: User) -> list[str]:
    """The audiences whose reports ``user`` may read: coordinators and steering group members
    all; RRT members and secretaries their own RRT's; the province the PRT's."""
    if not getattr(user, "is_authenticated", False):
        return []
    roles = {g.role for g in user_roles(user=user)}
    if roles & ALL_AUDIENCES_ROLES:
        return list(Audience.values)
    audiences = _rrt_audiences(user)
    if Role.PROVINCE in roles:
        audiences.add(Audience.PROVINCE)
    return [a for a in Audience.values if a in audiences]


def audiences_issuable_by(*, user: User | None) -> list[str]:
    """The audiences ``user`` may issue a report for: coordinators every audience, an RRT
    secretary their own RRT's (``None``: the command line, every audience)."""
    if user is None:
        return list(Audience.values)
    if not getattr(user, "is_authenticated", False):
        return []
    grants = user_roles(user=user)
    if any(g.role == Role.COORDINATOR for g in grants):
        return list(Audience.values)
    own = {
        HOUSING_REGION_AUDIENCE[g.organisation_code]
        for g in grants
        if g.role == Role.RRT_SECRETARY and g.organisation_code in HOUSING_REGION_AUDIENCE
    }
    return [a for a in Audience.values if a in own]


def reports_visible_to(*, user: User) -> QuerySet[IssuedReport]:
    """The issued versions of the audiences ``user`` may read, newest week first."""
    return (
        IssuedReport.objects.filter(audience__in=audiences_visible_to(user=user))
        .select_related("issued_by")
        .order_by("-week", "audience", "-version")
    )


def latest_issued(*, audience: str, before: datetime.date | None = None) -> FrozenReport | None:
    """The newest issued report of ``audience`` — the latest week, its latest version — among
    those issued on or before the day ``before`` (default: any); ``None`` if there is none.
    For a meeting pack: ``latest_issued(audience="prt", before=meeting.date)``. Raises
    :class:`ReportIntegrityError` if that report fails its checksum."""
    reports = IssuedReport.objects.filter(audience=audience)
    if before is not None:
        reports = reports.filter(issued_at__date__lte=before)
    report = reports.order_by("-week", "-version").first()
    return report_frozen(report=report) if report else None
