"""The figures stay at a fixed number of queries however many locations and residents there
are: count the queries on a region with many locations."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opvangregie.capacity.constants import LocationType
from opvangregie.monitoring.forecast import Scenario, runway_on
from opvangregie.monitoring.selectors import (
    composition_on,
    figures_all_levels_on,
    figures_history,
    figures_on,
    flows_all_levels_between,
    flows_between,
    waiting_at_cno_on,
)
from opvangregie.residents.services import stay_depart, stay_intake, stay_move
from tests.capacity.factories import make_location
from tests.residents.factories import make_household

D = datetime.date
pytestmark = pytest.mark.usefixtures("reference")
MUNICIPALITIES = ["GM0484", "GM0546", "GM0513", "GM1892", "GM0575", "GM1931"]

# The most queries each may take (the structure of the region accounts for most of them).
BOUNDS = {
    "figures": 6,
    "flows": 6,
    "flows_all_levels": 6,
    "history": 14,  # the figures on the day (6) and their history (8)
    "waiting": 1,
    "composition": 4,
    "forecast": 18,
}
CALLS: dict[str, Callable[[], Any]] = {
    "figures": lambda: figures_all_levels_on(on=D(2024, 3, 1)),
    "flows": lambda: flows_between(start=D(2024, 1, 1), end=D(2024, 3, 31), level="location"),
    "flows_all_levels": lambda: flows_all_levels_between(start=D(2024, 1, 1), end=D(2024, 3, 31)),
    # The figures on a day and their history over 12 weeks (the dashboard's chart).
    "history": lambda: figures_history(
        now=figures_on(on=D(2024, 3, 1), level="location"),
        days=[D(2024, 3, 1) - datetime.timedelta(weeks=n) for n in range(13)],
    ),
    "waiting": lambda: waiting_at_cno_on(on=D(2024, 3, 1)),
    "composition": lambda: composition_on(on=D(2024, 3, 1), level="municipality"),
    "forecast": lambda: runway_on(on=D(2024, 3, 1), scenario=Scenario.average(4)),
}


def populate(locations: int) -> None:
    """``locations`` municipal locations (and one more CNO) with the stays of a household each:
    intake at the CNO, a move, for some a departure; and a household waiting at the CNO."""
    cno = make_location(beds=500, municipality="GM0546", type=LocationType.CNO)
    for n in range(locations):
        location = make_location(beds=6, municipality=MUNICIPALITIES[n % len(MUNICIPALITIES)])
        household = make_household(2)
        stay_intake(household=household, location=cno, on=D(2024, 2, 1 + n % 20))
        stay_move(household=household, to_location=location, on=D(2024, 2, 22))
        if n % 3 == 0:
            stay_depart(household=household, on=D(2024, 2, 26), reason="returned")
        stay_intake(household=make_household(1), location=cno, on=D(2024, 2, 25))


def _queries(call: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as context:
        call()
    return len(context.captured_queries)


@pytest.mark.parametrize("name", list(CALLS))
def test_queries_do_not_grow_with_the_locations(
    name: str, django_assert_max_num_queries: Any
) -> None:
    populate(3)
    few = _queries(CALLS[name])
    assert few <= BOUNDS[name]
    populate(30)
    with django_assert_max_num_queries(few):
        result = CALLS[name]()
    assert result is not None


def test_the_places_memo_reads_the_structure_once_per_date_and_only_inside_it() -> None:
    from opvangregie.monitoring.selectors import places_memo, places_on

    def queries(call: Callable[[], Any]) -> int:
        with CaptureQueriesContext(connection) as ctx:
            call()
        return len(ctx.captured_queries)

    day = D(2024, 4, 1)
    once = queries(lambda: places_on(on=day))
    assert once > 0
    assert queries(lambda: places_on(on=day)) == once  # without the memo: read again
    with places_memo():
        first = places_on(on=day)
        assert queries(lambda: places_on(on=day)) == 0
        assert places_on(on=day) is first
        assert queries(lambda: places_on(on=day + datetime.timedelta(days=1))) == once
    assert queries(lambda: places_on(on=day)) == once  # the memo ended with the block
