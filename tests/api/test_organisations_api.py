import pytest
from django.test import Client

from opvangregie.accounts.models import User
from opvangregie.organisations.models import Body
from tests.accounts.factories import UserFactory


@pytest.fixture
def api(client: Client, reference: None) -> Client:
    user: User = UserFactory(username="api-user")
    client.force_login(user)
    return client


def test_anonymous_gets_401_problem(client: Client, db: None) -> None:
    response = client.get("/api/v1/organisations", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 401
    assert body["title"] == "Unauthorized"
    assert body["instance"] == "/api/v1/organisations"
    assert "credentials" in body["detail"]


def test_every_response_carries_the_api_version(api: Client) -> None:
    assert api.get("/api/v1/organisations")["API-Version"] == "1.0.0"
    assert api.get("/api/v1/nothing-here")["API-Version"] == "1.0.0"


def test_list_municipalities(api: Client) -> None:
    response = api.get("/api/v1/organisations", {"kind": "municipality"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 18
    gouda = next(o for o in body["results"] if o["cbs_code"] == "GM0513")
    assert gouda["name"] == "Gouda"
    assert gouda["url"].endswith(f"/api/v1/organisations/{gouda['uuid']}")


def test_filter_on_members_of_a_region(api: Client) -> None:
    response = api.get("/api/v1/organisations", {"member_of": "midden-holland"})
    assert response.json()["count"] == 5


def test_bodies_valid_on_a_date(api: Client) -> None:
    before = api.get("/api/v1/bodies", {"on": "2023-12-31"}).json()
    after = api.get("/api/v1/bodies", {"on": "2024-01-01"}).json()
    assert {b["code"] for b in before["results"]} == {"veiligheidsberaad", "vrbt-hollands-midden"}
    assert "stuurgroep-twov" in {b["code"] for b in after["results"]}


def test_body_detail_by_uuid(api: Client) -> None:
    body = Body.objects.get(code="stuurgroep-twov")
    response = api.get(f"/api/v1/bodies/{body.uuid}")
    assert response.status_code == 200
    data = response.json()
    assert data["kind"] == "steering_group"
    assert data["secretary_organisation"]["code"] == "twov"
    assert len(data["tasks"]) == 4
    assert "id" not in data


def test_seats_of_a_body(api: Client) -> None:
    data = api.get("/api/v1/seats", {"body": "stuurgroep-twov", "on": "2024-02-01"}).json()
    assert data["count"] == 3
    roles = sorted(s["role"] for s in data["results"])
    assert roles == ["chair", "member", "member"]


def test_unknown_uuid_is_a_404_problem(api: Client) -> None:
    response = api.get("/api/v1/bodies/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_trailing_slash_is_not_an_alias(api: Client) -> None:
    response = api.get("/api/v1/organisations/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_invalid_filter_is_a_400_problem_with_params(api: Client) -> None:
    response = api.get("/api/v1/bodies", {"on": "morgen"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["invalidParams"][0]["name"] == "on"
    assert "date" in body["invalidParams"][0]["reason"].lower()


def test_api_is_read_only(api: Client) -> None:
    response = api.post("/api/v1/organisations", {"name": "x"}, content_type="application/json")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"


def test_openapi_document(client: Client, db: None) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    assert doc["info"]["version"] == "1.0.0"
    assert doc["info"]["contact"]
    assert "/api/v1/organisations" in doc["paths"]
    assert "/api/v1/bodies/{uuid}" in doc["paths"]
    assert not [p for p in doc["paths"] if p.endswith("/")]


def test_list_query_count_is_flat(api: Client, django_assert_max_num_queries: object) -> None:
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        api.get("/api/v1/seats")
