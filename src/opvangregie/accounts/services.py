"""Writes about users and roles: one transaction per use case."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from opvangregie.organisations.models import Organisation

from .constants import ROLE_ORGANISATION_KINDS, Role
from .models import RoleAssignment, User


def role_assignment_create(
    *,
    user: User,
    role: Role,
    organisation: Organisation,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> RoleAssignment:
    allowed = ROLE_ORGANISATION_KINDS[role]
    if organisation.kind not in allowed:
        raise ValidationError(
            _("The role %(role)s cannot be held for %(organisation)s.")
            % {"role": Role(role).label, "organisation": organisation.name}
        )
    assignment = RoleAssignment(
        user=user, role=role, organisation=organisation, valid_from=valid_from, valid_to=valid_to
    )
    assignment.full_clean()
    assignment.save()
    return assignment


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    organisation_code: str
    first_name: str


DEMO_USERS = [
    DemoUser("coordinator", Role.COORDINATOR, "twov", "Coördinator"),
    DemoUser("gemeente-leiden", Role.MUNICIPAL_OFFICER, "GM0546", "Gemeente Leiden"),
    DemoUser("financien-leiden", Role.FINANCE_OFFICER, "GM0546", "Financiën Leiden"),
    DemoUser(
        "rrt-holland-rijnland", Role.RRT_SECRETARY, "holland-rijnland", "RRT Holland Rijnland"
    ),
    DemoUser("stuurgroep", Role.STEERING_GROUP_MEMBER, "vrhm", "Stuurgroep"),
    DemoUser("provincie", Role.PROVINCE, "pv-zuid-holland", "Provincie"),
    DemoUser("admin", Role.ADMINISTRATOR, "vrhm", "Beheerder"),
    DemoUser("privacy", Role.PRIVACY_OFFICER, "twov", "Privacyfunctionaris"),
]


class DemoModeRequiredError(RuntimeError):
    pass


@transaction.atomic
def demo_users_create(*, password: str) -> list[User]:
    """Create (or reset) one demo user per role. Refused outside demo mode."""
    if not settings.DEMO_MODE:
        raise DemoModeRequiredError(_("Demo users exist only in demo mode (DEMO_MODE=1)."))
    users = []
    for spec in DEMO_USERS:
        organisation = Organisation.objects.get(code=spec.organisation_code)
        user, _created = User.objects.get_or_create(username=spec.username)
        user.first_name = spec.first_name
        user.is_demo = True
        user.is_staff = spec.role == Role.ADMINISTRATOR
        user.is_superuser = spec.role == Role.ADMINISTRATOR
        user.set_password(password)
        user.save()
        if not RoleAssignment.objects.filter(
            user=user, role=spec.role, organisation=organisation
        ).exists():
            role_assignment_create(user=user, role=spec.role, organisation=organisation)
        users.append(user)
    return users
