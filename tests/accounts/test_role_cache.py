"""The roles of the requesting user are read once per request, and a change is read at once."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from opvangregie.accounts.constants import Role
from opvangregie.accounts.models import RoleAssignment
from opvangregie.accounts.role_cache import role_cache
from opvangregie.accounts.selectors import is_coordinator, user_has_role, user_roles
from opvangregie.accounts.services import role_assignment_create
from opvangregie.organisations.models import Organisation

from .factories import user_with_role

pytestmark = pytest.mark.django_db


def _role_queries(ctx: CaptureQueriesContext) -> int:
    return sum("accounts_roleassignment" in q["sql"] for q in ctx.captured_queries)


def test_a_page_reads_the_users_roles_once(reference: None, client: Client) -> None:
    user = user_with_role(Role.COORDINATOR, "twov")
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    # The home page lists the roles and the menu asks for each item whether to show it.
    assert _role_queries(ctx) == 1


def test_without_a_request_nothing_is_cached(reference: None) -> None:
    user = user_with_role()
    assert not is_coordinator(user=user)
    role_assignment_create(
        user=user, role=Role.COORDINATOR, organisation=Organisation.objects.get(code="twov")
    )
    assert is_coordinator(user=user)


def test_a_role_changed_inside_a_request_is_read_at_once(reference: None) -> None:
    user = user_with_role()
    with role_cache():
        assert not is_coordinator(user=user)
        assignment = role_assignment_create(
            user=user, role=Role.COORDINATOR, organisation=Organisation.objects.get(code="twov")
        )
        assert is_coordinator(user=user)
        assert [g.organisation_code for g in user_roles(user=user)] == ["twov"]
        RoleAssignment.objects.get(pk=assignment.pk).delete()
        assert not user_has_role(user=user, role=Role.COORDINATOR)


def test_the_cache_answers_as_the_database_does(reference: None) -> None:
    user = user_with_role(Role.MUNICIPAL_OFFICER, "GM0546")
    role_assignment_create(
        user=user, role=Role.FINANCE_OFFICER, organisation=Organisation.objects.get(code="GM0546")
    )
    uncached = (user_roles(user=user), user_has_role(user=user, role=Role.FINANCE_OFFICER))
    with role_cache(), CaptureQueriesContext(connection) as ctx:
        cached = (user_roles(user=user), user_has_role(user=user, role=Role.FINANCE_OFFICER))
        assert not is_coordinator(user=user)
    assert cached == uncached
    assert _role_queries(ctx) == 1
