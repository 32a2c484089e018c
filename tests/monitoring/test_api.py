from typing import Any

import pytest
from django.test import Client

from opvangregie.accounts.constants import Role
from opvangregie.monitoring.api.serializers import (
    FlowsSerializer,
    ForecastSerializer,
    LevelFiguresSerializer,
    UnitFiguresSerializer,
)
from tests.accounts.factories import user_with_role
from tests.monitoring import scenario
from tests.monitoring.scenario import Region

pytestmark = pytest.mark.usefixtures("reference")
ON = "2024-02-14"


@pytest.fixture
def region() -> Region:
    return scenario.build()


def _client(client: Client, role: str | None, organisation: str | None) -> Client:
    client.force_login(user_with_role(role, organisation))
    return client


def _problem(response: Any, status: int) -> Any:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def test_a_coordinator_gets_every_location(client: Client, region: Region) -> None:
    api = _client(client, Role.COORDINATOR, "twov")
    response = api.get("/api/v1/figures", {"on": ON, "level": "location"})
    assert response.status_code == 200
    body = response.json()
    assert body["level"] == "location"
    assert {u["name"] for u in body["units"]} == {"CNO", "Alphen", "Gouda", "Gouda gastgezin"}
    assert LevelFiguresSerializer(data=body).is_valid()
    assert set(body["units"][0]) == set(UnitFiguresSerializer().fields)
    region_body = api.get("/api/v1/figures", {"on": ON}).json()
    assert region_body["units"][0]["total"]["occupied"] == 5


def test_a_municipal_officer_sees_own_municipality_and_the_region(
    client: Client, region: Region
) -> None:
    api = _client(client, Role.MUNICIPAL_OFFICER, "GM0513")
    municipalities = api.get("/api/v1/figures", {"on": ON, "level": "municipality"}).json()
    assert [u["code"] for u in municipalities["units"]] == ["GM0513"]
    locations = api.get("/api/v1/figures", {"on": ON, "level": "location"}).json()
    assert {u["name"] for u in locations["units"]} == {"Gouda", "Gouda gastgezin"}
    assert api.get("/api/v1/figures", {"on": ON}).json()["units"][0]["code"] == "vrhm"
    body = _problem(api.get("/api/v1/figures", {"on": ON, "level": "housing_region"}), 403)
    assert "housing_region" in str(body["detail"])


def test_an_rrt_secretary_sees_no_municipalities(client: Client, region: Region) -> None:
    api = _client(client, Role.RRT_SECRETARY, "holland-rijnland")
    _problem(api.get("/api/v1/figures", {"level": "municipality"}), 403)
    body = api.get("/api/v1/figures", {"on": ON, "level": "housing_region"}).json()
    assert [u["code"] for u in body["units"]] == ["holland-rijnland"]


def test_without_a_role_no_figures(client: Client, db: None) -> None:
    api = _client(client, None, None)
    for path in ("/api/v1/figures", "/api/v1/flows", "/api/v1/forecast"):
        _problem(api.get(path), 403)


def test_anonymous_is_401(client: Client, db: None) -> None:
    _problem(client.get("/api/v1/figures"), 401)


@pytest.mark.parametrize(
    ("path", "params", "name"),
    [
        ("/api/v1/figures", {"on": "14-02-2024"}, "on"),
        ("/api/v1/figures", {"level": "province"}, "level"),
        ("/api/v1/flows", {"to": "2024-02-01"}, "from"),
        ("/api/v1/flows", {"from": "2024-02-10", "to": "2024-02-01"}, "to"),
        ("/api/v1/flows", {"from": "2010-01-01", "to": "2024-02-01"}, "to"),
        ("/api/v1/forecast", {"weeks": "5"}, "weeks"),
        ("/api/v1/forecast", {"inflow": "-2"}, "inflow"),
        ("/api/v1/forecast", {"inflow": "2", "weeks": "4"}, "weeks"),
    ],
)
def test_bad_input_is_a_400_problem(
    client: Client, db: None, path: str, params: dict[str, str], name: str
) -> None:
    api = _client(client, Role.COORDINATOR, "twov")
    body = _problem(api.get(path, params), 400)
    assert body["invalidParams"][0]["name"] == name


def test_flows_per_week(client: Client, region: Region) -> None:
    api = _client(client, Role.STEERING_GROUP_MEMBER, "vrhm")
    response = api.get("/api/v1/flows", {"from": "2024-02-05", "to": "2024-02-25"})
    assert response.status_code == 200
    body = response.json()
    assert FlowsSerializer(data=body).is_valid()
    [vrhm] = body["units"]
    assert [w["net"] for w in vrhm["weeks"]] == [5, 1, -3]
    assert vrhm["weeks"][2]["departures_by_reason"]["own_housing"] == {
        "persons": 2,
        "households": 1,
    }
    # The steering group does not see locations.
    _problem(api.get("/api/v1/flows", {"from": ON, "to": ON, "level": "location"}), 403)


def test_forecast_scoped_to_the_units_one_may_see(client: Client, region: Region) -> None:
    api = _client(client, Role.RRT_MEMBER, "GM0513")
    response = api.get("/api/v1/forecast", {"on": ON, "inflow": "10"})
    assert response.status_code == 200
    body = response.json()
    assert ForecastSerializer(data=body).is_valid()
    assert [(u["code"], u["runs_out_on"]) for u in body["units"]] == [
        ("vrhm", "2024-03-10"),
        ("midden-holland", "2024-03-09"),
    ]
    average = api.get("/api/v1/forecast", {"on": "2024-02-26", "weeks": "4"}).json()
    assert average["scenario"]["basis_from"] == "2024-01-29"
