"""The audit trail: every read path and every change of personal data writes a row; the trail
is append-only; the privacy officer alone reads it; the BSN never leaks."""

import datetime
import logging

import pytest
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import reverse

from opvangregie.accounts.constants import Role
from opvangregie.audit.constants import AuditAction, Interface
from opvangregie.audit.models import AuditEvent
from opvangregie.placement import services as placement
from opvangregie.residents.models import Household, Stay
from opvangregie.residents.services import (
    HouseholdData,
    PersonData,
    household_create,
    stay_depart,
    stay_intake,
    stay_move,
)
from tests.accounts.factories import user_with_role
from tests.capacity.factories import make_location
from tests.placement.conftest import ON, Scene

D = datetime.date
BSN = "111222333"


@pytest.fixture
def bsn_household(scene: Scene) -> Household:
    household = household_create(
        data=HouseholdData(
            persons=[PersonData("Olena", "Koval", D(1984, 3, 12), "female", bsn=BSN)],
            external_id="HH-BSN",
        )
    )
    stay_intake(household=household, location=scene.cno, on=D(2024, 3, 1))
    return household


def _rows(household: Household, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(household_uuid=household.uuid, action=action))


def _read_paths(scene: Scene, household: Household) -> list[tuple[str, str, str]]:
    """(url, action, interface) for every way a coordinator reads this household's record."""
    person = household.persons.get()
    stay = Stay.objects.filter(person=person).first()
    assert stay is not None
    run = placement.run_create(user=scene.coordinator, on=ON, time_limit=10)
    line = run.lines.get(household=household)
    return [
        (reverse("residents:household", args=[household.uuid]), "view", "page"),
        (reverse("residents:search") + "?q=Koval", "list", "page"),
        (reverse("residents:search"), "list", "page"),  # the list of those waiting
        (reverse("residents:location_stays", args=[scene.cno.uuid]), "export", "page"),
        (reverse("placement:run", args=[run.uuid]), "list", "page"),
        (reverse("placement:line", args=[line.uuid]), "view", "page"),
        ("/api/v1/households", "list", "api"),
        (f"/api/v1/households/{household.uuid}", "view", "api"),
        ("/api/v1/persons", "list", "api"),
        (f"/api/v1/persons/{person.uuid}", "view", "api"),
        (f"/api/v1/stays?household={household.uuid}", "list", "api"),
        (f"/api/v1/stays/{stay.uuid}", "view", "api"),
        (f"/api/v1/placement-runs/{run.uuid}", "list", "api"),
        (f"/api/v1/proposal-lines/{line.uuid}", "view", "api"),
    ]


def test_every_read_path_writes_a_row_with_who_and_how(
    client: Client, scene: Scene, bsn_household: Household
) -> None:
    client.force_login(scene.coordinator)
    for url, action, interface in _read_paths(scene, bsn_household):
        before = AuditEvent.objects.count()
        response = client.get(url)
        assert response.status_code == 200, url
        new = AuditEvent.objects.order_by("pk")[before:]
        mine = [e for e in new if e.household_uuid == bsn_household.uuid]
        assert mine, f"no audit row for {url}"
        assert {(e.action, e.interface, e.user_id) for e in mine} == {
            (action, interface, scene.coordinator.pk)
        }, url


def test_changes_are_recorded_with_before_and_after(scene: Scene) -> None:
    household = household_create(
        data=HouseholdData(
            persons=[PersonData("Olena", "Koval", D(1984, 3, 12), "female", bsn=BSN)],
            needs=["pet"],
        )
    )
    stay_intake(household=household, location=scene.cno, on=D(2024, 3, 1))
    stay_move(household=household, to_location=scene.leiden, on=D(2024, 3, 4))
    stay_depart(household=household, on=D(2024, 5, 1), reason="returned")
    created = _rows(household, AuditAction.CREATE)
    assert len(created) == 1
    assert created[0].detail["after"]["with_bsn"] == 1
    assert created[0].interface == Interface.SYSTEM  # no request, no command: the system
    changes = [e.detail for e in _rows(household, AuditAction.CHANGE)]
    assert [c["use_case"] for c in sorted(changes, key=lambda c: c["use_case"])] == [
        "departure",
        "intake",
        "move",
    ]
    move = next(c for c in changes if c["use_case"] == "move")
    assert move["before"][0]["location"] == scene.cno.name
    assert move["before"][0]["end"] is None
    assert {s["location"] for s in move["after"]} == {scene.cno.name, scene.leiden.name}
    # The BSN is never on the trail, in whatever form.
    trail = str(list(AuditEvent.objects.values_list("detail", flat=True)))
    assert BSN not in trail
    assert "bsn_encrypted" not in trail


def test_a_failed_change_leaves_no_audit_row(scene: Scene) -> None:
    household = household_create(
        data=HouseholdData(persons=[PersonData("A", "B", D(1990, 1, 1), "male")])
    )
    full = make_location(beds=1, municipality="GM0513")
    stay_intake(household=household, location=full, on=D(2024, 3, 1))
    other = household_create(
        data=HouseholdData(persons=[PersonData("C", "D", D(1990, 1, 1), "male")])
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        stay_intake(household=other, location=full, on=D(2024, 3, 1))
    assert not _rows(other, AuditAction.CHANGE)


@pytest.mark.postgres
def test_the_trail_cannot_be_changed_or_deleted_on_postgresql(scene: Scene) -> None:
    household = household_create(
        data=HouseholdData(persons=[PersonData("A", "B", D(1990, 1, 1), "male")])
    )
    event = _rows(household, AuditAction.CREATE)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(username="someone else")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).username == event.username


def test_only_the_privacy_officer_reads_the_trail(
    client: Client, scene: Scene, bsn_household: Household
) -> None:
    url = reverse("audit:list")
    for user in (
        scene.coordinator,
        scene.gouda_officer,
        user_with_role(Role.ADMINISTRATOR, "vrhm"),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(scene.coordinator)
    client.get(reverse("residents:household", args=[bsn_household.uuid]))
    client.force_login(user_with_role(Role.PRIVACY_OFFICER, "twov"))
    page = client.get(url, {"household": str(bsn_household.uuid)})
    assert page.status_code == 200
    events = list(page.context["page"])
    assert {e.action for e in events} >= {"create", "change", "view"}
    assert all(e.household_uuid == bsn_household.uuid for e in events)
    export = client.get(url, {"household": str(bsn_household.uuid), "format": "csv"})
    lines = b"".join(export.streaming_content if export.streaming else [export.content])
    assert lines.decode().count(str(bsn_household.uuid)) >= len(events)


def test_a_data_subject_access_request_on_the_command_line(
    scene: Scene, bsn_household: Household, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from django.core.management import CommandError, call_command

    call_command("audit", "--household", str(bsn_household.uuid), "--format", "json")
    rows = json.loads(capsys.readouterr().out)
    assert {r["action"] for r in rows} == {"create", "change"}
    with pytest.raises(CommandError):
        call_command("audit", "--household", "not-a-uuid")


def test_the_bsn_is_shown_only_on_explicit_request_and_that_is_recorded(
    client: Client, scene: Scene, bsn_household: Household
) -> None:
    person = bsn_household.persons.get()
    url = reverse("residents:person_bsn", args=[person.uuid])
    client.force_login(scene.coordinator)
    page = client.get(reverse("residents:household", args=[bsn_household.uuid])).content.decode()
    assert BSN not in page
    assert 'data-testid="reveal-bsn"' in page
    assert client.get(url).status_code == 405
    shown = client.post(url)
    assert shown.status_code == 200
    assert BSN in shown.content.decode()
    assert shown["Cache-Control"] == "no-store"
    assert _rows(bsn_household, AuditAction.REVEAL_BSN)[0].user == scene.coordinator
    # A municipal officer of the CNO's municipality sees the household, never the BSN.
    officer = user_with_role(Role.MUNICIPAL_OFFICER, scene.cno.municipality.code)
    client.force_login(officer)
    assert client.post(url).status_code == 403
    assert len(_rows(bsn_household, AuditAction.REVEAL_BSN)) == 1


def test_the_bsn_never_appears_in_responses_or_logs(
    client: Client,
    scene: Scene,
    bsn_household: Household,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    client.force_login(scene.coordinator)
    for url, _action, _interface in _read_paths(scene, bsn_household):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert BSN.encode() not in body, url
    # Bad input that names the BSN is refused without echoing it.
    refused = client.post(
        "/api/v1/households",
        {
            "persons": [
                {
                    "given_name": "X",
                    "family_name": "Y",
                    "birth_date": "1990-01-01",
                    "sex": "male",
                    "bsn": BSN,
                }
            ]
        },
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert BSN not in refused.content.decode()
    assert BSN not in caplog.text
