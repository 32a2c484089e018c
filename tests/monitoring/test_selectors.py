import datetime
from typing import Any

import pytest

from opvangregie.capacity.constants import LocationStatus
from opvangregie.capacity.selectors import (
    Figures,
    figures_per_municipality_and_type_on,
    location_figures_on,
)
from opvangregie.capacity.services import capacity_change, location_status_change
from opvangregie.monitoring.selectors import (
    FiguresScope,
    _per_municipality,
    composition_on,
    figures_all_levels_on,
    figures_history,
    figures_on,
    flows_all_levels_between,
    flows_between,
    waiting_at_cno_on,
)
from tests.monitoring import scenario
from tests.monitoring.scenario import Region

D = datetime.date
pytestmark = pytest.mark.usefixtures("reference")

HR, MH = "holland-rijnland", "midden-holland"


@pytest.fixture
def region() -> Region:
    return scenario.build()


def _unit(result: Any, code: str) -> Any:
    return next(u for u in result.units if u.code == code)


def test_location_figures_on_a_day_count_the_stays_crossing_it(region: Region) -> None:
    figures = figures_on(on=D(2024, 2, 14), level="location")
    alphen = _unit(figures, str(region.alphen.uuid)).total.as_dict()
    assert alphen == {
        "capacity": 10,
        "allocable": 8,
        "occupied": 3,
        "free": 7,
        "free_allocable": 5,
        "occupancy_pct": 30.0,
    }
    cno = _unit(figures, str(region.cno.uuid))
    assert cno.total.occupied == 0
    assert cno.short_stay.capacity == 20
    assert cno.long_stay.capacity == 0
    # On the 12th A has left the CNO (a stay ends the day before its end date), B is still there.
    on_12th = figures_on(on=D(2024, 2, 12), level="location")
    assert _unit(on_12th, str(region.cno.uuid)).total.occupied == 2
    assert _unit(on_12th, str(region.alphen.uuid)).total.occupied == 3


def test_levels_add_up(region: Region) -> None:
    levels = figures_all_levels_on(on=D(2024, 2, 14))
    gouda = _unit(levels["municipality"], "GM0513")
    assert gouda.total.as_dict()["capacity"] == 12
    assert gouda.by_type["municipal"].occupied == 2
    assert gouda.by_type["private_hosting"].capacity == 4
    assert gouda.parents == {"housing_region": MH, "region": "vrhm"}
    hr = _unit(levels["housing_region"], HR).total
    mh = _unit(levels["housing_region"], MH).total
    assert (hr.capacity, hr.allocable, hr.occupied) == (30, 28, 3)
    assert (mh.capacity, mh.allocable, mh.occupied) == (12, 12, 2)
    [vrhm] = levels["region"].units
    assert vrhm.code == "vrhm"
    assert vrhm.total.as_dict() == {
        "capacity": 42,
        "allocable": 40,
        "occupied": 5,
        "free": 37,
        "free_allocable": 35,
        "occupancy_pct": 11.9,
    }
    assert vrhm.short_stay.capacity == 20
    assert vrhm.long_stay.capacity == 22
    # Every level sums to the same total.
    for level in ("housing_region", "municipality", "location"):
        units = levels[level].units
        assert sum(u.total.occupied for u in units) == 5
        assert sum(u.total.allocable for u in units) == 40


def test_a_municipality_without_capacity_has_no_occupancy_pct(region: Region) -> None:
    hillegom = _unit(figures_on(on=D(2024, 2, 14), level="municipality"), "GM0534")
    assert hillegom.total.capacity == 0
    assert hillegom.total.occupancy_pct is None
    assert hillegom.as_dict()["total"]["occupancy_pct"] is None
    assert len(figures_on(on=D(2024, 2, 14), level="municipality").units) == 18


def test_unknown_level_is_refused(db: None) -> None:
    with pytest.raises(ValueError, match="province"):
        figures_on(on=D(2024, 2, 14), level="province")


def test_region_flows_per_iso_week(region: Region) -> None:
    flows = flows_between(start=D(2024, 2, 7), end=D(2024, 2, 21), level="region")
    assert (flows.start, flows.end) == (D(2024, 2, 5), D(2024, 2, 25))  # whole ISO weeks
    [vrhm] = flows.units
    w06, w07, w08 = vrhm.weeks
    assert [w.week for w in vrhm.weeks] == ["2024-W06", "2024-W07", "2024-W08"]
    assert w06.arrivals.as_dict() == {"persons": 5, "households": 2}
    # Moves are not inflow: only C's intake counts in week 7.
    assert w07.arrivals.as_dict() == {"persons": 1, "households": 1}
    assert w07.moves_in.persons == w07.moves_out.persons == 0
    assert w08.departures.as_dict() == {"persons": 3, "households": 2}
    assert w08.departures_by_reason["own_housing"].as_dict() == {"persons": 2, "households": 1}
    assert w08.departures_by_reason["returned"].as_dict() == {"persons": 1, "households": 1}
    assert w08.departures_by_reason["other"].persons == 0
    assert [w.net for w in vrhm.weeks] == [5, 1, -3]


def test_moves_between_units_are_moves_in_and_out(region: Region) -> None:
    flows = flows_between(start=D(2024, 2, 5), end=D(2024, 2, 25), level="housing_region")
    hr, mh = _unit(flows, HR), _unit(flows, MH)
    # A moves within Holland Rijnland (CNO Leiden -> Alphen): no move at this level.
    assert [w.moves_out.persons for w in hr.weeks] == [0, 2, 0]
    assert [w.moves_in.as_dict() for w in mh.weeks] == [
        {"persons": 0, "households": 0},
        {"persons": 2, "households": 1},
        {"persons": 0, "households": 0},
    ]
    assert [w.net for w in hr.weeks] == [5, -1, -1]
    assert [w.net for w in mh.weeks] == [0, 2, -2]
    municipalities = flows_between(start=D(2024, 2, 12), end=D(2024, 2, 12), level="municipality")
    assert _unit(municipalities, "GM0546").weeks[0].moves_out.persons == 5
    assert _unit(municipalities, "GM0484").weeks[0].moves_in.persons == 3


def test_flows_net_matches_the_change_in_occupancy(region: Region) -> None:
    flows = flows_between(start=D(2024, 2, 5), end=D(2024, 2, 25), level="municipality")
    before = figures_on(on=D(2024, 2, 4), level="municipality")
    after = figures_on(on=D(2024, 2, 25), level="municipality")
    for unit in flows.units:
        change = _unit(after, unit.code).total.occupied - _unit(before, unit.code).total.occupied
        assert unit.net == change, unit.code


def test_waiting_at_the_cno(region: Region) -> None:
    waiting = waiting_at_cno_on(on=D(2024, 2, 10))
    # A (3 persons) waited 5 days, B (2 persons) 3 days: exactly 72 hours is not over it.
    assert waiting.total.as_dict() == {
        "on": "2024-02-10",
        "persons": 5,
        "households": 2,
        "median_days": 5.0,
        "max_days": 5,
        "over_72h_persons": 3,
        "over_72h_households": 1,
    }
    assert set(waiting.by_location) == {"CNO"}
    empty = waiting_at_cno_on(on=D(2024, 2, 14)).total
    assert (empty.persons, empty.median_days, empty.max_days) == (0, None, None)


def test_composition_at_each_level(region: Region) -> None:
    composition = composition_on(on=D(2024, 2, 14), level="region")
    [vrhm] = composition.units
    assert (vrhm.persons, vrhm.households) == (5, 2)
    assert vrhm.household_sizes == {"1": 0, "2": 1, "3": 1, "4": 0, "5+": 0}
    assert vrhm.age_bands == {
        "0-3": 1,
        "4-11": 0,
        "12-17": 1,
        "18-29": 0,
        "30-44": 2,
        "45-64": 0,
        "65+": 1,
    }
    assert vrhm.sexes == {"female": 4, "male": 1, "other": 0}
    gouda = _unit(composition_on(on=D(2024, 2, 14), level="municipality"), "GM0513")
    assert gouda.household_sizes["2"] == 1
    assert gouda.age_bands["65+"] == 1
    # After the man of A left, A counts as a household of two.
    later = composition_on(on=D(2024, 2, 22), level="location")
    assert [(u.name, u.household_sizes["2"]) for u in later.units] == [
        ("Alphen", 1),
        ("CNO", 0),
    ]


@pytest.mark.parametrize("level", ["region", "housing_region", "municipality", "location"])
def test_the_history_equals_the_figures_of_each_day(region: Region, level: str) -> None:
    # Capacity changes inside the period too: Gouda grows, the private hosting closes.
    capacity_change(location=region.gouda, valid_from=D(2024, 2, 10), beds=12)
    location_status_change(
        location=region.gouda_private, status=LocationStatus.CLOSED, effective_date=D(2024, 2, 17)
    )
    on = D(2024, 2, 22)
    days = [on - datetime.timedelta(days=n) for n in range(0, 22, 3)]
    history = figures_history(now=figures_on(on=on, level=level), days=days)
    for day in days:
        expected = {
            u.code: (u.total.capacity, u.total.occupied)
            for u in figures_on(on=day, level=level).units
        }
        for code, points in history.items():
            point = next(p for p in points if p.day == day)
            assert (point.capacity, point.occupied) == expected.get(code, (0, 0)), (level, day)
    assert any(p.occupied for points in history.values() for p in points)
    with pytest.raises(ValueError, match="a day after"):
        figures_history(now=figures_on(on=on, level=level), days=[on + datetime.timedelta(1)])
    # Asked for some units only (the dashboard's drill-down), the same points for those.
    some = sorted(history)[:1]
    assert figures_history(now=figures_on(on=on, level=level), days=days, codes=some) == {
        code: history[code] for code in some
    }


def test_flows_of_several_levels_at_once_equal_each_level_alone(region: Region) -> None:
    start, end = D(2024, 2, 1), D(2024, 2, 29)
    together = flows_all_levels_between(start=start, end=end)
    for level, flows in together.items():
        assert flows.as_dict() == flows_between(start=start, end=end, level=level).as_dict()
    # Without households the persons are counted in the database: the same numbers.
    persons_only = flows_all_levels_between(start=start, end=end, households=False)

    def persons(flows: Any) -> list[Any]:
        return [
            (
                u.code,
                w.week,
                w.arrivals.persons,
                w.departures.persons,
                w.moves_in.persons,
                w.moves_out.persons,
                *(t.persons for t in w.departures_by_reason.values()),
            )
            for u in flows.units
            for w in u.weeks
        ]

    for level, flows in together.items():
        assert persons(persons_only[level]) == persons(flows)
    assert any(w.moves_in.persons for u in together["housing_region"].units for w in u.weeks)
    assert any(w.arrivals.households for u in together["region"].units for w in u.weeks)
    assert not any(w.arrivals.households for u in persons_only["region"].units for w in u.weeks)


@pytest.mark.parametrize("households", [True, False])
def test_flows_scoped_to_some_units_equal_those_units_unscoped(
    region: Region, households: bool
) -> None:
    """A scope narrows the stays read to the locations shown (the dashboard's drill-down);
    a move still counts on both sides: out of Leiden (its CNO) and into Alphen and Gouda."""
    start, end = D(2024, 2, 1), D(2024, 2, 29)
    every = flows_between(start=start, end=end, level="municipality", households=households)
    for code in ("GM0546", "GM0484", "GM0513"):
        scope = FiguresScope({"municipality": frozenset({code})})
        [scoped] = flows_between(
            start=start, end=end, level="municipality", scope=scope, households=households
        ).units
        assert scoped.as_dict() == _unit(every, code).as_dict(), code
    leiden = FiguresScope({"municipality": frozenset({"GM0546"})})
    [cno_side] = flows_between(
        start=start, end=end, level="municipality", scope=leiden, households=households
    ).units
    assert sum(w.moves_out.persons for w in cno_side.weeks) == 5


def test_the_sums_per_municipality_equal_the_locations_added_up(region: Region) -> None:
    """The levels above the locations are summed by the database; the same as adding up each
    location's figures, also on a day a location closes with residents and beds blocked."""
    capacity_change(location=region.gouda, valid_from=D(2024, 2, 10), beds=12, blocked_beds=3)
    location_status_change(
        location=region.gouda_private, status=LocationStatus.CLOSED, effective_date=D(2024, 2, 14)
    )
    occupied = 0
    for day in (D(2024, 2, 1), D(2024, 2, 12), D(2024, 2, 14), D(2024, 2, 22)):
        by_location = _per_municipality(location_figures_on(on=day, include_inactive=True))
        summed = figures_per_municipality_and_type_on(on=day)
        assert {k: v for k, v in summed.items() if v != Figures()} == {
            k: v for k, v in by_location.items() if v != Figures()
        }, day
        occupied += sum(f.occupied for f in summed.values())
        # And every level is the same whichever way it was added up.
        with_locations = figures_all_levels_on(on=day)
        without = figures_all_levels_on(on=day, levels=("region", "housing_region", "municipality"))
        for level, figures in without.items():
            assert figures == with_locations[level], (day, level)
    assert occupied
