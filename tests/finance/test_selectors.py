"""The computations, checked against figures worked out by hand."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from opvangregie.capacity.services import capacity_change, location_status_change
from opvangregie.finance.constants import RateKind
from opvangregie.finance.models import (
    LivingAllowanceRow,
    LivingAllowanceTable,
    LocationCatering,
    PersonIncome,
    StandardRate,
)
from opvangregie.finance.selectors import (
    allowance_compute,
    days_in_month,
    declaration_compute,
    default_quarter,
    money,
    segments,
)
from opvangregie.residents.services import stay_depart, stay_intake
from tests.residents.factories import make_household

from .conftest import Scene

D = datetime.date


def test_money_rounds_half_up_to_cents() -> None:
    assert money(Decimal("70.005")) == Decimal("70.01")
    assert money(Decimal("70.0049")) == Decimal("70.00")
    assert money(Decimal("-0.005")) == Decimal("-0.01")
    assert days_in_month(D(2024, 2, 10)) == 29
    assert days_in_month(D(2023, 2, 1)) == 28


def test_a_period_across_the_rate_change_of_2022_10_15_is_split(scene: Scene) -> None:
    # 10 beds, 2 of them blocked from 2022-10-10: 8 allocable places.
    capacity_change(location=scene.kazerne, valid_from=D(2022, 10, 10), beds=10, blocked_beds=2)
    figures = declaration_compute(
        municipality=scene.gouda, first_day=D(2022, 10, 1), last_day=D(2022, 10, 31)
    )
    lines = [line for line in figures.lines if line.location_name == "Kazerne Gouda"]
    assert [(line.first_day, line.last_day) for line in lines] == [
        (D(2022, 10, 1), D(2022, 10, 14)),
        (D(2022, 10, 15), D(2022, 10, 31)),
    ]
    # 1-9 Oct: 9 days x 10 places; 10-14 Oct: 5 x 8 = 130 place-days at € 100.
    assert lines[0].quantity == 9 * 10 + 5 * 8 == 130
    assert lines[0].rate == Decimal("100.00")
    assert lines[0].amount == Decimal("13000.00")
    # 15-31 Oct: 17 days x 8 = 136 place-days at € 83 = € 11,288.
    assert lines[1].quantity == 136
    assert lines[1].amount == Decimal("11288.00")
    assert figures.totals_by_kind()[RateKind.MUNICIPAL_RECEPTION]["quantity"] == 266


def test_closed_and_planned_locations_realise_no_places(scene: Scene) -> None:
    location_status_change(location=scene.kazerne, status="closing", effective_date=D(2024, 3, 1))
    location_status_change(location=scene.kazerne, status="closed", effective_date=D(2024, 3, 11))
    figures = declaration_compute(
        municipality=scene.gouda, first_day=D(2024, 3, 1), last_day=D(2024, 3, 31)
    )
    [line] = [line for line in figures.lines if line.location_name == "Kazerne Gouda"]
    # Closing still counts (residents live there); closed does not: 10 days x 10 places x € 61.
    assert line.quantity == 100
    assert line.amount == Decimal("6100.00")


def test_a_private_stay_within_a_month_is_prorated_by_day(scene: Scene) -> None:
    household = make_household(1)
    stay_intake(household=household, location=scene.gastgezin, on=D(2023, 6, 10))
    stay_depart(household=household, on=D(2023, 6, 20), reason="own_housing")
    figures = declaration_compute(
        municipality=scene.gouda, first_day=D(2023, 4, 1), last_day=D(2023, 6, 30)
    )
    [line] = [line for line in figures.lines if line.kind == RateKind.PRIVATE_HOSTING]
    # 10 nights [10 June, 20 June) of a June of 30 days at € 210 per month: € 70.00.
    assert (line.first_day, line.last_day, line.quantity, line.divisor) == (
        D(2023, 6, 1),
        D(2023, 6, 30),
        10,
        30,
    )
    assert line.amount == Decimal("70.00")


def test_private_hosting_crossing_months_and_the_2024_rate_change(scene: Scene) -> None:
    household = make_household(2)
    stay_intake(household=household, location=scene.gastgezin, on=D(2023, 12, 21))
    figures = declaration_compute(
        municipality=scene.gouda, first_day=D(2023, 12, 1), last_day=D(2024, 2, 29)
    )
    lines = [line for line in figures.lines if line.kind == RateKind.PRIVATE_HOSTING]
    # December: 2 x 11 days x 210 / 31 = 149.032… → 149.03; January: 2 x 31 x 92 / 31 = 184.00;
    # February 2024: 2 x 29 x 92 / 29 = 184.00.
    assert [(line.quantity, line.rate, line.divisor, line.amount) for line in lines] == [
        (22, Decimal("210.00"), 31, Decimal("149.03")),
        (62, Decimal("92.00"), 31, Decimal("184.00")),
        (58, Decimal("92.00"), 29, Decimal("184.00")),
    ]


def test_rounding_totals_equal_the_sum_of_the_rounded_lines(scene: Scene) -> None:
    StandardRate.objects.filter(code="normbedrag-particulier-2022").update(amount=Decimal("210.01"))
    for start in (D(2023, 1, 3), D(2023, 1, 5), D(2023, 2, 7)):
        stay_intake(household=make_household(1), location=scene.gastgezin, on=start)
    figures = declaration_compute(
        municipality=scene.gouda, first_day=D(2023, 1, 1), last_day=D(2023, 2, 28)
    )
    private = [line for line in figures.lines if line.kind == RateKind.PRIVATE_HOSTING]
    # January: 29 + 27 = 56 person-days x 210.01 / 31 = 379.37032… → 379.37
    # February: 28 + 28 + 22 = 78 x 210.01 / 28 = 585.02785… → 585.03
    assert [line.amount for line in private] == [Decimal("379.37"), Decimal("585.03")]
    assert figures.total == sum(line.amount for line in figures.lines)
    assert figures.totals_by_kind()[RateKind.PRIVATE_HOSTING]["amount"] == Decimal("964.40")
    assert all(line.amount.as_tuple().exponent == -2 for line in figures.lines)


def test_days_without_a_rate_are_reported_not_guessed(scene: Scene) -> None:
    figures = declaration_compute(
        municipality=scene.gouda, first_day=D(2025, 12, 30), last_day=D(2026, 1, 2)
    )
    [paid, unpaid] = [line for line in figures.lines if line.location_name == "Kazerne Gouda"]
    assert (paid.quantity, paid.amount) == (20, Decimal("880.00"))
    assert (unpaid.rate, unpaid.amount) == (None, Decimal("0.00"))
    assert [(m.kind, m.first_day, m.last_day) for m in figures.missing] == [
        (RateKind.MUNICIPAL_RECEPTION, D(2026, 1, 1), D(2026, 1, 2))
    ]


def test_two_rates_of_one_kind_on_one_day_are_refused(scene: Scene) -> None:
    StandardRate.objects.create(
        code="dubbel", kind=RateKind.MUNICIPAL_RECEPTION, amount=1, valid_from=D(2024, 1, 1)
    )
    with pytest.raises(ValidationError):
        segments(
            kind=RateKind.MUNICIPAL_RECEPTION,
            first_day=D(2024, 1, 1),
            last_day=D(2024, 1, 2),
            rates=list(StandardRate.objects.all()),
        )


def test_default_quarter_is_the_last_one_with_known_rates(scene: Scene) -> None:
    assert default_quarter(on=D(2024, 5, 3)) == (D(2024, 1, 1), D(2024, 3, 31))
    # The private-hosting rate ends with 2024: later quarters are not proposed.
    assert default_quarter(on=D(2026, 11, 28)) == (D(2024, 10, 1), D(2024, 12, 31))


# --- Living allowance and personal contribution ----------------------------------------------


def test_living_allowance_of_a_household_that_grows_mid_month(scene: Scene) -> None:
    household = make_household(3)
    first, second, third = household.persons.order_by("pk")
    stay_intake(
        household=household, location=scene.kazerne, on=D(2022, 9, 20), persons=[first, second]
    )
    stay_intake(household=household, location=scene.kazerne, on=D(2022, 10, 17), persons=[third])
    figures = allowance_compute(municipality=scene.gouda, month=D(2022, 10, 1))
    [line] = figures.households
    # 2 persons x € 260 for 16 days, 3 persons x € 260 for 15 days, over 31 days:
    # (520 x 16 + 780 x 15) / 31 = 20,020 / 31 = 645.806… → 645.81
    assert line.allowance == Decimal("645.81")
    assert (line.days, line.persons, line.contribution) == (31, 3, Decimal("0.00"))
    assert figures.allowance_total == Decimal("645.81")


def test_living_allowance_of_a_stay_within_a_month(scene: Scene) -> None:
    household = make_household(1)
    stay_intake(household=household, location=scene.kazerne, on=D(2022, 11, 10))
    stay_depart(household=household, on=D(2022, 11, 20), reason="returned")
    [line] = allowance_compute(municipality=scene.gouda, month=D(2022, 11, 1)).households
    # 10 days of a November of 30 days: 260 x 10 / 30 = 86.666… → 86.67
    assert (line.days, line.allowance) == (10, Decimal("86.67"))


def test_a_table_by_household_size_and_children(scene: Scene) -> None:
    table = LivingAllowanceTable.objects.create(
        code="proef-2023", name="Proef", valid_from=D(2023, 1, 1), valid_to=D(2024, 1, 1)
    )
    LivingAllowanceRow.objects.create(table=table, household_size=1, per_adult=Decimal("300"))
    LivingAllowanceRow.objects.create(
        table=table,
        household_size=2,
        base_amount=Decimal("50.50"),
        per_adult=Decimal("200"),
        per_child=Decimal("100.25"),
    )
    household = make_household(3)
    child = household.persons.order_by("pk").last()
    child.birth_date = D(2015, 5, 5)
    child.save()
    stay_intake(household=household, location=scene.kazerne, on=D(2023, 3, 1))
    [line] = allowance_compute(municipality=scene.gouda, month=D(2023, 3, 1)).households
    # Size 3 uses the row "from 2": 50.50 + 2 x 200 + 1 x 100.25 = 550.75 for the whole month.
    assert line.allowance == Decimal("550.75")


def test_personal_contribution_with_catering_and_the_household_maximum(scene: Scene) -> None:
    household = make_household(3)
    adults = list(household.persons.order_by("pk"))
    stay_intake(household=household, location=scene.kazerne, on=D(2025, 9, 1))
    LocationCatering.objects.create(location=scene.kazerne, valid_from=D(2025, 10, 16))
    PersonIncome.objects.create(person=adults[0], valid_from=D(2025, 9, 1))
    PersonIncome.objects.create(person=adults[1], valid_from=D(2025, 10, 11))
    PersonIncome.objects.create(person=adults[2], valid_from=D(2025, 10, 26))
    [line] = allowance_compute(municipality=scene.gouda, month=D(2025, 10, 1)).households
    # Per day (monthly amounts), October has 31 days:
    #  1-10 Oct: one earner, no catering: 244.22 x 10 = 2,442.20
    # 11-15 Oct: two earners, no catering: 488.44 x 5 = 2,442.20
    # 16-25 Oct: two earners with catering: 992.80 x 10 = 9,928.00
    # 26-31 Oct: three earners with catering, capped at 992.80 x 6 = 5,956.80
    # (2,442.20 + 2,442.20 + 9,928.00 + 5,956.80) / 31 = 20,769.20 / 31 = 669.974… → 669.97
    assert line.contribution == Decimal("669.97")
    assert line.earners == 3
    # No living-allowance table for 2025 in the reference data: reported, not invented.
    assert line.allowance == Decimal("0.00")


def test_no_contribution_before_the_rule_starts(scene: Scene) -> None:
    household = make_household(1)
    stay_intake(household=household, location=scene.kazerne, on=D(2025, 9, 1))
    PersonIncome.objects.create(person=household.persons.get(), valid_from=D(2025, 9, 1))
    [line] = allowance_compute(municipality=scene.gouda, month=D(2025, 9, 1)).households
    assert line.contribution == Decimal("0.00")
    figures = allowance_compute(municipality=scene.gouda, month=D(2025, 9, 1))
    assert figures.days_without_table == []  # the only resident has income: nothing is due


def test_a_resident_with_income_gets_no_living_allowance(scene: Scene) -> None:
    household = make_household(2)
    earner = household.persons.order_by("pk").first()
    stay_intake(household=household, location=scene.kazerne, on=D(2022, 10, 1))
    PersonIncome.objects.create(person=earner, valid_from=D(2022, 10, 16))
    [line] = allowance_compute(municipality=scene.gouda, month=D(2022, 10, 1)).households
    # 15 days x 2 x 260 + 16 days x 1 x 260 = 7,800 + 4,160 = 11,960 / 31 = 385.806... -> 385.81
    assert line.allowance == Decimal("385.81")
    assert line.earners == 1
    assert line.contribution == Decimal("0.00")  # no contribution rule in 2022


def test_the_overview_takes_the_same_queries_for_any_number_of_locations(
    scene: Scene, django_assert_max_num_queries: Any
) -> None:
    from opvangregie.finance.selectors import declarations_overview
    from tests.capacity.factories import make_location

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            declarations_overview(
                user=scene.coordinator, first_day=D(2024, 1, 1), last_day=D(2024, 3, 31)
            )
        return len(queries)

    before = count()
    for code in ("GM0546", "GM0484", "GM0513"):
        make_location(beds=3, municipality=code, opens_on=D(2023, 1, 1))
    assert count() == before
    with django_assert_max_num_queries(12):
        rows = declarations_overview(
            user=scene.coordinator, first_day=D(2024, 1, 1), last_day=D(2024, 3, 31)
        )
    gouda = next(r for r in rows if r.code == "GM0513")
    assert (gouda.place_days, gouda.amount) == (910 + 3 * 91, Decimal("72163.00"))
    assert len(rows) == 18
