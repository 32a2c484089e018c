"""Single sign-on through OpenID Connect (mozilla-django-oidc), with the user's roles taken from
a claim: values "role:organisation-code" (e.g. "municipal_officer:GM0546"). At every log-in the
roles that come from the identity provider are synchronised: added when new, ended when gone."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from opvangregie.core.dates import today
from opvangregie.core.validity import valid_on_q
from opvangregie.organisations.models import Organisation

from .constants import Role
from .models import RoleAssignment, User
from .services import role_assignment_create


def roles_from_claims(claims: dict[str, Any]) -> set[tuple[str, str]]:
    """(role, organisation code) pairs named in the roles claim; unknown ones are ignored."""
    values = claims.get(settings.OIDC_ROLES_CLAIM) or []
    if isinstance(values, str):
        values = [values]
    pairs = set()
    for value in values:
        role, _, code = str(value).partition(":")
        if role in Role.values and code:
            pairs.add((role, code))
    return pairs


@transaction.atomic
def roles_synchronise(*, user: User, claims: dict[str, Any]) -> None:
    wanted = roles_from_claims(claims)
    day = today()
    current = RoleAssignment.objects.filter(valid_on_q(day), user=user).select_related(
        "organisation"
    )
    have = {(a.role, a.organisation.code): a for a in current}
    for pair, assignment in have.items():
        if pair not in wanted:
            if assignment.valid_from == day:
                assignment.delete()
            else:
                assignment.valid_to = day
                assignment.save(update_fields=["valid_to", "updated_at"])
    for role, code in wanted - set(have):
        organisation = Organisation.objects.filter(code=code).first()
        if organisation is None:
            continue
        try:
            role_assignment_create(user=user, role=Role(role), organisation=organisation)
        except ValidationError:
            continue  # a role that cannot be held for that organisation: not granted


class RoleMappingOIDCBackend(OIDCAuthenticationBackend):
    def create_user(self, claims: dict[str, Any]) -> User:
        user: User = super().create_user(claims)
        user.first_name = claims.get("given_name", "")
        user.last_name = claims.get("family_name", "")
        user.save(update_fields=["first_name", "last_name"])
        roles_synchronise(user=user, claims=claims)
        return user

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        roles_synchronise(user=user, claims=claims)
        return user
