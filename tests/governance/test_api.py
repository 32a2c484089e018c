"""The API: members see, others do not; agreements carry their computed progress; the
secretaries write through the services, and who may not is refused before validation."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from opvangregie.governance import services
from opvangregie.governance.constants import Metric
from opvangregie.governance.models import Agreement, Meeting
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


# -- writes -------------------------------------------------------------------------------------


def en(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = api(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _problem(response, status: int) -> dict:  # type: ignore[no-untyped-def,type-arg]
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()  # type: ignore[no-any-return]


def test_a_secretary_runs_a_meeting_through_the_api(gov: Gov) -> None:
    client = en(gov.secretary)
    created = client.post(
        "/api/v1/meetings",
        {
            "body": "rrt-holland-rijnland",
            "starts_at": "2099-03-14T14:00:00+01:00",
            "place": "Leiden",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    meeting = created.json()
    assert (meeting["body"], meeting["state"], meeting["place"]) == (
        "rrt-holland-rijnland",
        "draft",
        "Leiden",
    )
    assert len(meeting["attendance"]) == 14
    url = f"/api/v1/meetings/{meeting['uuid']}"
    # Publishing an empty agenda is refused by the service, in English, as a problem.
    refused = _problem(client.post(f"{url}/state", {"state": "published"}, format="json"), 400)
    assert refused["detail"] == "Add at least one agenda item before publishing."
    item = client.post(f"{url}/items", {"title": "Stand van zaken"}, format="json")
    assert (item.status_code, item.json()["position"]) == (201, 1)
    published = client.post(f"{url}/state", {"state": "published"}, format="json")
    assert published.status_code == 200
    assert published.json()["state"] == "published"
    seat = meeting["attendance"][0]["seat"]
    present = client.post(f"{url}/attendance", {"seat": seat, "status": "present"}, format="json")
    assert (present.status_code, present.json()["status"]) == (200, "present")
    _problem(client.post(f"{url}/attendance", {"seat": "geen-zetel", "status": "present"}), 400)
    decision = client.post(
        f"{url}/decisions",
        {"subject": "Tien extra plaatsen", "item": item.json()["uuid"]},
        format="json",
    )
    assert decision.status_code == 201
    assert decision.json()["decided_on"] == "2099-03-14"
    assert decision.json()["meeting"] == meeting["uuid"]
    patched = client.patch(url, {"minutes": "Besproken."}, format="json")
    assert (patched.status_code, patched.json()["minutes"]) == (200, "Besproken.")
    held = client.post(f"{url}/state", {"state": "held"}, format="json")
    assert held.json()["state"] == "held"
    # The agenda of a held meeting is closed; a held meeting is not cancelled.
    _problem(client.post(f"{url}/items", {"title": "Nagekomen"}, format="json"), 400)
    closed = _problem(client.post(f"{url}/state", {"state": "cancelled"}, format="json"), 400)
    assert closed["detail"] == "A meeting that is held cannot become cancelled."
    assert client.put(url, {}, format="json").status_code == 405


def test_meeting_writes_refused_before_validation(gov: Gov) -> None:
    meeting = services.meeting_create(
        user=gov.secretary, body=gov.rrt, starts_at=at(D(2099, 3, 14))
    )
    url = f"/api/v1/meetings/{meeting.uuid}"
    # A member sees the meeting but may not change it: 403, even for nonsense.
    for path, payload in [
        (f"{url}/state", {"state": "nonsense"}),
        (f"{url}/items", {}),
        (f"{url}/attendance", {"seat": "x"}),
        (f"{url}/decisions", {}),
    ]:
        _problem(en(gov.leiden).post(path, payload, format="json"), 403)
    _problem(en(gov.leiden).patch(url, {"ends_at": "gisteren"}, format="json"), 403)
    # Who does not sit in the body does not see it.
    _problem(en(gov.gouda).post(f"{url}/items", {"title": "x"}, format="json"), 404)
    # Without being secretary of any body, creating is refused before the input is read;
    # the secretary of another body is refused by the service.
    _problem(en(gov.leiden).post("/api/v1/meetings", {"body": 1}, format="json"), 403)
    _problem(
        en(gov.secretary).post(
            "/api/v1/meetings",
            {"body": "stuurgroep-twov", "starts_at": "2099-03-14T14:00:00+01:00"},
            format="json",
        ),
        403,
    )
    invalid = _problem(
        en(gov.secretary).post("/api/v1/meetings", {"body": "geen-orgaan"}, format="json"), 400
    )
    assert {p["name"] for p in invalid["invalidParams"]} == {"starts_at"}
    _problem(
        en(gov.secretary).post(
            "/api/v1/meetings",
            {"body": "geen-orgaan", "starts_at": "2099-03-14T14:00:00+01:00"},
            format="json",
        ),
        400,
    )
    assert Meeting.objects.count() == 1
    assert list(meeting.items.all()) == []


def test_agreements_through_the_api(gov: Gov) -> None:
    make_location(beds=8, municipality="GM0546", opens_on=D(2024, 3, 1))
    payload = {
        "body": "rrt-holland-rijnland",
        "title": "Tien plaatsen",
        "owner": "Wethouder Leiden",
        "start_date": "2024-02-01",
        "deadline": "2024-06-01",
        "parties": [{"organisation": "GM0546", "share": 6}, {"organisation": "GM0547", "share": 4}],
        "metric": "realised_places",
        "target": 10,
    }
    _problem(en(gov.leiden).post("/api/v1/agreements", {}, format="json"), 403)
    bad = _problem(
        en(gov.secretary).post("/api/v1/agreements", {**payload, "target": 12}, format="json"),
        400,
    )
    assert bad["detail"] == "The shares of the parties (10) do not add up to the target (12)."
    _problem(
        en(gov.secretary).post(
            "/api/v1/agreements",
            {**payload, "parties": [{"organisation": "nergens"}]},
            format="json",
        ),
        400,
    )
    assert not Agreement.objects.exists()
    created = en(gov.secretary).post("/api/v1/agreements?on=2024-04-01", payload, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["progress"]["gained"], body["progress"]["target"]) == (8, 10)
    assert body["progress"]["status"] == "on_track"
    url = f"/api/v1/agreements/{body['uuid']}"

    # Status: the body's secretary, with a reason; a member is refused before validation.
    _problem(en(gov.leiden).post(f"{url}/status", {"status": "nonsense"}, format="json"), 403)
    no_reason = _problem(
        en(gov.secretary).post(f"{url}/status", {"status": "done", "reason": " "}, format="json"),
        400,
    )
    assert no_reason["invalidParams"][0]["name"] == "reason"
    done = en(gov.secretary).post(
        f"{url}/status", {"status": "done", "reason": "Gerealiseerd"}, format="json"
    )
    assert done.status_code == 200
    assert (done.json()["progress"]["status"], done.json()["status_reason"]) == (
        "done",
        "Gerealiseerd",
    )
    refused = _problem(
        en(gov.secretary).post(f"{url}/status", {"status": "late", "reason": "x"}, format="json"),
        400,
    )
    assert refused["detail"] == "An agreement that is done cannot become late."

    # Notes: the secretaries; members read them.
    _problem(en(gov.leiden).post(f"{url}/notes", {"text": "Goed bezig"}, format="json"), 403)
    note = en(gov.secretary).post(f"{url}/notes", {"text": "Oplevering in mei"}, format="json")
    assert note.status_code == 201
    notes = en(gov.leiden).get(f"{url}/notes").json()
    secretary = gov.secretary.get_full_name() or gov.secretary.get_username()
    assert [(n["text"], n["status_to"], n["author"]) for n in notes] == [
        ("Gerealiseerd", "done", secretary),
        ("Oplevering in mei", "", secretary),
    ]
    _problem(en(gov.gouda).get(f"{url}/notes"), 404)


def test_dilemmas_scheduled_decided_and_closed(gov: Gov) -> None:
    raised = en(gov.coordinator).post(
        "/api/v1/dilemmas",
        {"title": "Reserve-CNO", "question": "Wanneer?", "deadline": "2099-01-01"},
        format="json",
    )
    url = f"/api/v1/dilemmas/{raised.json()['uuid']}"
    # The coordinator is the stuurgroep's secretary (the TWOV); its members only read.
    _problem(en(gov.steering).post(f"{url}/schedule", {"item": "x"}, format="json"), 403)
    _problem(en(gov.steering).post(f"{url}/close", {}, format="json"), 403)
    _problem(en(gov.leiden).post(f"{url}/decide", {}, format="json"), 404)
    meeting = services.meeting_create(
        user=gov.coordinator, body=gov.stuurgroep, starts_at=at(D(2098, 12, 1))
    )
    item = services.agenda_item_add(user=gov.coordinator, meeting=meeting, title="Reserve-CNO")
    other = services.meeting_create(user=gov.secretary, body=gov.rrt, starts_at=at(D(2098, 12, 1)))
    elsewhere = services.agenda_item_add(user=gov.secretary, meeting=other, title="Elders")
    client = en(gov.coordinator)
    _problem(client.post(f"{url}/schedule", {"item": str(elsewhere.uuid)}, format="json"), 400)
    scheduled = client.post(f"{url}/schedule", {"item": str(item.uuid)}, format="json")
    assert (scheduled.status_code, scheduled.json()["status"]) == (200, "on_agenda")
    decision = services.decision_record(
        user=gov.coordinator, meeting=meeting, subject="Reserve-CNO in Katwijk", item=item
    )
    decided = client.post(f"{url}/decide", {"decision": str(decision.uuid)}, format="json")
    assert decided.status_code == 200
    assert (decided.json()["status"], decided.json()["decision"]) == (
        "decided",
        str(decision.uuid),
    )
    assert decided.json()["decided_on"] == "2098-12-01"
    closed = client.post(f"{url}/close", {}, format="json")
    assert (closed.status_code, closed.json()["status"]) == (200, "closed")
    again = _problem(client.post(f"{url}/close", {"note": "x"}, format="json"), 400)
    assert again["detail"] == "A dilemma that is closed cannot become closed."


def test_withdrawing_a_dilemma_needs_a_reason(gov: Gov) -> None:
    escalation = services.escalation_raise(
        user=gov.coordinator, title="Vraag", question="?", deadline=D(2099, 1, 1)
    )
    url = f"/api/v1/dilemmas/{escalation.uuid}"
    client = en(gov.coordinator)
    problem = _problem(client.post(f"{url}/close", {}, format="json"), 400)
    assert problem["detail"] == "Say why an undecided dilemma is closed."
    closed = client.post(f"{url}/close", {"note": "Ingehaald door de praktijk"}, format="json")
    assert closed.json()["closing_note"] == "Ingehaald door de praktijk"


def test_raising_is_refused_before_validation(gov: Gov) -> None:
    problem = _problem(en(gov.leiden).post("/api/v1/dilemmas", {}, format="json"), 403)
    assert problem["detail"] == "Only the TWOV raises dilemmas to the steering group."


def test_documents_uploaded_to_an_agenda_item(
    gov: Gov, settings: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.MEDIA_ROOT = tmp_path
    meeting = services.meeting_create(
        user=gov.secretary, body=gov.rrt, starts_at=at(D(2099, 3, 14))
    )
    item = services.agenda_item_add(user=gov.secretary, meeting=meeting, title="Stand")
    url = f"/api/v1/meetings/{meeting.uuid}/documents"
    client = en(gov.secretary)

    def upload(name: str, content: bytes = b"%PDF-1.4 notitie", **extra: Any) -> Any:
        data = {"item": str(item.uuid), "title": "Notitie", **extra}
        data["file"] = SimpleUploadedFile(name, content)
        return client.post(url, data, format="multipart")

    created = upload("notitie.pdf")
    assert created.status_code == 201, created.content
    assert (created.json()["title"], created.json()["file"]) == ("Notitie", True)
    stored = item.documents.get(uuid=created.json()["uuid"])
    assert stored.file.read() == b"%PDF-1.4 notitie"
    # A reference instead of a file, as JSON.
    linked = client.post(
        url, {"item": str(item.uuid), "title": "Besluit", "reference": "Z-2099-1"}, format="json"
    )
    assert (linked.status_code, linked.json()["file"]) == (201, False)
    detail = client.get(f"/api/v1/meetings/{meeting.uuid}").json()
    assert [d["title"] for d in detail["items"][0]["documents"]] == ["Besluit", "Notitie"]
    # Refused, with nothing stored: another kind of file, a file too large, no file or
    # reference, an item of another meeting, and anyone but the secretary.
    kind = _problem(upload("script.exe", b"MZ"), 400)
    assert kind["detail"].startswith("A document is a file of one of these kinds: csv, doc")
    monkeypatch.setattr(services, "DOCUMENT_MAX_BYTES", 2**20)
    too_large = _problem(upload("groot.pdf", b"x" * (2**20 + 1)), 400)
    assert too_large["detail"] == "A document may be at most 1 MB."
    empty = client.post(url, {"item": str(item.uuid), "title": "Leeg"}, format="json")
    assert _problem(empty, 400)["detail"] == "A document is a file or a reference."
    other = services.meeting_create(user=gov.secretary, body=gov.rrt, starts_at=at(D(2099, 4, 1)))
    elsewhere = services.agenda_item_add(user=gov.secretary, meeting=other, title="Elders")
    wrong = client.post(
        url, {"item": str(elsewhere.uuid), "title": "X", "reference": "R"}, format="json"
    )
    _problem(wrong, 400)
    member = en(gov.leiden).post(
        url, {"item": str(item.uuid), "title": "X", "reference": "R"}, format="json"
    )
    _problem(member, 403)
    assert item.documents.count() == 2
