import datetime

import pytest

from opvangregie.capacity.reference import reference_load_all
from opvangregie.capacity.selectors import occupancy_on
from opvangregie.residents.models import Household, Stay
from opvangregie.residents.scenario import scenario_check, scenario_delete, scenario_generate

D = datetime.date
END = D(2023, 3, 1)


@pytest.fixture
def scenario(db: None) -> dict[str, object]:
    reference_load_all(region="hollands-midden")
    return scenario_generate(seed=7, end=END).as_dict()


def test_the_scenario_keeps_every_rule(scenario: dict[str, object]) -> None:
    days = [D(2022, 3, 1) + datetime.timedelta(days=d) for d in range(0, 366, 11)]
    assert scenario_check(days=days) == []


def test_the_scenario_has_history_and_people_waiting(scenario: dict[str, object]) -> None:
    assert scenario["municipalities"] == 18
    assert 60 <= int(scenario["locations"]) <= 100  # type: ignore[call-overload]
    assert int(scenario["waiting_at_cno"]) >= 10  # type: ignore[call-overload]
    early = occupancy_on(on=D(2022, 4, 1)).total
    later = occupancy_on(on=D(2023, 2, 1)).total
    assert 0 < early.occupied < later.occupied
    assert Stay.objects.exclude(departure_reason="").exists()
    assert Stay.objects.filter(arrival="move").exists()


def test_the_same_seed_gives_the_same_scenario(scenario: dict[str, object]) -> None:
    first = list(Stay.objects.order_by("pk").values_list("start_date", "end_date", "arrival"))
    scenario_delete()
    assert not Household.objects.filter(external_id__startswith="demo-").exists()
    again = scenario_generate(seed=7, end=END).as_dict()
    assert again == scenario
    second = list(Stay.objects.order_by("pk").values_list("start_date", "end_date", "arrival"))
    assert first == second


def test_a_second_generation_is_refused(scenario: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="loaded already"):
        scenario_generate(seed=7, end=END)
