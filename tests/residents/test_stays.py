import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from opvangregie.capacity.constants import LocationStatus
from opvangregie.capacity.selectors import occupancy_on
from opvangregie.capacity.services import capacity_change, location_status_change
from opvangregie.residents.models import Stay
from opvangregie.residents.services import stay_depart, stay_intake, stay_move
from tests.capacity.factories import make_location
from tests.residents.factories import make_household

D = datetime.date
pytestmark = pytest.mark.usefixtures("reference")


def _occupied(location_id: int, on: datetime.date) -> int:
    return next(
        r for r in occupancy_on(on=on).locations if r.location_id == location_id
    ).figures.occupied


def test_intake_creates_a_stay_per_person_and_occupancy_follows() -> None:
    location = make_location(beds=10)
    household = make_household(3)
    stays = stay_intake(household=household, location=location, on=D(2024, 2, 1))
    assert len(stays) == 3
    assert _occupied(location.pk, D(2024, 1, 31)) == 0
    assert _occupied(location.pk, D(2024, 2, 1)) == 3


def test_no_room_is_refused_in_dutch_and_nothing_is_written() -> None:
    location = make_location(beds=4)
    stay_intake(household=make_household(3), location=location, on=D(2024, 2, 1))
    with pytest.raises(ValidationError, match="heeft geen plaats voor 2"):
        stay_intake(household=make_household(2), location=location, on=D(2024, 2, 2))
    assert Stay.objects.count() == 3


def test_blocked_beds_are_not_allocable() -> None:
    location = make_location(beds=4, blocked_beds=2, blocked_reason="renovatie")
    with pytest.raises(ValidationError):
        stay_intake(household=make_household(3), location=location, on=D(2024, 2, 1))
    stay_intake(household=make_household(2), location=location, on=D(2024, 2, 1))


def test_a_later_capacity_drop_is_respected_by_an_earlier_open_intake() -> None:
    location = make_location(beds=4)
    capacity_change(location=location, valid_from=D(2024, 3, 1), beds=2)
    with pytest.raises(ValidationError, match="2024-03-01"):
        stay_intake(household=make_household(3), location=location, on=D(2024, 2, 1))


def test_capacity_cannot_drop_below_the_residents() -> None:
    location = make_location(beds=4)
    stay_intake(household=make_household(3), location=location, on=D(2024, 2, 1))
    with pytest.raises(ValidationError, match="Verplaats eerst bewoners"):
        capacity_change(location=location, valid_from=D(2024, 3, 1), beds=4, blocked_beds=2)
    assert location.capacity.count() == 1
    capacity_change(location=location, valid_from=D(2024, 3, 1), beds=3)
    assert location.capacity.count() == 2


def test_a_location_cannot_close_with_residents() -> None:
    location = make_location(beds=4)
    household = make_household(1)
    stay_intake(household=household, location=location, on=D(2024, 2, 1))
    with pytest.raises(ValidationError):
        location_status_change(
            location=location, status=LocationStatus.CLOSED, effective_date=D(2024, 3, 1)
        )
    stay_depart(household=household, on=D(2024, 2, 20), reason="own_housing")
    location_status_change(
        location=location, status=LocationStatus.CLOSED, effective_date=D(2024, 3, 1)
    )


def test_no_intake_at_a_planned_or_closing_location() -> None:
    location = make_location(beds=4, status=LocationStatus.PLANNED, opens_on=D(2024, 5, 1))
    with pytest.raises(ValidationError, match="neemt op 2024-04-01 geen bewoners op"):
        stay_intake(household=make_household(1), location=location, on=D(2024, 4, 1))
    location_status_change(location=location, status="open", effective_date=D(2024, 6, 1))
    stay_intake(household=make_household(1), location=location, on=D(2024, 6, 1))


def test_status_lifecycle_is_checked() -> None:
    location = make_location(beds=4)
    with pytest.raises(ValidationError, match="kan niet van"):
        location_status_change(
            location=location, status=LocationStatus.PLANNED, effective_date=D(2024, 3, 1)
        )
    with pytest.raises(ValidationError):
        location_status_change(
            location=location, status=LocationStatus.CLOSING, effective_date=D(2023, 12, 1)
        )


def test_a_person_never_has_two_overlapping_stays() -> None:
    first, second = make_location(beds=4), make_location(beds=4)
    household = make_household(2)
    stay_intake(household=household, location=first, on=D(2024, 2, 1))
    with pytest.raises(ValidationError, match="verblijft al"):
        stay_intake(household=household, location=second, on=D(2024, 2, 5))
    assert Stay.objects.count() == 2


def test_the_database_refuses_a_second_open_stay() -> None:
    first, second = make_location(beds=4), make_location(beds=4)
    household = make_household(1)
    [stay] = stay_intake(household=household, location=first, on=D(2024, 2, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Stay.objects.create(
            person=stay.person, location=second, start_date=D(2024, 3, 1), arrival="intake"
        )


def test_move_ends_and_starts_on_the_same_day() -> None:
    cno, municipal = make_location(beds=10, type="cno"), make_location(beds=4)
    household = make_household(2)
    stay_intake(household=household, location=cno, on=D(2024, 2, 1))
    stay_move(household=household, to_location=municipal, on=D(2024, 2, 4))
    assert _occupied(cno.pk, D(2024, 2, 3)) == 2
    assert _occupied(cno.pk, D(2024, 2, 4)) == 0
    assert _occupied(municipal.pk, D(2024, 2, 4)) == 2
    arrivals = list(Stay.objects.order_by("start_date").values_list("arrival", flat=True))
    assert arrivals == ["intake", "intake", "move", "move"]


def test_move_to_a_full_location_changes_nothing() -> None:
    cno, municipal = make_location(beds=10, type="cno"), make_location(beds=1)
    household = make_household(2)
    stay_intake(household=household, location=cno, on=D(2024, 2, 1))
    with pytest.raises(ValidationError):
        stay_move(household=household, to_location=municipal, on=D(2024, 2, 4))
    assert Stay.objects.filter(end_date__isnull=True, location=cno).count() == 2


def test_departure_needs_a_reason_and_frees_the_bed() -> None:
    location = make_location(beds=1)
    household = make_household(1)
    stay_intake(household=household, location=location, on=D(2024, 2, 1))
    with pytest.raises(ValidationError, match="reden"):
        stay_depart(household=household, on=D(2024, 3, 1), reason="")
    stay_depart(household=household, on=D(2024, 3, 1), reason="returned")
    assert Stay.objects.get().departure_reason == "returned"
    stay_intake(household=make_household(1), location=location, on=D(2024, 3, 1))


def test_occupancy_figures_and_totals() -> None:
    cno = make_location(beds=100, type="cno", name="CNO", municipality="GM0484")
    gouda = make_location(beds=20, blocked_beds=5, name="Gouda 1", municipality="GM0513")
    stay_intake(household=make_household(4), location=cno, on=D(2024, 2, 1))
    stay_intake(household=make_household(5), location=gouda, on=D(2024, 2, 1))
    figures = occupancy_on(on=D(2024, 2, 1))
    row = next(r for r in figures.locations if r.name == "Gouda 1").figures
    assert row.as_dict() == {
        "capacity": 20,
        "allocable": 15,
        "occupied": 5,
        "free": 15,
        "free_allocable": 10,
        "occupancy_pct": 25.0,
    }
    assert figures.short_stay.occupied == 4
    assert figures.long_stay.capacity == 20
    assert figures.municipalities["GM0513"].occupied == 5
    assert figures.housing_regions["Midden-Holland"].allocable == 15
    assert figures.total.capacity == 120


def test_occupancy_query_count_does_not_grow_with_locations(
    django_assert_max_num_queries: object,
) -> None:
    for _ in range(12):
        make_location(beds=5)
    with django_assert_max_num_queries(5):  # type: ignore[operator]
        figures = occupancy_on(on=D(2024, 2, 1))
    assert len(figures.locations) == 12
