import datetime

import pytest

from opvangregie.organisations.constants import ResponsibleHolder
from opvangregie.organisations.models import Organisation, PortfolioHolder, ResponsibilityRegime
from opvangregie.organisations.selectors import (
    MunicipalityNotFoundError,
    responsible_on,
    structure_on,
)

D = datetime.date


def _body_codes(on: datetime.date) -> set[str]:
    return {b.code for b in structure_on(on=on).bodies}


def _offices(on: datetime.date) -> set[str]:
    return {o.code for o in structure_on(on=on).coordination_offices}


def test_old_structure_until_the_end_of_2023(reference: None) -> None:
    assert _body_codes(D(2023, 12, 31)) == {"veiligheidsberaad", "vrbt-hollands-midden"}


def test_new_structure_from_2024(reference: None) -> None:
    assert _body_codes(D(2024, 1, 1)) == {
        "lrt",
        "prt-zuid-holland",
        "rrt-holland-rijnland",
        "rrt-midden-holland",
        "stuurgroep-twov",
    }


def test_twov_succeeds_the_rot_on_2023_01_01(reference: None) -> None:
    assert _offices(D(2022, 12, 31)) == {"rot-hm"}
    assert _offices(D(2023, 1, 1)) == {"twov"}


def test_structure_lists_municipalities_with_region_and_population(reference: None) -> None:
    structure = structure_on(on=D(2024, 2, 1))
    assert len(structure.municipalities) == 18
    gouda = next(m for m in structure.municipalities if m.cbs_code == "GM0513")
    assert gouda.cooperation_region == "Midden-Holland"
    assert gouda.population == 75763
    stuurgroep = next(b for b in structure.bodies if b.code == "stuurgroep-twov")
    assert [s.role for s in stuurgroep.seats] == ["chair", "member", "member"]
    data = structure.as_dict()
    assert data["on"] == "2024-02-01"
    assert data["bodies"][0]["seats"][0]["valid_from"] == "2024-01-01"


def test_stale_population_is_shown_with_its_date(reference: None) -> None:
    structure = structure_on(on=D(2024, 2, 1))
    zoeterwoude = next(m for m in structure.municipalities if m.cbs_code == "GM0638")
    assert zoeterwoude.population_date == D(2021, 1, 1)
    assert "stale" in zoeterwoude.population_status


def test_mayor_responsible_before_the_twoek(reference: None) -> None:
    answer = responsible_on(cbs_code="GM0546", on=D(2024, 6, 30))
    assert answer.holder == ResponsibleHolder.MAYOR
    assert "Wet verplaatsing bevolking" in answer.legal_basis


def test_college_responsible_from_the_twoek(reference: None) -> None:
    answer = responsible_on(cbs_code="GM0546", on=D(2024, 7, 1))
    assert answer.holder == ResponsibleHolder.COLLEGE
    assert answer.regime_date_confirmed is False
    assert "Tijdelijke wet opvang" in answer.legal_basis


def test_editing_the_one_transition_record_moves_the_switch(reference: None) -> None:
    ResponsibilityRegime.objects.filter(code="twoek").update(
        in_force_from=D(2024, 3, 1), in_force_confirmed=True
    )
    assert responsible_on(cbs_code="GM0513", on=D(2024, 3, 1)).holder == "college"
    assert responsible_on(cbs_code="GM0513", on=D(2024, 2, 29)).holder == "mayor"
    assert responsible_on(cbs_code="GM0513", on=D(2024, 3, 1)).regime_date_confirmed


def test_seats_of_a_municipality_follow_the_structure(reference: None) -> None:
    before = responsible_on(cbs_code="GM0546", on=D(2023, 12, 1))
    assert [(s["body"], s["role"]) for s in before.seats] == [("vrbt-hollands-midden", "chair")]
    after = responsible_on(cbs_code="GM0546", on=D(2024, 2, 1))
    assert [(s["body"], s["role"]) for s in after.seats] == [("rrt-holland-rijnland", "member")]


def test_the_portfolio_holder_is_named_when_recorded(reference: None) -> None:
    leiden = Organisation.objects.get(code="GM0546")
    PortfolioHolder.objects.create(
        municipality=leiden, name="J. de Vries", valid_from=D(2024, 1, 1)
    )
    assert responsible_on(cbs_code="GM0546", on=D(2023, 12, 31)).portfolio_holder is None
    assert responsible_on(cbs_code="gm0546", on=D(2024, 1, 2)).portfolio_holder == "J. de Vries"


def test_unknown_municipality(reference: None) -> None:
    with pytest.raises(MunicipalityNotFoundError):
        responsible_on(cbs_code="GM9999", on=D(2024, 1, 1))


def test_no_regime_before_the_first_one(reference: None) -> None:
    with pytest.raises(MunicipalityNotFoundError):
        responsible_on(cbs_code="GM0546", on=D(2020, 1, 1))


def test_structure_query_count_stays_flat(
    reference: None, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        structure_on(on=D(2024, 2, 1))
