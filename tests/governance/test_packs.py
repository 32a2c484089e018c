"""The PRT pack: its content, notes by chair and secretary, freezing with a checksum, and the
check that refuses personal data."""

import datetime
import hashlib
import json
from collections.abc import Iterator

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from opvangregie.capacity.models import Location
from opvangregie.governance import packs, services
from opvangregie.governance.constants import Metric, PackState
from opvangregie.residents.services import HouseholdData, PersonData, household_create, stay_intake
from tests.capacity.factories import make_location

from .conftest import D, Gov, at

ON = D(2024, 3, 14)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Texts are matched in English here (the Dutch catalogue is tested on its own)."""
    with translation.override("en"):
        yield


@pytest.fixture
def pack(gov: Gov):  # type: ignore[no-untyped-def]
    make_location(beds=10, municipality="GM0546", opens_on=D(2024, 1, 1))
    household = household_create(
        data=HouseholdData(
            persons=[PersonData("Taras", "Moroz", D(1990, 1, 7), "male")], external_id="HH-1"
        )
    )
    stay_intake(
        household=household,
        location=Location.objects.get(external_id="cno-nieuwe-sloot"),
        on=D(2024, 3, 10),
    )
    services.agreement_create(
        user=gov.secretary,
        body=gov.rrt,
        title="Tien plaatsen in Leiden",
        owner="Wethouder Leiden",
        start_date=D(2024, 2, 1),
        deadline=D(2024, 5, 1),
        parties=[(gov.holland_rijnland, None)],
        metric=Metric.REALISED_PLACES,
        target=10,
    )
    services.escalation_raise(
        user=gov.coordinator,
        title="Reserve-CNO",
        question="Wanneer openen?",
        deadline=D(2024, 3, 12),
        raised_on=D(2024, 3, 1),
    )
    meeting = services.meeting_create(user=gov.secretary, body=gov.rrt, starts_at=at(D(2024, 3, 1)))
    services.decision_record(user=gov.secretary, meeting=meeting, subject="Extra locatie Leiden")
    return services.prt_pack_create(user=gov.secretary, housing_region=gov.holland_rijnland, on=ON)


def test_content_from_figures_agreements_dilemmas_and_decisions(gov: Gov, pack) -> None:  # type: ignore[no-untyped-def]
    content = packs.pack_content(housing_region=gov.holland_rijnland, on=ON)
    figures = content["figures"]
    assert figures["source"] == "live"
    assert figures["long_stay"]["capacity"] == 10
    assert figures["waiting_at_cno"]["households"] == 1
    [agreement] = content["agreements"]
    assert (agreement["target"], agreement["gained"]) == (10, 0)
    [dilemma] = content["dilemmas"]
    assert dilemma["overdue"] is True
    assert [d["subject"] for d in content["decisions"]] == ["Extra locatie Leiden"]
    assert any("1 overdue" in line for line in content["summary"])


def test_notes_freeze_and_checksum(gov: Gov, pack) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.prt_pack_notes(user=gov.secretary, pack=pack, chair_notes="x")
    with pytest.raises(PermissionDenied):
        services.prt_pack_notes(user=gov.leiden, pack=pack, secretary_notes="x")
    services.prt_pack_notes(user=gov.chair, pack=pack, chair_notes="Bespreken: De Hil.")
    services.prt_pack_notes(user=gov.secretary, pack=pack, secretary_notes="Cijfers van 14/3.")
    with pytest.raises(ValidationError):  # only a frozen pack is sent
        services.prt_pack_send(user=gov.secretary, pack=pack)
    pack = services.prt_pack_freeze(user=gov.secretary, pack=pack)
    assert pack.state == PackState.FROZEN
    assert pack.content["notes"] == {
        "chair": "Bespreken: De Hil.",
        "secretary": "Cijfers van 14/3.",
    }
    canonical = json.dumps(pack.content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert pack.checksum == hashlib.sha256(canonical.encode()).hexdigest()
    assert (pack.frozen_by, pack.frozen_at is not None) == (gov.secretary, True)
    with pytest.raises(ValidationError):
        services.prt_pack_notes(user=gov.chair, pack=pack, chair_notes="later")
    pack.content["notes"]["chair"] = "tampered"
    pack.save()
    with pytest.raises(ValidationError):
        services.prt_pack_send(user=gov.secretary, pack=pack)


@pytest.mark.parametrize(
    ("note", "kind"),
    [
        ("Familie Taras Moroz wacht al lang.", "name"),
        ("moroz, taras: zie dossier", "name"),
        ("Geboren 7-1-1990, wacht op plaatsing.", "birth_date"),
        ("Persoon met BSN 123456782.", "bsn"),
    ],
)
def test_a_pack_with_personal_data_is_refused(gov: Gov, pack, note, kind) -> None:  # type: ignore[no-untyped-def]
    services.prt_pack_notes(user=gov.secretary, pack=pack, secretary_notes=note)
    with pytest.raises(services.PersonalDataError) as refused:
        services.prt_pack_freeze(user=gov.secretary, pack=pack)
    assert kind in str(refused.value)
    assert "Moroz" not in str(refused.value)
    pack.refresh_from_db()
    assert pack.state == PackState.DRAFT


def test_household_uuid_is_personal_data(gov: Gov, pack) -> None:  # type: ignore[no-untyped-def]
    from opvangregie.residents.models import Household

    uuid = str(Household.objects.get(external_id="HH-1").uuid)
    assert packs.personal_data_found(f"zie {uuid}") == ["uuid"]
    assert packs.personal_data_found("zie 123e4567-e89b-12d3-a456-426614174000") == []
    # Names alone, a surname in another sense, or the pack's own dates are no hit.
    assert packs.personal_data_found("Taras komt; Moroz is vorst.") == []
    assert packs.personal_data_found("deadline 1990-01-07", allowed_dates=[D(1990, 1, 7)]) == []


def test_only_chair_or_secretary_of_the_rrt_makes_a_pack(gov: Gov) -> None:
    with pytest.raises(PermissionDenied):
        services.prt_pack_create(user=gov.leiden, housing_region=gov.holland_rijnland, on=ON)
    with pytest.raises(PermissionDenied):
        services.prt_pack_create(user=gov.secretary, housing_region=gov.midden_holland, on=ON)


def test_the_pack_carries_the_latest_weekly_report_to_the_prt(gov: Gov) -> None:
    from opvangregie.core.dates import today
    from opvangregie.reports.services import report_issue

    day = today()
    year, week, _ = (day - datetime.timedelta(days=7)).isocalendar()
    label = f"{year}-W{week:02d}"
    without = packs.pack_content(housing_region=gov.holland_rijnland, on=day)
    assert without["figures"]["report"] is None
    report_issue(user=None, week=label, audience="prt")
    issued = report_issue(user=None, week=label, audience="prt", note="correctie")
    content = packs.pack_content(housing_region=gov.holland_rijnland, on=day)
    report = content["figures"]["report"]
    assert (report["week"], report["version"], report["checksum"]) == (
        label,
        2,
        issued.checksum,
    )
    assert content["summary"][0] == f"Latest weekly report to the PRT: {label}, version 2."
    # A report issued after the pack's date is not one the PRT had seen then.
    earlier = packs.pack_content(housing_region=gov.holland_rijnland, on=D(2024, 3, 14))
    assert earlier["figures"]["report"] is None
