import datetime
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opvangregie.core.validity import valid_on_q
from opvangregie.organisations import reference
from opvangregie.organisations.constants import MembershipKind, OrganisationKind, SeatRole
from opvangregie.organisations.models import (
    Body,
    CommissioningRole,
    Decision,
    Membership,
    Organisation,
    PopulationFigure,
    Relation,
    ResponsibilityRegime,
    Seat,
)
from opvangregie.organisations.reference import ReferenceDataError, reference_load

TODAY = datetime.date(2024, 9, 1)
MODELS = [
    Organisation,
    PopulationFigure,
    Membership,
    Body,
    Seat,
    Relation,
    CommissioningRole,
    ResponsibilityRegime,
    Decision,
]


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def _region_members(code: str) -> set[str]:
    return set(
        Membership.objects.filter(
            valid_on_q(TODAY), group__code=code, kind=MembershipKind.COOPERATION
        ).values_list("member__name", flat=True)
    )


def test_loads_the_eighteen_municipalities_with_cbs_codes(reference: None) -> None:
    municipalities = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
    assert municipalities.count() == 18
    assert municipalities.get(cbs_code="GM0546").name == "Leiden"
    assert municipalities.get(cbs_code="GM0513").name == "Gouda"


def test_housing_regions_have_thirteen_and_five_members(reference: None) -> None:
    holland_rijnland = _region_members("holland-rijnland")
    midden_holland = _region_members("midden-holland")
    assert len(holland_rijnland) == 13
    assert len(midden_holland) == 5
    assert midden_holland == {
        "Bodegraven-Reeuwijk",
        "Gouda",
        "Krimpenerwaard",
        "Waddinxveen",
        "Zuidplas",
    }
    assert not holland_rijnland & midden_holland
    every = Membership.objects.filter(group__code="vrhm", kind=MembershipKind.SAFETY_REGION)
    assert every.count() == 18


def test_steering_group_has_three_seats_chaired_by_mayor_spies(reference: None) -> None:
    seats = Seat.objects.filter(valid_on_q(TODAY), body__code="stuurgroep-twov")
    assert seats.count() == 3
    chair = seats.get(role=SeatRole.CHAIR)
    assert chair.holder_name == "burgemeester Spies"
    assert chair.organisation is not None
    assert chair.organisation.code == "vrhm"
    members = {s.organisation.code for s in seats.filter(role=SeatRole.MEMBER) if s.organisation}
    assert members == {"holland-rijnland", "midden-holland"}
    body = Body.objects.get(code="stuurgroep-twov")
    assert body.secretary_organisation is not None
    assert body.secretary_organisation.code == "twov"


def test_each_rrt_seats_the_portfolio_holders_of_its_region(reference: None) -> None:
    rrt_hr = Seat.objects.filter(body__code="rrt-holland-rijnland", role=SeatRole.MEMBER)
    rrt_mh = Seat.objects.filter(body__code="rrt-midden-holland", role=SeatRole.MEMBER)
    assert rrt_hr.count() == 13
    assert rrt_mh.count() == 5
    assert rrt_mh.filter(organisation__cbs_code="GM0513").exists()


def test_loading_twice_changes_nothing(reference: None) -> None:
    before = _counts()
    second = reference_load(region="hollands-midden")
    assert second.changed == 0
    assert _counts() == before
    assert all(c["unchanged"] > 0 for c in second.counts.values())


def test_first_load_reports_what_it_created(db: None) -> None:
    report = reference_load(region="hollands-midden")
    assert report.counts["organisation"]["created"] == Organisation.objects.count()
    assert report.counts["seat"]["created"] == Seat.objects.count()
    assert report.changed == sum(_counts().values())


def test_a_confirmed_transition_date_survives_a_reload(reference: None) -> None:
    twoek = ResponsibilityRegime.objects.get(code="twoek")
    twoek.in_force_from = datetime.date(2024, 7, 2)
    twoek.in_force_confirmed = True
    twoek.save()
    reference_load(region="hollands-midden")
    twoek.refresh_from_db()
    assert twoek.in_force_from == datetime.date(2024, 7, 2)
    assert twoek.in_force_confirmed is True


def test_an_unconfirmed_date_is_brought_back_to_the_file(reference: None) -> None:
    twoek = ResponsibilityRegime.objects.get(code="twoek")
    twoek.in_force_from = datetime.date(2024, 8, 1)
    twoek.save()
    report = reference_load(region="hollands-midden")
    assert report.counts["responsibilityregime"]["updated"] == 1
    twoek.refresh_from_db()
    assert twoek.in_force_from == datetime.date(2024, 7, 1)


@pytest.fixture
def region_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "hollands-midden"
    shutil.copytree(reference.REFERENCE_ROOT / "hollands-midden", folder)
    monkeypatch.setattr(reference, "REFERENCE_ROOT", tmp_path)
    return folder


def test_a_misspelt_field_is_refused_and_nothing_is_written(db: None, region_copy: Path) -> None:
    yaml_path = region_copy / "region.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    yaml_path.write_text(text.replace("secretary_function: Manager TWOV", "secretary_functoin: x"))
    with pytest.raises(ReferenceDataError, match="secretary_functoin"):
        reference_load(region="hollands-midden")
    assert Organisation.objects.count() == 0


def test_a_bad_population_is_refused_with_the_line(db: None, region_copy: Path) -> None:
    csv_path = region_copy / "municipalities.csv"
    csv_path.write_text(
        csv_path.read_text(encoding="utf-8").replace("130181", "veel"), encoding="utf-8"
    )
    with pytest.raises(ReferenceDataError, match=r"municipalities\.csv:6"):
        reference_load(region="hollands-midden")
    assert Organisation.objects.count() == 0


def test_an_unknown_organisation_reference_is_refused(db: None, region_copy: Path) -> None:
    yaml_path = region_copy / "region.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    yaml_path.write_text(text.replace("group: pv-zuid-holland", "group: pv-nergens", 1))
    with pytest.raises(ReferenceDataError, match="pv-nergens"):
        reference_load(region="hollands-midden")
    assert Body.objects.count() == 0


def test_unknown_region_lists_the_available_ones(db: None) -> None:
    with pytest.raises(ReferenceDataError, match="hollands-midden"):
        reference_load(region="atlantis")


def test_command_reports_and_is_idempotent(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_reference", "hollands-midden", "--format", "json")
    first = capsys.readouterr().out
    assert '"changed": 0' not in first
    call_command("load_reference", "hollands-midden", "--format", "json")
    assert '"changed": 0' in capsys.readouterr().out


def test_command_error_for_unknown_region(db: None) -> None:
    with pytest.raises(CommandError, match="atlantis"):
        call_command("load_reference", "atlantis")
