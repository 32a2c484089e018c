import datetime
from fractions import Fraction
from typing import Any

import pytest

from opvangregie.monitoring.forecast import Scenario, forecast_rows, runs_out_on, runway_on
from opvangregie.monitoring.selectors import figures_on
from tests.capacity.factories import make_location
from tests.monitoring import scenario

D = datetime.date
pytestmark = pytest.mark.usefixtures("reference")


def _units(forecast: Any) -> dict[str, Any]:
    return {u.code: u for u in forecast.units}


def test_entered_inflow_runs_the_region_out_on_a_hand_computed_day() -> None:
    scenario.build()
    # 14 Feb: 40 allocable, 5 occupied, so 35 free; 10 more a week: 35 / (10 / 7) = 24.5 days.
    forecast = runway_on(on=D(2024, 2, 14), scenario=Scenario.entered(inflow_per_week=10))
    units = _units(forecast)
    vrhm = units["vrhm"]
    assert vrhm.free_allocable == 35
    assert vrhm.runs_out_on == D(2024, 3, 10)
    week_1 = vrhm.series[1]
    assert (week_1.day, week_1.projected_occupied, week_1.projected_free_allocable) == (
        D(2024, 2, 21),
        15,
        25,
    )
    assert len(vrhm.series) == 27
    # Without targets the housing regions share by allocable capacity: 28 and 12 of 40.
    hr, mh = units["holland-rijnland"], units["midden-holland"]
    assert hr.share == Fraction(7, 10)
    assert hr.runs_out_on == D(2024, 3, 10)  # 25 free, 7 a week
    assert mh.runs_out_on == D(2024, 3, 9)  # 10 free, 3 a week
    body = forecast.as_dict()
    assert body["scenario"]["method"] == "entered"
    assert body["scenario"]["inflow_per_week"] == 10
    assert body["units"][0]["net_per_week"] == 10.0
    assert forecast_rows(forecast)[0][:5] == [
        "region",
        "vrhm",
        "Veiligheidsregio Hollands Midden",
        "2024-03-10",
        10.0,
    ]


def test_a_planned_opening_lengthens_the_runway() -> None:
    scenario.build()
    make_location(beds=20, municipality="GM0513", opens_on=D(2024, 3, 1), name="Nieuw")
    vrhm = _units(runway_on(on=D(2024, 2, 14), scenario=Scenario.entered(inflow_per_week=10)))[
        "vrhm"
    ]
    # From 1 March 60 allocable: 55 / (10 / 7) = 38.5 days after 14 February.
    assert vrhm.runs_out_on == D(2024, 3, 24)
    # Weekly points: 14, 21, 28 February, 6 March.
    assert [p.allocable for p in vrhm.series[:4]] == [40, 40, 40, 60]
    # The known future capacity is what the figures say on that day.
    for point in vrhm.series[:6]:
        [unit] = figures_on(on=point.day, level="region").units
        assert point.allocable == unit.total.allocable


def test_the_average_of_the_last_four_weeks() -> None:
    scenario.build()
    forecast = runway_on(on=D(2024, 2, 26), scenario=Scenario.average(4))
    assert (forecast.basis_from, forecast.basis_to) == (D(2024, 1, 29), D(2024, 2, 25))
    vrhm = _units(forecast)["vrhm"]
    # Weeks 5-8: 6 in, 3 out: 0.75 a week net; 37 free: ceil(7 * 37 / 0.75) = 346 days.
    assert vrhm.inflow_per_week == Fraction(3, 2)
    assert vrhm.outflow_per_week == Fraction(3, 4)
    assert vrhm.free_allocable == 37
    assert vrhm.runs_out_on == D(2024, 2, 26) + datetime.timedelta(days=346)
    # Midden-Holland: two moved in, two left: no net inflow, so it never runs out.
    assert _units(forecast)["midden-holland"].runs_out_on is None
    twelve = _units(runway_on(on=D(2024, 2, 26), scenario=Scenario.average(12)))["vrhm"]
    assert twelve.runs_out_on == D(2024, 2, 26) + datetime.timedelta(days=1036)


def test_runs_out_on_edge_cases() -> None:
    on = D(2024, 1, 1)
    assert runs_out_on(on=on, occupied=5, net_per_week=Fraction(0), allocable=40) is None
    assert runs_out_on(on=on, occupied=5, net_per_week=Fraction(-3), allocable=40) is None
    assert runs_out_on(on=on, occupied=40, net_per_week=Fraction(0), allocable=40) == on
    # A closing takes the last free places away.
    closing = {D(2024, 3, 1): -35}
    assert runs_out_on(
        on=on, occupied=5, net_per_week=Fraction(0), allocable=40, changes=closing
    ) == D(2024, 3, 1)
    # 7 free, 7 a week: exactly one week.
    assert runs_out_on(on=on, occupied=3, net_per_week=Fraction(7), allocable=10) == D(2024, 1, 8)


def test_scenarios_refuse_nonsense() -> None:
    with pytest.raises(ValueError, match="weeks"):
        Scenario.average(0)
    with pytest.raises(ValueError, match="negative"):
        Scenario.entered(inflow_per_week=-1)
