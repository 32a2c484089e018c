"""The finance API: rates, declarations (preview, submit, versions), costs and statements."""

import pytest
from django.test import Client

from opvangregie.capacity.services import capacity_change
from opvangregie.finance.models import CostStatement, Declaration

from .conftest import D, Scene

PERIOD = {"first_day": "2024-01-01", "last_day": "2024-03-31"}


@pytest.fixture
def api(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_rates_for_everyone_logged_in(api: Client, scene: Scene) -> None:
    assert api.get("/api/v1/standard-rates").status_code in (401, 403)
    api.force_login(scene.rrt)
    body = api.get("/api/v1/standard-rates", {"kind": "private_hosting"}).json()
    assert [(r["amount"], r["unit"], r["valid_from"], r["valid_to"]) for r in body] == [
        ("210.00", "person_month", "2022-01-01", "2024-01-01"),
        ("92.00", "person_month", "2024-01-01", "2025-01-01"),
    ]


def test_preview_submit_and_correct_a_declaration(api: Client, scene: Scene) -> None:
    api.force_login(scene.gouda_finance)
    preview = api.get("/api/v1/declarations/preview", {"municipality": "GM0513", **PERIOD})
    assert preview.status_code == 200
    assert preview.json()["total"] == "55510.00"
    created = api.post(
        "/api/v1/declarations",
        {"municipality": "GM0513", **PERIOD},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    first = created.json()
    assert (first["version"], first["intact"], first["total"]) == (1, True, "55510.00")
    assert first["checksum"] == Declaration.objects.get().checksum
    assert first["figures"]["lines"][0]["quantity"] == 910

    again = api.post(
        "/api/v1/declarations",
        {"municipality": "GM0513", **PERIOD},
        content_type="application/json",
    )
    assert again.status_code == 400
    assert again["Content-Type"] == "application/problem+json"

    capacity_change(location=scene.kazerne, valid_from=D(2024, 3, 1), beds=12)
    second = api.post(
        "/api/v1/declarations",
        {"municipality": "GM0513", "reason": "Twee bedden erbij", **PERIOD},
        content_type="application/json",
    ).json()
    assert (second["version"], second["previous"], second["total"]) == (
        2,
        first["uuid"],
        "59292.00",  # 55,510 + 2 beds x 31 days x 61
    )
    assert second["difference"][0]["amount_change"] == "3782.00"
    still = api.get(f"/api/v1/declarations/{first['uuid']}").json()
    assert (still["total"], still["checksum"]) == (first["total"], first["checksum"])
    listing = api.get("/api/v1/declarations", {"municipality": "GM0513"}).json()
    assert [d["version"] for d in listing["results"]] == [2, 1]


def test_declaration_permissions(api: Client, scene: Scene) -> None:
    api.force_login(scene.gouda_officer)
    refused = api.post(
        "/api/v1/declarations",
        {"municipality": "GM0513", **PERIOD},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    preview = api.get("/api/v1/declarations/preview", {"municipality": "GM0513", **PERIOD})
    assert preview.status_code == 200
    api.force_login(scene.leiden_finance)
    assert (
        api.get("/api/v1/declarations/preview", {"municipality": "GM0513", **PERIOD}).status_code
        == 403
    )
    api.force_login(scene.coordinator)
    api.post(
        "/api/v1/declarations",
        {"municipality": "GM0513", **PERIOD},
        content_type="application/json",
    )
    api.force_login(scene.leiden_finance)
    assert api.get("/api/v1/declarations").json()["results"] == []
    uuid = Declaration.objects.get().uuid
    assert api.get(f"/api/v1/declarations/{uuid}").status_code == 404
    bad = api.get("/api/v1/declarations/preview", {"municipality": "GM0546", "first_day": "x"})
    assert bad.status_code == 400
    assert {p["name"] for p in bad.json()["invalidParams"]} == {"first_day", "last_day"}


def test_costs_and_cost_statements_for_coordinators(api: Client, scene: Scene) -> None:
    api.force_login(scene.gouda_finance)
    assert api.get("/api/v1/cost-entries").status_code == 403
    assert api.get("/api/v1/cost-statements").json()["results"] == []
    api.force_login(scene.coordinator)
    for amount, category in (("1000.50", "staff"), ("99.50", "transport")):
        created = api.post(
            "/api/v1/cost-entries",
            {
                "incurred_on": "2024-02-01",
                "category": category,
                "description": "Inzet",
                "amount": amount,
                "document_reference": "DMS-42",
            },
            content_type="application/json",
        )
        assert created.status_code == 201, created.content
    preview = api.get("/api/v1/cost-statements/preview", PERIOD).json()
    assert preview["total"] == "1100.00"
    assert preview["categories"]["staff"] == {"count": 1, "amount": "1000.50"}
    statement = api.post("/api/v1/cost-statements", PERIOD, content_type="application/json")
    assert statement.status_code == 201
    assert statement.json()["checksum"] == CostStatement.objects.get().checksum
    assert api.get("/api/v1/cost-entries").json()["count"] == 2
