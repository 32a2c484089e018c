"""The governance records in the admin: texts can be corrected; lifecycles, decisions taken at
a meeting and frozen packs cannot be changed there."""

import pytest
from django.test import Client
from django.urls import reverse

from opvangregie.governance import services
from opvangregie.governance.models import Agreement, Meeting, PrtPack
from opvangregie.organisations.models import Decision
from tests.accounts.factories import UserFactory

from .conftest import D, Gov, at


@pytest.fixture
def admin_client_(client: Client, gov: Gov) -> Client:
    client.force_login(UserFactory(username="beheerder", is_staff=True, is_superuser=True))
    return client


def test_the_admin_corrects_a_meeting_place_but_not_its_state(
    admin_client_: Client, gov: Gov
) -> None:
    meeting = services.meeting_create(
        user=gov.secretary, body=gov.rrt, starts_at=at(D(2024, 3, 14)), place="Leiden"
    )
    services.agenda_item_add(user=gov.secretary, meeting=meeting, title="Stand van zaken")
    url = reverse("admin:governance_meeting_change", args=[meeting.pk])
    page = admin_client_.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "state" not in form.fields  # read-only: the lifecycle is the services'
    data = {
        "starts_at_0": "2024-03-14",
        "starts_at_1": "14:00:00",
        "ends_at_0": "",
        "ends_at_1": "",
        "place": "Stadhuis Leiden",
        "minutes": "",
        "state": "held",
    }
    for prefix, formset in (
        ("items", meeting.items.all()),
        ("attendance", meeting.attendance.all()),
    ):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(formset))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(formset))
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for i, row in enumerate(formset):
            data[f"{prefix}-{i}-id"] = str(row.pk)
            data[f"{prefix}-{i}-meeting"] = str(meeting.pk)
            if prefix == "items":
                data[f"{prefix}-{i}-position"] = str(row.position)
                data[f"{prefix}-{i}-title"] = row.title
                data[f"{prefix}-{i}-owner"] = row.owner
    response = admin_client_.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting.refresh_from_db()
    assert (meeting.place, meeting.state) == ("Stadhuis Leiden", "draft")
    assert admin_client_.get(reverse("admin:governance_meeting_add")).status_code == 403


def test_a_frozen_pack_and_a_recorded_decision_are_read_only(
    admin_client_: Client, gov: Gov
) -> None:
    pack = services.prt_pack_create(
        user=gov.secretary, housing_region=gov.holland_rijnland, on=D(2024, 3, 14)
    )
    url = reverse("admin:governance_prtpack_change", args=[pack.pk])
    assert (
        admin_client_.post(url, {"chair_notes": "", "secretary_notes": "Concept"}).status_code
        == 302
    )
    pack.refresh_from_db()
    assert pack.secretary_notes == "Concept"
    services.prt_pack_freeze(user=gov.secretary, pack=pack)
    assert admin_client_.get(url).status_code == 200  # viewed, not changed
    assert admin_client_.post(url, {"secretary_notes": "Achteraf"}).status_code == 403
    delete = reverse("admin:governance_prtpack_delete", args=[pack.pk])
    assert admin_client_.post(delete, {"post": "yes"}).status_code == 403
    pack.refresh_from_db()
    assert (pack.secretary_notes, pack.state) == ("Concept", "frozen")

    meeting = services.meeting_create(user=gov.secretary, body=gov.rrt, starts_at=at(D(2024, 3, 5)))
    decision = services.decision_record(user=gov.secretary, meeting=meeting, subject="Besluit")
    change = reverse("admin:organisations_decision_change", args=[decision.pk])
    assert admin_client_.post(change, {"subject": "Anders"}).status_code == 403
    decision.refresh_from_db()
    assert decision.subject == "Besluit"
    # A decision of the reference data (no meeting) stays editable.
    reference = Decision.objects.filter(record__isnull=True).first()
    assert reference is not None
    assert admin_client_.get(
        reverse("admin:organisations_decision_change", args=[reference.pk])
    ).context["has_change_permission"]

    agreement = services.agreement_create(
        user=gov.secretary,
        body=gov.rrt,
        title="Afspraak",
        owner="RRT",
        start_date=D(2024, 1, 1),
        deadline=D(2024, 7, 1),
        parties=[(gov.holland_rijnland, None)],
    )
    delete = reverse("admin:governance_agreement_delete", args=[agreement.pk])
    assert admin_client_.post(delete, {"post": "yes"}).status_code == 403
    assert Agreement.objects.filter(pk=agreement.pk).exists()
    assert Meeting.objects.count() == 1
    assert PrtPack.objects.count() == 1
