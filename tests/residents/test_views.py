import datetime

import pytest
from django.test import Client
from django.urls import reverse

from opvangregie.accounts.constants import Role
from opvangregie.residents.models import Household, Stay
from opvangregie.residents.services import stay_intake
from tests.accounts.factories import user_with_role
from tests.capacity.factories import make_location
from tests.residents.factories import make_household

D = datetime.date
pytestmark = pytest.mark.usefixtures("reference")


def _login(client: Client, role: str, organisation: str) -> Client:
    client.force_login(user_with_role(role, organisation))
    return client


def test_register_household_and_check_in(client: Client) -> None:
    _login(client, Role.COORDINATOR, "twov")
    cno = make_location(beds=10, type="cno", opens_on=D(2020, 1, 1))
    response = client.post(
        reverse("residents:create"),
        {
            "external_id": "HH-9",
            "location": cno.pk,
            "intake_on": "2024-02-01",
            "needs": ["pet"],
            "person-TOTAL_FORMS": "4",
            "person-INITIAL_FORMS": "0",
            "person-0-given_name": "Iryna",
            "person-0-family_name": "Bondar",
            "person-0-birth_date": "1980-05-05",
            "person-0-sex": "female",
            "person-1-given_name": "Sofiia",
            "person-1-family_name": "Bondar",
            "person-1-birth_date": "2012-07-01",
            "person-1-sex": "female",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    household = Household.objects.get(external_id="HH-9")
    assert household.persons.count() == 2
    assert Stay.objects.filter(location=cno).count() == 2


def test_registration_without_persons_is_refused(client: Client) -> None:
    _login(client, Role.COORDINATOR, "twov")
    cno = make_location(beds=10, type="cno")
    response = client.post(
        reverse("residents:create"),
        {
            "location": cno.pk,
            "intake_on": "2024-02-01",
            "person-TOTAL_FORMS": "4",
            "person-INITIAL_FORMS": "0",
        },
    )
    assert "Een huishouden bestaat uit ten minste één persoon." in response.content.decode()
    assert not Household.objects.exists()


def test_move_with_htmx_and_a_clear_error(client: Client) -> None:
    _login(client, Role.COORDINATOR, "twov")
    cno = make_location(beds=10, type="cno")
    small = make_location(beds=1, name="Klein")
    roomy = make_location(beds=6, name="Ruim")
    household = make_household(2)
    stay_intake(household=household, location=cno, on=D(2024, 2, 1))
    url = reverse("residents:move", args=[household.uuid])
    refused = client.post(
        url, {"move-location": small.pk, "move-on": "2024-02-03"}, HTTP_HX_REQUEST="true"
    )
    assert "heeft geen plaats voor 2" in refused.content.decode()
    moved = client.post(
        url, {"move-location": roomy.pk, "move-on": "2024-02-03"}, HTTP_HX_REQUEST="true"
    )
    assert moved.status_code == 204
    page = client.get(reverse("residents:household", args=[household.uuid])).content.decode()
    assert "Ruim" in page
    assert "verhuizing" in page


def test_departure_form(client: Client) -> None:
    _login(client, Role.COORDINATOR, "twov")
    location = make_location(beds=4)
    household = make_household(1)
    stay_intake(household=household, location=location, on=D(2024, 2, 1))
    url = reverse("residents:departure", args=[household.uuid])
    assert (
        client.post(url, {"departure-on": "2024-03-01", "departure-reason": "returned"}).status_code
        == 302
    )
    assert Stay.objects.get().departure_reason == "returned"


def test_search_and_waiting_list_within_scope(client: Client) -> None:
    leiden = make_location(beds=4, municipality="GM0546")
    gouda = make_location(beds=4, municipality="GM0513")
    in_leiden, in_gouda = make_household(1), make_household(1)
    stay_intake(household=in_leiden, location=leiden, on=D(2024, 2, 1))
    stay_intake(household=in_gouda, location=gouda, on=D(2024, 2, 1))
    _login(client, Role.MUNICIPAL_OFFICER, "GM0546")
    leiden_name = in_leiden.persons.get().family_name
    gouda_name = in_gouda.persons.get().family_name
    page = client.get(reverse("residents:search"), {"q": leiden_name}).content.decode()
    assert leiden_name in page
    other = client.get(reverse("residents:search"), {"q": gouda_name}).content.decode()
    assert str(in_gouda.uuid) not in other
    assert client.get(reverse("residents:household", args=[in_gouda.uuid])).status_code == 404


@pytest.mark.parametrize(
    ("role", "organisation"),
    [
        (Role.RRT_SECRETARY, "holland-rijnland"),
        (Role.STEERING_GROUP_MEMBER, "vrhm"),
        (Role.PROVINCE, "pv-zuid-holland"),
        (Role.ADMINISTRATOR, "vrhm"),
    ],
)
def test_roles_without_personal_data_get_no_resident_pages(
    client: Client, role: str, organisation: str
) -> None:
    location = make_location(beds=4)
    household = make_household(1)
    stay_intake(household=household, location=location, on=D(2024, 2, 1))
    _login(client, role, organisation)
    assert client.get(reverse("residents:search")).status_code == 403
    assert client.get(reverse("residents:household", args=[household.uuid])).status_code == 403
    home = client.get(reverse("home")).content.decode()
    assert reverse("residents:search") not in home


def test_stays_export_within_scope(client: Client) -> None:
    leiden = make_location(beds=4, municipality="GM0546", name="Leiden 1")
    household = make_household(2)
    stay_intake(household=household, location=leiden, on=D(2024, 2, 1))
    _login(client, Role.MUNICIPAL_OFFICER, "GM0546")
    url = reverse("residents:location_stays", args=[leiden.uuid])
    text = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("person,given_name,family_name,birth_date")
    assert len(lines) == 3
    client.logout()
    _login(client, Role.MUNICIPAL_OFFICER, "GM0513")
    assert client.get(url).status_code == 404
