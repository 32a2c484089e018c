"""The API: members see, others do not; agreements carry their computed progress."""

from rest_framework.test import APIClient

from opvangregie.governance import services
from opvangregie.governance.constants import Metric
from tests.capacity.factories import make_location

from .conftest import D, Gov, at


def api(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_meetings_by_membership(gov: Gov) -> None:
    meeting = services.meeting_create(
        user=gov.secretary, body=gov.rrt, starts_at=at(D(2024, 3, 14))
    )
    services.agenda_item_add(user=gov.secretary, meeting=meeting, title="Concept")
    assert [m["uuid"] for m in api(gov.leiden).get("/api/v1/meetings").json()["results"]] == [
        str(meeting.uuid)
    ]
    assert api(gov.gouda).get("/api/v1/meetings").json()["results"] == []
    response = api(gov.gouda).get(f"/api/v1/meetings/{meeting.uuid}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    # A draft agenda is for the secretary only.
    assert api(gov.leiden).get(f"/api/v1/meetings/{meeting.uuid}").json()["items"] == []
    detail = api(gov.secretary).get(f"/api/v1/meetings/{meeting.uuid}").json()
    assert [i["title"] for i in detail["items"]] == ["Concept"]
    assert len(detail["attendance"]) == 14


def test_agreement_with_computed_progress(gov: Gov) -> None:
    make_location(beds=8, municipality="GM0546", opens_on=D(2024, 3, 1))
    agreement = services.agreement_create(
        user=gov.secretary,
        body=gov.rrt,
        title="Tien plaatsen",
        owner="Wethouder",
        start_date=D(2024, 2, 1),
        deadline=D(2024, 6, 1),
        parties=[(gov.holland_rijnland, None)],
        metric=Metric.REALISED_PLACES,
        target=10,
    )
    body = api(gov.leiden).get(f"/api/v1/agreements/{agreement.uuid}", {"on": "2024-04-01"})
    assert body.status_code == 200
    progress = body.json()["progress"]
    assert (progress["baseline"], progress["realised"], progress["gained"]) == (0, 8, 8)
    assert progress["status"] == "on_track"
    assert api(gov.gouda).get(f"/api/v1/agreements/{agreement.uuid}").status_code == 404


def test_dilemmas_raised_by_the_twov_only(gov: Gov) -> None:
    payload = {"title": "Reserve-CNO", "question": "Wanneer?", "deadline": "2099-01-01"}
    assert api(gov.leiden).post("/api/v1/dilemmas", payload, format="json").status_code == 403
    created = api(gov.coordinator).post("/api/v1/dilemmas", payload, format="json")
    assert created.status_code == 201
    assert created.json()["status"] == "raised"
    listed = api(gov.steering).get("/api/v1/dilemmas").json()["results"]
    assert [d["title"] for d in listed] == ["Reserve-CNO"]
    assert listed[0]["overdue"] is False
    assert api(gov.leiden).get("/api/v1/dilemmas").json()["results"] == []


def test_decisions_register(gov: Gov) -> None:
    meeting = services.meeting_create(user=gov.secretary, body=gov.rrt, starts_at=at(D(2024, 3, 5)))
    first = services.decision_record(user=gov.secretary, meeting=meeting, subject="Eerste")
    services.decision_record(
        user=gov.secretary, meeting=meeting, subject="Tweede", supersedes=first
    )
    results = api(gov.leiden).get("/api/v1/decisions").json()["results"]
    mine = [d for d in results if d["body"] == "rrt-holland-rijnland"]
    assert {d["subject"]: d["supersedes"] for d in mine} == {"Eerste": None, "Tweede": first.code}
    assert all(d["meeting"] == str(meeting.uuid) for d in mine)
    gouda = api(gov.gouda).get("/api/v1/decisions").json()["results"]
    assert not [d for d in gouda if d["body"] == "rrt-holland-rijnland"]


def test_a_bad_date_is_a_400_problem(gov: Gov) -> None:
    response = api(gov.leiden).get("/api/v1/agreements", {"on": "2024-02-30"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["invalidParams"][0]["name"] == "on"
