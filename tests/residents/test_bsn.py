import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from opvangregie.accounts.constants import Role
from opvangregie.accounts.services import role_assignment_create
from opvangregie.core import bsn
from opvangregie.organisations.models import Organisation
from opvangregie.residents.models import Person
from opvangregie.residents.services import HouseholdData, PersonData, household_create
from tests.accounts.factories import UserFactory
from tests.capacity.factories import make_location


@pytest.mark.parametrize("value", ["111222333", "123456782", "1234 56 782", "12345672"])
def test_valid_numbers_pass_the_eleven_test(value: str) -> None:
    assert bsn.is_valid(value)


@pytest.mark.parametrize("value", ["111222334", "000000000", "12345678", "1234567890", "abc", ""])
def test_invalid_numbers_fail(value: str) -> None:
    assert not bsn.is_valid(value)


def _household(number: str) -> Person:
    household = household_create(
        data=HouseholdData(
            persons=[PersonData("Olena", "Koval", datetime.date(1984, 3, 12), "female", bsn=number)]
        )
    )
    return household.persons.get()


@pytest.mark.django_db
def test_bsn_is_stored_encrypted_and_never_in_clear() -> None:
    person = _household("111222333")
    assert person.has_bsn
    assert bsn.decrypt(person.bsn_encrypted) == "111222333"
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM residents_person")
        raw = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert "111222333" not in raw
    assert "22333" not in raw


@pytest.mark.django_db
def test_a_bsn_is_refused_twice_and_when_invalid() -> None:
    _household("111222333")
    with pytest.raises(ValidationError, match="BSN"):
        _household("111222333")
    with pytest.raises(ValidationError, match="elfproef"):
        _household("111222334")
    assert Person.objects.count() == 1


def test_masked_shows_only_the_last_four() -> None:
    assert bsn.masked("111222333") == "*****2333"


def test_without_a_key_outside_demo_mode_it_refuses(settings: pytest.FixtureRequest) -> None:
    from django.core.exceptions import ImproperlyConfigured

    settings.FIELD_ENCRYPTION_KEY = ""  # type: ignore[attr-defined]
    settings.DEMO_MODE = False  # type: ignore[attr-defined]
    settings.DEBUG = False  # type: ignore[attr-defined]
    with pytest.raises(ImproperlyConfigured):
        bsn.encrypt("111222333")


def test_the_api_takes_a_bsn_but_never_returns_it(client: Client, reference: None) -> None:
    user = UserFactory()
    role_assignment_create(
        user=user, role=Role.COORDINATOR, organisation=Organisation.objects.get(code="twov")
    )
    client.force_login(user)
    cno = make_location(beds=5, type="cno")
    response = client.post(
        "/api/v1/households",
        {
            "persons": [
                {
                    "given_name": "A",
                    "family_name": "B",
                    "birth_date": "1990-01-01",
                    "sex": "female",
                    "bsn": "123456782",
                }
            ],
            "location": str(cno.uuid),
            "intake_on": "2024-02-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert "123456782" not in response.content.decode()
    assert response.json()["persons"][0]["has_bsn"] is True
    listed = client.get("/api/v1/persons").content.decode()
    assert "123456782" not in listed
    assert "bsn_encrypted" not in listed
