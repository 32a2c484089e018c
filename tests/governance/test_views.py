"""Pages: members see, secretaries edit, others get 404/403."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from opvangregie.governance import services
from opvangregie.governance.constants import Metric
from opvangregie.governance.models import Meeting
from tests.pdf_layout import assert_fits_the_page, captured_html

from .conftest import D, Gov, at


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def meeting(gov: Gov) -> Meeting:
    meeting = services.meeting_create(
        user=gov.secretary, body=gov.rrt, starts_at=at(D(2024, 3, 14)), place="Leiden"
    )
    services.agenda_item_add(user=gov.secretary, meeting=meeting, title="Voortgang afspraken")
    return services.meeting_transition(user=gov.secretary, meeting=meeting, state="published")


def test_members_see_the_meeting_others_do_not(gov: Gov, meeting: Meeting) -> None:
    url = reverse("governance:meeting", kwargs={"uuid": meeting.uuid})
    page = client_for(gov.leiden).get(url)
    assert page.status_code == 200
    assert "Voortgang afspraken" in page.content.decode()
    assert 'name="action" value="item"' not in page.content.decode()  # no editing for members
    assert client_for(gov.gouda).get(url).status_code == 404
    assert client_for(gov.officer).get(url).status_code == 404
    assert (
        client_for(gov.leiden).post(url, {"action": "item", "item-title": "x"}).status_code == 403
    )


def test_the_secretary_edits(gov: Gov, meeting: Meeting) -> None:
    url = reverse("governance:meeting", kwargs={"uuid": meeting.uuid})
    client = client_for(gov.secretary)
    assert 'name="action" value="item"' in client.get(url).content.decode()
    response = client.post(url, {"action": "item", "item-title": "Rondvraag"})
    assert response.status_code == 302
    response = client.post(url, {"action": "minutes", "place": "Leiden", "minutes": "Besproken."})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Besproken."
    assert [i.title for i in meeting.items.all()] == ["Voortgang afspraken", "Rondvraag"]


def test_index_lists_visible_meetings_and_plans_for_secretaries(gov: Gov, meeting: Meeting) -> None:
    page = client_for(gov.leiden).get(reverse("governance:index")).content.decode()
    assert reverse("governance:meeting", kwargs={"uuid": meeting.uuid}) in page
    assert 'data-testid="meeting-form"' not in page
    assert (
        'data-testid="meeting-form"'
        in client_for(gov.secretary).get(reverse("governance:index")).content.decode()
    )
    assert client_for(gov.leiden).post(reverse("governance:index"), {}).status_code == 403


def test_ical_and_calendar(gov: Gov, meeting: Meeting) -> None:
    response = client_for(gov.leiden).get(reverse("governance:calendar"))
    assert response["Content-Type"] == "text/calendar"
    assert str(meeting.uuid) in response.content.decode()
    assert (
        str(meeting.uuid)
        not in client_for(gov.gouda).get(reverse("governance:calendar")).content.decode()
    )


def test_agreement_pages(gov: Gov) -> None:
    agreement = services.agreement_create(
        user=gov.secretary,
        body=gov.rrt,
        title="Twintig plaatsen",
        owner="Wethouder",
        start_date=D(2024, 2, 1),
        deadline=D(2024, 6, 1),
        parties=[(gov.holland_rijnland, None)],
        metric=Metric.REALISED_PLACES,
        target=20,
    )
    assert (
        "Twintig plaatsen"
        in client_for(gov.leiden).get(reverse("governance:agreements")).content.decode()
    )
    url = reverse("governance:agreement", kwargs={"uuid": agreement.uuid})
    assert client_for(gov.leiden).get(url).status_code == 200
    assert client_for(gov.gouda).get(url).status_code == 404
    response = client_for(gov.secretary).post(
        url, {"action": "status", "status-status": "at_risk", "status-reason": "Vertraging"}
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == "at_risk"


def test_pack_page_and_pdf(gov: Gov, monkeypatch: pytest.MonkeyPatch) -> None:
    pack = services.prt_pack_create(
        user=gov.secretary, housing_region=gov.holland_rijnland, on=D(2024, 3, 14)
    )
    url = reverse("governance:pack", kwargs={"uuid": pack.uuid})
    page = client_for(gov.leiden).get(url)
    assert page.status_code == 200
    assert 'data-testid="figures"' in page.content.decode()
    assert client_for(gov.gouda).get(url).status_code == 404
    client = client_for(gov.secretary)
    client.post(url, {"action": "secretary_notes", "notes": "Graag bespreken."})
    client.post(url, {"action": "freeze"})
    pack.refresh_from_db()
    assert pack.state == "frozen"
    assert pack.content["notes"]["secretary"] == "Graag bespreken."
    with captured_html(monkeypatch) as html:
        pdf = client.get(reverse("governance:pack_pdf", kwargs={"uuid": pack.uuid}))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert assert_fits_the_page(html[0]) >= 1


def test_evaluation_for_the_steering_group_only(gov: Gov, monkeypatch: pytest.MonkeyPatch) -> None:
    url = reverse("governance:evaluation")
    assert client_for(gov.steering).get(url, {"year": 2024, "quarter": 1}).status_code == 200
    assert client_for(gov.officer).get(url).status_code == 403
    with captured_html(monkeypatch) as html:
        pdf = client_for(gov.coordinator).get(url, {"year": 2024, "quarter": 1, "format": "pdf"})
    assert pdf.content.startswith(b"%PDF")
    assert_fits_the_page(html[0])


def test_preferences_page(gov: Gov) -> None:
    client = client_for(gov.leiden)
    assert client.post(reverse("governance:notifications"), {"pack_ready": "on"}).status_code == 302
    prefs = gov.leiden.governance_notices
    assert (prefs.agenda_published, prefs.pack_ready, prefs.deadline) == (False, True, False)


def test_a_document_of_another_kind_is_refused_in_dutch(
    gov: Gov, meeting: Meeting, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    url = reverse("governance:meeting", kwargs={"uuid": meeting.uuid})
    item = meeting.items.get()
    client = client_for(gov.secretary)
    post = {"action": "document", "doc-item": str(item.uuid), "doc-title": "Bijlage"}
    refused = client.post(
        url, {**post, "doc-file": SimpleUploadedFile("bijlage.exe", b"MZ")}, follow=True
    )
    assert "Een document is een bestand van een van deze soorten" in refused.content.decode()
    assert not item.documents.exists()
    client.post(url, {**post, "doc-file": SimpleUploadedFile("bijlage.pdf", b"%PDF-1.4")})
    assert [d.title for d in item.documents.all()] == ["Bijlage"]
