import datetime

import pytest
from django.test import Client

from opvangregie.accounts.constants import Role
from opvangregie.accounts.models import User
from opvangregie.residents.models import Stay
from opvangregie.residents.services import stay_intake
from tests.accounts.factories import user_with_role
from tests.capacity.factories import make_location
from tests.residents.factories import make_household

D = datetime.date
pytestmark = pytest.mark.usefixtures("reference")


def _user(role: str | None, organisation: str | None) -> User:
    return user_with_role(role, organisation)


@pytest.fixture
def coordinator(client: Client) -> Client:
    client.force_login(_user(Role.COORDINATOR, "twov"))
    return client


def test_create_location_and_read_it_back(coordinator: Client) -> None:
    response = coordinator.post(
        "/api/v1/locations",
        {
            "name": "Sporthal Noord",
            "type": "municipal",
            "municipality": "GM0513",
            "beds": 40,
            "blocked_beds": 4,
            "opens_on": "2024-02-01",
            "features": ["wheelchair_accessible"],
            "units": {"4": 9},
            "lets_units": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["municipality"] == "GM0513"
    assert body["capacity"][0]["allocable"] == 36
    assert body["capacity"][0]["units"] == {"4": 9}
    detail = coordinator.get(f"/api/v1/locations/{body['uuid']}").json()
    assert detail["status"] == [{"status": "open", "effective_date": "2024-02-01", "note": ""}]
    occupancy = coordinator.get("/api/v1/occupancy", {"on": "2024-02-01"}).json()
    assert occupancy["municipalities"]["GM0513"]["allocable"] == 36


def test_units_larger_than_the_beds_are_a_400_problem(coordinator: Client) -> None:
    response = coordinator.post(
        "/api/v1/locations",
        {
            "name": "X",
            "type": "municipal",
            "municipality": "GM0513",
            "beds": 4,
            "opens_on": "2024-02-01",
            "units": {"4": 2},
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "8 beds" in response.json()["detail"]


def test_municipal_officer_manages_only_own_locations(client: Client) -> None:
    client.force_login(_user(Role.MUNICIPAL_OFFICER, "GM0546"))
    payload = {"name": "X", "type": "municipal", "beds": 4, "opens_on": "2024-02-01"}
    own = client.post(
        "/api/v1/locations", {**payload, "municipality": "GM0546"}, content_type="application/json"
    )
    other = client.post(
        "/api/v1/locations", {**payload, "municipality": "GM0513"}, content_type="application/json"
    )
    assert own.status_code == 201
    assert other.status_code == 403


def test_capacity_change_that_strands_residents_is_refused(coordinator: Client) -> None:
    location = make_location(beds=4)
    stay_intake(household=make_household(3), location=location, on=D(2024, 2, 1))
    response = coordinator.post(
        f"/api/v1/locations/{location.uuid}/capacity",
        {"valid_from": "2024-03-01", "beds": 2},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Move residents first" in response.json()["detail"]
    ok = coordinator.post(
        f"/api/v1/locations/{location.uuid}/capacity",
        {"valid_from": "2024-03-01", "beds": 6},
        content_type="application/json",
    )
    assert ok.status_code == 201
    assert [c["beds"] for c in ok.json()["capacity"]] == [4, 6]


def test_register_household_with_intake_then_move_and_depart(coordinator: Client) -> None:
    cno = make_location(beds=10, type="cno")
    gouda = make_location(beds=4, municipality="GM0513")
    response = coordinator.post(
        "/api/v1/households",
        {
            "external_id": "HH-1",
            "persons": [
                {
                    "given_name": "Olena",
                    "family_name": "Koval",
                    "birth_date": "1985-04-02",
                    "sex": "female",
                },
                {
                    "given_name": "Dmytro",
                    "family_name": "Koval",
                    "birth_date": "2015-09-12",
                    "sex": "male",
                },
            ],
            "needs": ["wheelchair"],
            "ties": [{"municipality": "GM0513", "kind": "work"}],
            "location": str(cno.uuid),
            "intake_on": "2024-02-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    household = response.json()
    assert household["needs"] == ["wheelchair"]
    assert household["ties"] == [{"municipality": "GM0513", "kind": "work"}]
    moved = coordinator.post(
        f"/api/v1/households/{household['uuid']}/move",
        {"location": str(gouda.uuid), "on": "2024-02-04"},
        content_type="application/json",
    )
    assert moved.status_code == 201
    assert {s["location_name"] for s in moved.json()} == {gouda.name}
    left = coordinator.post(
        f"/api/v1/households/{household['uuid']}/departure",
        {"on": "2024-05-01", "reason": "own_housing"},
        content_type="application/json",
    )
    assert left.status_code == 200
    stays = coordinator.get("/api/v1/stays", {"household": household["uuid"]}).json()
    assert stays["count"] == 4
    assert Stay.objects.filter(end_date__isnull=True).count() == 0


def test_a_refused_intake_writes_no_household(coordinator: Client) -> None:
    full = make_location(beds=1)
    response = coordinator.post(
        "/api/v1/households",
        {
            "persons": [
                {
                    "given_name": "A",
                    "family_name": "B",
                    "birth_date": "1990-01-01",
                    "sex": "female",
                },
                {"given_name": "C", "family_name": "B", "birth_date": "1991-01-01", "sex": "male"},
            ],
            "location": str(full.uuid),
            "intake_on": "2024-02-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert coordinator.get("/api/v1/households").json()["count"] == 0


def test_officer_sees_only_households_in_own_municipality(client: Client) -> None:
    leiden = make_location(beds=4, municipality="GM0546")
    gouda = make_location(beds=4, municipality="GM0513")
    in_leiden, in_gouda = make_household(1), make_household(1)
    stay_intake(household=in_leiden, location=leiden, on=D(2024, 2, 1))
    stay_intake(household=in_gouda, location=gouda, on=D(2024, 2, 1))
    client.force_login(_user(Role.MUNICIPAL_OFFICER, "GM0546"))
    listed = client.get("/api/v1/households").json()
    assert [h["uuid"] for h in listed["results"]] == [str(in_leiden.uuid)]
    assert client.get(f"/api/v1/households/{in_gouda.uuid}").status_code == 404
    gouda_person = in_gouda.persons.get()
    assert client.get(f"/api/v1/persons/{gouda_person.uuid}").status_code == 404
    assert client.get("/api/v1/stays").json()["count"] == 1


@pytest.mark.parametrize(
    ("role", "organisation"),
    [
        (Role.RRT_SECRETARY, "holland-rijnland"),
        (Role.STEERING_GROUP_MEMBER, "vrhm"),
        (Role.PROVINCE, "pv-zuid-holland"),
        (None, None),
    ],
)
def test_roles_without_personal_data_see_no_households(
    client: Client, role: str | None, organisation: str | None
) -> None:
    location = make_location(beds=4)
    stay_intake(household=make_household(1), location=location, on=D(2024, 2, 1))
    client.force_login(_user(role, organisation))
    assert client.get("/api/v1/households").json()["count"] == 0
    assert client.get("/api/v1/persons").json()["count"] == 0
    assert client.get("/api/v1/stays").json()["count"] == 0
    response = client.post(
        "/api/v1/households",
        {
            "persons": [
                {"given_name": "A", "family_name": "B", "birth_date": "1990-01-01", "sex": "female"}
            ]
        },
        content_type="application/json",
    )
    assert response.status_code == 403
