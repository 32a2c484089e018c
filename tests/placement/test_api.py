"""The placement API: the same use cases and rules as the pages, errors as problem details."""

import pytest
from django.test import Client

from opvangregie.placement.constants import Outcome, RunState
from opvangregie.placement.models import PlacementRun

from .conftest import Scene


@pytest.fixture
def api(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _create(api: Client, scene: Scene, **extra: object) -> dict[str, object]:
    api.force_login(scene.coordinator)
    response = api.post(
        "/api/v1/placement-runs",
        {"on": "2024-03-02", "time_limit": 10, **extra},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_compute_read_and_explain(api: Client, scene: Scene) -> None:
    body = _create(api, scene, weights={"tie": 50})
    assert body["state"] == "draft"
    assert body["solver_status"] == "optimal"
    assert body["weights"]["tie"] == 50.0
    lines = {x["household"]: x for x in body["lines"]}
    man = lines[str(scene.man.uuid)]
    assert man["location"] == str(scene.gouda.uuid)
    assert man["municipality"] == "GM0513"
    assert man["explanation"].startswith("To Kazerne Gouda in Gouda: ties with Gouda")
    assert {f["municipality"] for f in body["fairness"]} >= {"GM0513", "GM0546"}
    assert [e["action"] for e in body["events"]] == ["run"]
    listed = api.get("/api/v1/placement-runs").json()
    assert [r["uuid"] for r in listed["results"]] == [body["uuid"]]


def test_bad_input_is_a_problem_in_english(api: Client, scene: Scene) -> None:
    api.force_login(scene.coordinator)
    bad = api.post(
        "/api/v1/placement-runs",
        {"on": "2024-02-30", "backend": "cplex"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/problem+json"
    assert {p["name"] for p in bad.json()["invalidParams"]} == {"on", "backend"}
    weights = api.post(
        "/api/v1/placement-runs",
        {"on": "2024-03-02", "weights": {"love": 1}},
        content_type="application/json",
    )
    assert weights.status_code == 400
    assert "Unknown weight" in weights.json()["detail"]
    nobody = api.post(
        "/api/v1/placement-runs", {"on": "2023-01-01"}, content_type="application/json"
    )
    assert nobody.json()["detail"] == "Nobody is waiting to be placed on 2023-01-01."
    assert not PlacementRun.objects.exists()


def test_override_send_respond_approve(api: Client, scene: Scene) -> None:
    body = _create(api, scene)
    lines = {x["household"]: x for x in body["lines"]}
    man = lines[str(scene.man.uuid)]
    refused = api.post(
        f"/api/v1/proposal-lines/{man['uuid']}/override",
        {"location": str(scene.leiden.uuid), "reason": "wish"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "does not meet the household's needs" in refused.json()["detail"]
    sent = api.post(f"/api/v1/placement-runs/{body['uuid']}/send")
    assert sent.status_code == 200
    assert sent.json()["state"] == "sent"

    api.force_login(scene.leiden_officer)
    assert api.get(f"/api/v1/proposal-lines/{man['uuid']}").status_code == 404
    api.force_login(scene.gouda_officer)
    seen = api.get(f"/api/v1/placement-runs/{body['uuid']}").json()
    assert all(x["municipality"] == "GM0513" for x in seen["lines"])
    assert seen["events"] == []
    assert seen["fairness"] == []
    no_reason = api.post(
        f"/api/v1/proposal-lines/{man['uuid']}/respond",
        {"accept": False},
        content_type="application/json",
    )
    assert no_reason.status_code == 400
    accepted = api.post(
        f"/api/v1/proposal-lines/{man['uuid']}/respond",
        {"accept": True},
        content_type="application/json",
    )
    assert accepted.json()["response"] == "accepted"
    assert (
        api.post(
            f"/api/v1/placement-runs/{body['uuid']}/approve",
            {"on": "2024-03-04"},
            content_type="application/json",
        ).status_code
        == 403
    )

    api.force_login(scene.coordinator)
    approval = api.post(
        f"/api/v1/placement-runs/{body['uuid']}/approve",
        {"on": "2024-03-04"},
        content_type="application/json",
    ).json()
    assert [x["household"] for x in approval["placed"]] == [str(scene.man.uuid)]
    assert approval["placed"][0]["outcome"] == Outcome.PLACED
    closed = api.post(f"/api/v1/placement-runs/{body['uuid']}/close").json()
    assert closed["state"] == RunState.CLOSED


def test_officers_do_not_see_drafts_and_others_see_nothing(api: Client, scene: Scene) -> None:
    body = _create(api, scene)
    api.force_login(scene.gouda_officer)
    assert api.get(f"/api/v1/placement-runs/{body['uuid']}").status_code == 404
    assert api.get("/api/v1/placement-runs").json()["results"] == []
    assert (
        api.post(
            "/api/v1/placement-runs", {"on": "2024-03-02"}, content_type="application/json"
        ).status_code
        == 403
    )
