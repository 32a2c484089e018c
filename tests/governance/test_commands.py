"""The command line: agreements, prt-pack, notify-deadlines, demo-governance."""

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import translation

from opvangregie.accounts.services import demo_users_create
from opvangregie.governance import services
from opvangregie.governance.constants import Metric
from opvangregie.governance.models import Agreement, Escalation, Meeting
from tests.capacity.factories import make_location

from .conftest import D, Gov


def test_prt_pack_writes_a_pdf(gov: Gov, tmp_path: Path) -> None:
    out = tmp_path / "pack.pdf"
    call_command(
        "prt_pack",
        "--housing-region",
        "holland-rijnland",
        "--date",
        "2024-03-14",
        "--output",
        str(out),
    )
    assert out.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError):
        call_command("prt_pack", "--housing-region", "GM0546", "--output", str(out))


def test_notify_deadlines_is_safe_to_repeat(gov: Gov) -> None:
    services.escalation_raise(
        user=gov.coordinator,
        title="x",
        question="?",
        deadline=D(2024, 3, 20),
        raised_on=D(2024, 3, 1),
    )
    call_command("notify_deadlines", "--date", "2024-03-21")
    call_command("notify_deadlines", "--date", "2024-03-21")
    assert len(mail.outbox) == 2


def test_demo_governance(gov: Gov, demo_mode: None) -> None:
    demo_users_create(password="demo-wachtwoord-123")
    call_command("demo_governance", "--if-missing")
    call_command("demo_governance", "--if-missing")
    assert (Meeting.objects.count(), Agreement.objects.count(), Escalation.objects.count()) == (
        3,
        2,
        2,
    )


@pytest.fixture
def agreements(gov: Gov) -> tuple[Agreement, Agreement]:
    """A measurable agreement of the stuurgroep (20 places, 15 for Holland Rijnland and 5 for
    Midden-Holland; 6 realised in Leiden and 4 in Gouda) and one of the RRT Holland Rijnland
    without a target, with a deadline that has passed on 2024-04-01."""
    make_location(beds=10, municipality="GM0546", opens_on=D(2024, 1, 1))
    make_location(beds=6, municipality="GM0546", opens_on=D(2024, 3, 1))
    make_location(beds=4, municipality="GM0513", opens_on=D(2024, 3, 1))
    measured = services.agreement_create(
        user=gov.coordinator,
        body=gov.stuurgroep,
        title="20 extra plaatsen",
        owner="Voorzitter stuurgroep",
        start_date=D(2024, 2, 1),
        deadline=D(2024, 6, 1),
        parties=[(gov.holland_rijnland, 15), (gov.midden_holland, 5)],
        metric=Metric.REALISED_PLACES,
        target=20,
    )
    late = services.agreement_create(
        user=gov.secretary,
        body=gov.rrt,
        title="Werkafspraken huisvesting",
        owner="Secretaris RRT",
        start_date=D(2024, 1, 1),
        deadline=D(2024, 3, 1),
        parties=[(gov.holland_rijnland, None)],
    )
    return measured, late


def _run(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("agreements", *args, stdout=out)
    return out.getvalue()


def test_agreements_as_json_with_progress_and_status(agreements) -> None:  # type: ignore[no-untyped-def]
    measured, _late = agreements
    data = json.loads(_run("--on", "2024-04-01", "--format", "json"))
    assert data["count"] == 2
    rows = {a["title"]: a for a in data["agreements"]}
    row = rows["20 extra plaatsen"]
    assert row["body"] == {"code": "stuurgroep-twov", "name": measured.body.name}
    assert [(p["code"], p["share"]) for p in row["parties"]] == [
        ("holland-rijnland", 15),
        ("midden-holland", 5),
    ]
    assert (row["owner"], row["deadline"], row["target"]) == (
        "Voorzitter stuurgroep",
        "2024-06-01",
        20,
    )
    assert {k: row["progress"][k] for k in ("value", "target", "percentage")} == {
        "value": 10,
        "target": 20,
        "percentage": 50.0,
    }
    # 50 % realised with 49.6 % of the time elapsed: on track, and the reason says so.
    assert row["status"]["code"] == "on_track"
    assert row["status"]["reason"].startswith("50.0% of the target realised, 49.6%")
    other = rows["Werkafspraken huisvesting"]
    assert other["progress"]["value"] is None
    assert other["status"]["code"] == "late"
    assert other["status"]["reason"] == "Not measurable; deadline 2024-03-01 passed."


def test_agreements_filtered_by_status(agreements) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(_run("--on", "2024-04-01", "--status", "late", "--format", "json"))
    assert [a["title"] for a in data["agreements"]] == ["Werkafspraken huisvesting"]
    # A status set by hand counts as shown, with the secretary's reason.
    measured, _late = agreements
    services.agreement_status_set(
        user=agreements[0].created_by,
        agreement=measured,
        status="at_risk",
        reason="Vergunning vertraagd",
    )
    data = json.loads(_run("--on", "2024-04-01", "--status", "at-risk", "--format", "json"))
    assert [a["status"] for a in data["agreements"]] == [
        {
            "code": "at_risk",
            "label": "at risk",
            "set_by_hand": True,
            "reason": "Set by hand: Vergunning vertraagd",
        }
    ]
    with pytest.raises(CommandError, match="Unknown status"):
        _run("--status", "soon")


def test_agreements_of_a_housing_region_show_its_share(agreements, gov: Gov) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(
        _run("--on", "2024-04-01", "--housing-region", "midden-holland", "--format", "json")
    )
    # Midden-Holland is party to the stuurgroep's agreement only: its share is 5, Gouda's 4.
    assert [
        (a["title"], a["progress"]["value"], a["progress"]["target"]) for a in data["agreements"]
    ] == [("20 extra plaatsen", 4, 5)]
    data = json.loads(
        _run("--on", "2024-04-01", "--body", "rrt-holland-rijnland", "--format", "json")
    )
    assert [a["title"] for a in data["agreements"]] == ["Werkafspraken huisvesting"]
    with pytest.raises(CommandError):
        _run("--housing-region", "GM0546")
    with pytest.raises(CommandError):
        _run("--body", "geen-orgaan")
    with pytest.raises(CommandError):
        _run("--on", "2024-02-30")


def test_agreements_as_csv_and_table(agreements) -> None:  # type: ignore[no-untyped-def]
    rows = list(csv.DictReader(StringIO(_run("--on", "2024-04-01", "--format", "csv"))))
    assert [(r["title"], r["progress_value"], r["progress_target"], r["status"]) for r in rows] == [
        ("Werkafspraken huisvesting", "", "", "late"),
        ("20 extra plaatsen", "10", "20", "on_track"),
    ]
    assert rows[1]["parties"] == "holland-rijnland=15; midden-holland=5"
    text = _run("--on", "2024-04-01")
    assert "Agreements on 2024-04-01: 2" in text
    assert "10 / 20 (50.0%)" in text
    assert "owner Voorzitter stuurgroep" in text


def test_agreements_hold_no_personal_data(agreements, gov: Gov) -> None:  # type: ignore[no-untyped-def]
    """Who created or changed an agreement is not in the output: aggregates only."""
    output = _run("--on", "2024-04-01", "--format", "json")
    for user in (gov.coordinator, gov.secretary):
        assert user.username not in output
