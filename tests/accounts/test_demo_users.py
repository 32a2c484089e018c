import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from opvangregie.accounts.constants import Role
from opvangregie.accounts.models import User
from opvangregie.accounts.selectors import user_has_role, user_roles
from opvangregie.accounts.services import (
    DemoModeRequiredError,
    demo_users_create,
    role_assignment_create,
)
from opvangregie.organisations.models import Organisation
from tests.accounts.factories import UserFactory

NAMES = {
    "coordinator",
    "gemeente-leiden",
    "financien-leiden",
    "rrt-holland-rijnland",
    "stuurgroep",
    "provincie",
    "admin",
    "privacy",
}


def test_demo_users_are_refused_outside_demo_mode(reference: None) -> None:
    with pytest.raises(DemoModeRequiredError):
        demo_users_create(password="geheim-demo-wachtwoord")
    assert not User.objects.exists()


def test_demo_users_one_per_role(reference: None, demo_mode: None) -> None:
    demo_users_create(password="geheim-demo-wachtwoord")
    assert set(User.objects.values_list("username", flat=True)) == NAMES
    leiden = User.objects.get(username="gemeente-leiden")
    [grant] = user_roles(user=leiden)
    assert grant.role == Role.MUNICIPAL_OFFICER
    assert grant.organisation_code == "GM0546"
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.get(username="coordinator").is_superuser


def test_demo_users_twice_does_not_duplicate_roles(reference: None, demo_mode: None) -> None:
    demo_users_create(password="geheim-demo-wachtwoord")
    demo_users_create(password="geheim-demo-wachtwoord")
    coordinator = User.objects.get(username="coordinator")
    assert len(user_roles(user=coordinator)) == 1


def test_demo_user_logs_in_only_in_demo_mode(
    client: Client, reference: None, settings: pytest.FixtureRequest
) -> None:
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    demo_users_create(password="geheim-demo-wachtwoord")
    form = {"username": "coordinator", "password": "geheim-demo-wachtwoord"}
    assert client.post(reverse("login"), form).status_code == 302
    client.logout()
    settings.DEMO_MODE = False  # type: ignore[attr-defined]
    response = client.post(reverse("login"), form)
    assert response.status_code == 200
    assert "komen niet overeen" in response.content.decode()


def test_a_real_user_logs_in_outside_demo_mode(client: Client, db: None) -> None:
    UserFactory(username="echt", password="een-lang-wachtwoord")
    response = client.post(
        reverse("login"), {"username": "echt", "password": "een-lang-wachtwoord"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_command_needs_demo_mode(reference: None) -> None:
    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("demo_users", "--password", "geheim-demo-wachtwoord")


def test_role_must_fit_the_organisation(reference: None) -> None:
    user = UserFactory()
    with pytest.raises(ValidationError):
        role_assignment_create(
            user=user,
            role=Role.MUNICIPAL_OFFICER,
            organisation=Organisation.objects.get(code="holland-rijnland"),
        )


def test_several_roles_and_validity(reference: None) -> None:
    import datetime

    user = UserFactory()
    role_assignment_create(
        user=user, role=Role.RRT_MEMBER, organisation=Organisation.objects.get(code="GM0513")
    )
    role_assignment_create(
        user=user,
        role=Role.STEERING_GROUP_MEMBER,
        organisation=Organisation.objects.get(code="midden-holland"),
        valid_to=datetime.date(2024, 6, 1),
    )
    assert user_has_role(user=user, role=Role.STEERING_GROUP_MEMBER, on=datetime.date(2024, 5, 1))
    assert not user_has_role(
        user=user, role=Role.STEERING_GROUP_MEMBER, on=datetime.date(2024, 6, 1)
    )
    assert len(user_roles(user=user, on=datetime.date(2024, 5, 1))) == 2
