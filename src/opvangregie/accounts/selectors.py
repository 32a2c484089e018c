"""Reads about users and their roles. Every page that asks "what may this user see" starts here."""

import datetime
from dataclasses import dataclass

from opvangregie.core.dates import today
from opvangregie.core.validity import valid_on_q

from .constants import Role
from .models import RoleAssignment, User
from .role_cache import Grants, cached_grants


@dataclass(frozen=True)
class RoleGrant:
    role: str
    role_label: str
    organisation_code: str
    organisation_name: str


def user_roles(*, user: User, on: datetime.date | None = None) -> list[RoleGrant]:
    """The roles a user holds on a date (default today), with the organisation of each."""
    return [
        RoleGrant(
            role=role,
            role_label=str(Role(role).label),
            organisation_code=code,
            organisation_name=name,
        )
        for role, code, name in sorted(_grants(user, on), key=lambda g: (g[0], g[2], g[1]))
    ]


def _grants(user: User, on: datetime.date | None) -> Grants:
    """All (role, organisation code, name) of the user on ``on`` (default today), in one query,
    read once per request (``role_cache``)."""
    day = on or today()

    def load() -> Grants:
        return frozenset(
            RoleAssignment.objects.filter(valid_on_q(day), user=user).values_list(
                "role", "organisation__code", "organisation__name"
            )
        )

    return load() if user.pk is None else cached_grants(user.pk, day, load)


def user_has_role(*, user: User, role: Role, on: datetime.date | None = None) -> bool:
    return any(granted == role for granted, _code, _name in _grants(user, on))


def user_organisation_codes(
    *, user: User, roles: tuple[str, ...], on: datetime.date | None = None
) -> set[str]:
    """Codes of the organisations for which the user holds one of ``roles`` on a date."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return {code for role, code, _name in _grants(user, on) if role in roles}


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
