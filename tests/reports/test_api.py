import json

from rest_framework.test import APIClient

from opvangregie.accounts.constants import Role
from opvangregie.reports.models import IssuedReport
from opvangregie.reports.selectors import canonical_json
from opvangregie.reports.services import report_issue
from tests.accounts.factories import user_with_role
from tests.reports.scenario import WEEK, Scene


def test_issue_list_and_read_a_report(scene: Scene) -> None:
    api = APIClient()
    api.force_authenticate(user_with_role(Role.COORDINATOR, "twov"))
    response = api.post("/api/v1/reports", {"week": WEEK, "audience": "prt"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["week"], body["audience"], body["version"]) == (WEEK, "prt", 1)
    assert len(body["checksum"]) == 64
    region = body["figures"]["figures"][0]
    assert region["code"] == "vrhm"
    assert body["figures"]["suppression"]["applied"] is True
    assert body["changes"] == []
    listing = api.get("/api/v1/reports").json()
    items = listing["results"] if isinstance(listing, dict) else listing
    assert [r["uuid"] for r in items] == [body["uuid"]]
    assert "figures" not in items[0]
    again = api.get(f"/api/v1/reports/{body['uuid']}").json()
    assert again["figures"] == body["figures"]
    assert again["checksum"] == body["checksum"]


def test_permissions(scene: Scene) -> None:
    report_issue(user=None, week=WEEK, audience="stuurgroep")
    prt = report_issue(user=None, week=WEEK, audience="prt")
    api = APIClient()
    assert api.get("/api/v1/reports").status_code in (401, 403)
    api.force_authenticate(user_with_role(Role.PROVINCE, "pv-zuid-holland"))
    listing = api.get("/api/v1/reports").json()
    items = listing["results"] if isinstance(listing, dict) else listing
    assert [r["audience"] for r in items] == ["prt"]
    other = IssuedReport.objects.get(audience="stuurgroep")
    assert api.get(f"/api/v1/reports/{other.uuid}").status_code == 404
    refused = api.post("/api/v1/reports", {"week": WEEK, "audience": "prt"}, format="json")
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    api.force_authenticate(user_with_role(Role.RRT_SECRETARY, "midden-holland"))
    ok = api.post(
        "/api/v1/reports", {"week": WEEK, "audience": "rrt-midden-holland"}, format="json"
    )
    assert ok.status_code == 201
    bad = api.post(
        "/api/v1/reports", {"week": "W10", "audience": "rrt-midden-holland"}, format="json"
    )
    assert bad.status_code == 400
    assert bad.json()["invalidParams"][0]["name"] == "week"
    assert api.get(f"/api/v1/reports/{prt.uuid}").status_code == 404


def test_a_tampered_report_answers_409(scene: Scene) -> None:
    report = report_issue(user=None, week=WEEK, audience="prt")
    document = json.loads(report.document)
    document["note"] = "changed"
    IssuedReport.objects.filter(pk=report.pk).update(document=canonical_json(document))
    api = APIClient()
    api.force_authenticate(user_with_role(Role.PROVINCE, "pv-zuid-holland"))
    response = api.get(f"/api/v1/reports/{report.uuid}")
    assert response.status_code == 409
    assert "checksum" in response.json()["detail"]
