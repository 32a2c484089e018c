import datetime
import json

import pytest
from django.core.management import call_command

from opvangregie.capacity.models import Location
from opvangregie.capacity.reference import reference_load_all
from opvangregie.placement.selectors import instance_on
from opvangregie.residents.services import HouseholdData, PersonData, household_create, stay_intake
from tests.capacity.factories import make_location
from tests.residents.factories import make_household

D = datetime.date


@pytest.fixture
def waiting(db: None) -> dict[str, object]:
    reference_load_all(region="hollands-midden")
    cno = Location.objects.get(external_id="cno-nieuwe-sloot")
    gouda = make_location(
        beds=6, municipality="GM0513", name="Kazerne Gouda", features=["wheelchair_accessible"]
    )
    full = make_location(beds=2, municipality="GM0546", name="Vol Leiden")
    stay_intake(household=make_household(2), location=full, on=D(2024, 2, 1))
    man = household_create(
        data=HouseholdData(
            persons=[PersonData("Taras", "Moroz", D(1990, 1, 1), "male")],
            needs=["wheelchair"],
            ties=[("GM0513", "work")],
        )
    )
    family = make_household(3)
    for household in (man, family):
        stay_intake(household=household, location=cno, on=D(2024, 3, 1))
    return {"man": man, "family": family, "gouda": gouda}


def test_instance_of_a_date(waiting: dict[str, object]) -> None:
    instance = instance_on(on=D(2024, 3, 2))
    households = {h.id: h for h in instance.households}
    man = households[str(waiting["man"].uuid)]  # type: ignore[attr-defined]
    assert (man.size, man.kind, man.needs, man.ties) == (
        1,
        "single_man",
        ("wheelchair",),
        ("GM0513",),
    )
    assert households[str(waiting["family"].uuid)].size == 3  # type: ignore[attr-defined]
    # Only receiving long-stay locations with free beds: not the CNO, not the full one.
    assert [loc.name for loc in instance.locations] == ["Kazerne Gouda"]
    assert instance.locations[0].features == ("wheelchair_accessible",)
    present = sum(m.present for m in instance.municipalities)
    assert present == 2
    assert sum(m.target for m in instance.municipalities) == pytest.approx(present + 4, abs=0.1)


def test_allocate_on_a_date_proposes_without_writing(
    waiting: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    from opvangregie.residents.models import Stay

    before = Stay.objects.count()
    call_command("allocate", "--on", "2024-03-02", "--format", "json", "--time-limit", "10")
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "optimal"
    assert data["placed"] == 2  # 1 + 3 persons into 6 beds
    assert Stay.objects.count() == before
