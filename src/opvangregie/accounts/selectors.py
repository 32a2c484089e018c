"""Reads about users and their roles. Every page that asks "what may this user see" starts here."""

import datetime
from dataclasses import dataclass

from opvangregie.core.dates import today
from opvangregie.core.validity import valid_on_q

from .constants import Role
from .models import RoleAssignment, User


@dataclass(frozen=True)
class RoleGrant:
    role: str
    role_label: str
    organisation_code: str
    organisation_name: str


def user_roles(*, user: User, on: datetime.date | None = None) -> list[RoleGrant]:
    """The roles a user holds on a date (default today), with the organisation of each."""
    day = on or today()
    assignments = (
        RoleAssignment.objects.filter(valid_on_q(day), user=user)
        .select_related("organisation")
        .order_by("role", "organisation__name")
    )
    return [
        RoleGrant(
            role=a.role,
            role_label=str(Role(a.role).label),
            organisation_code=a.organisation.code,
            organisation_name=a.organisation.name,
        )
        for a in assignments
    ]


def user_has_role(*, user: User, role: Role, on: datetime.date | None = None) -> bool:
    day = on or today()
    return RoleAssignment.objects.filter(valid_on_q(day), user=user, role=role).exists()


def user_organisation_codes(
    *, user: User, roles: tuple[str, ...], on: datetime.date | None = None
) -> set[str]:
    """Codes of the organisations for which the user holds one of ``roles`` on a date."""
    if not getattr(user, "is_authenticated", False):
        return set()
    day = on or today()
    return set(
        RoleAssignment.objects.filter(valid_on_q(day), user=user, role__in=roles).values_list(
            "organisation__code", flat=True
        )
    )


def is_coordinator(*, user: User, on: datetime.date | None = None) -> bool:
    return bool(user_organisation_codes(user=user, roles=(Role.COORDINATOR,), on=on))


def officer_municipalities(*, user: User, on: datetime.date | None = None) -> set[str]:
    """CBS codes of the municipalities for which the user is municipal officer."""
    return user_organisation_codes(user=user, roles=(Role.MUNICIPAL_OFFICER,), on=on)


def may_manage_municipality(*, user: User, municipality_code: str) -> bool:
    """Coordinators act for every municipality; municipal officers for their own."""
    return is_coordinator(user=user) or municipality_code in officer_municipalities(user=user)


def may_see_personal_data(*, user: User) -> bool:
    """Whether the user may see any personal data at all (coordinator or municipal officer)."""
    return is_coordinator(user=user) or bool(officer_municipalities(user=user))


def is_privacy_officer(*, user: User) -> bool:
    """The privacy officer reads the audit trail; nobody else does (administrators neither)."""
    return user_has_role(user=user, role=Role.PRIVACY_OFFICER)


def finance_municipalities(*, user: User, on: datetime.date | None = None) -> set[str]:
    """CBS codes of the municipalities for which the user is finance officer."""
    return user_organisation_codes(user=user, roles=(Role.FINANCE_OFFICER,), on=on)
