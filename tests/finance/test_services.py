"""Submitting (freezing) declarations and cost statements; corrections as new versions."""

import datetime
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from opvangregie.capacity.reference import reference_load_all
from opvangregie.capacity.services import capacity_change
from opvangregie.finance.constants import CostCategory
from opvangregie.finance.models import Declaration, StandardRate
from opvangregie.finance.selectors import (
    checksum,
    declaration_compute,
    statement_difference,
    statement_intact,
)
from opvangregie.finance.services import (
    cost_entry_create,
    cost_statement_submit,
    declaration_submit,
)

from .conftest import Scene

D = datetime.date
Q1 = {"first_day": D(2024, 1, 1), "last_day": D(2024, 3, 31)}


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are matched in English, so these tests hold once the Dutch catalogue has them."""
    with translation.override("en"):
        yield


def test_a_submitted_declaration_is_frozen_against_late_corrections(scene: Scene) -> None:
    first = declaration_submit(user=scene.gouda_finance, municipality=scene.gouda, **Q1)
    # 10 places x 91 days x EUR 61 = 55,510.00
    assert first.version == 1
    assert first.total == Decimal("55510.00")
    assert first.figures["total"] == "55510.00"
    assert first.checksum == checksum(first.figures)
    assert len(first.checksum) == 64
    frozen = (first.figures, first.checksum)

    # Late corrections: two beds more from 2024-03-01, and the rate edited afterwards.
    capacity_change(location=scene.kazerne, valid_from=D(2024, 3, 1), beds=12)
    StandardRate.objects.filter(code="normbedrag-gemeentelijk-2024").update(amount=Decimal("62"))
    first.refresh_from_db()
    assert (first.figures, first.checksum) == frozen
    assert statement_intact(first)
    live = declaration_compute(municipality=scene.gouda, **Q1)
    assert live.total != first.total

    with pytest.raises(ValidationError, match="reason"):
        declaration_submit(user=scene.gouda_finance, municipality=scene.gouda, **Q1)
    second = declaration_submit(
        user=scene.gouda_finance, municipality=scene.gouda, reason="Bedden maart", **Q1
    )
    assert (second.version, second.previous) == (2, first)
    # 10 x 60 days x 62 + 12 x 31 days x 62 = 37,200 + 23,064 = 60,264.00
    assert second.total == Decimal("60264.00")
    [change] = statement_difference(before=first.figures, after=second.figures)
    assert change.label == "Kazerne Gouda"
    assert (change.quantity_before, change.quantity_after) == (910, 972)
    assert change.amount_change == Decimal("4754.00")
    first.refresh_from_db()
    assert (first.figures, first.checksum) == frozen


def test_a_tampered_declaration_fails_its_checksum(scene: Scene) -> None:
    declaration = declaration_submit(user=scene.coordinator, municipality=scene.gouda, **Q1)
    Declaration.objects.filter(pk=declaration.pk).update(
        figures={**declaration.figures, "total": "1.00"}
    )
    declaration.refresh_from_db()
    assert not statement_intact(declaration)


def test_an_unchanged_resubmission_and_overlapping_periods_are_refused(scene: Scene) -> None:
    declaration_submit(user=scene.gouda_finance, municipality=scene.gouda, **Q1)
    with pytest.raises(ValidationError, match="Nothing changed"):
        declaration_submit(
            user=scene.gouda_finance, municipality=scene.gouda, reason="nogmaals", **Q1
        )
    with pytest.raises(ValidationError, match="overlaps"):
        declaration_submit(
            user=scene.gouda_finance,
            municipality=scene.gouda,
            first_day=D(2024, 3, 1),
            last_day=D(2024, 4, 30),
        )
    with pytest.raises(ValidationError, match="ended"):
        declaration_submit(
            user=scene.gouda_finance,
            municipality=scene.gouda,
            first_day=D(2024, 4, 1),
            last_day=D(2999, 1, 1),
        )
    with pytest.raises(ValidationError, match="standard rate"):
        declaration_submit(
            user=scene.gouda_finance,
            municipality=scene.gouda,
            first_day=D(2026, 1, 1),
            last_day=D(2026, 1, 31),
        )
    assert Declaration.objects.count() == 1


@pytest.mark.parametrize("who", ["gouda_officer", "leiden_finance", "rrt"])
def test_only_the_finance_officer_or_a_coordinator_submits(scene: Scene, who: str) -> None:
    with pytest.raises(PermissionDenied):
        declaration_submit(user=getattr(scene, who), municipality=scene.gouda, **Q1)
    assert not Declaration.objects.exists()


def test_cost_statement_totals_per_category_and_versions(scene: Scene) -> None:
    for day, category, amount in [
        (D(2024, 1, 5), CostCategory.STAFF, Decimal("1200.10")),
        (D(2024, 2, 5), CostCategory.STAFF, Decimal("799.95")),
        (D(2024, 2, 6), CostCategory.TRANSPORT, Decimal("310.00")),
        (D(2024, 4, 1), CostCategory.TRANSPORT, Decimal("999.00")),  # outside the period
    ]:
        cost_entry_create(
            user=scene.coordinator,
            incurred_on=day,
            category=category,
            description="Kosten",
            amount=amount,
            document_reference="FAC-1",
        )
    statement = cost_statement_submit(user=scene.coordinator, **Q1)
    assert statement.organisation.code == "twov"
    assert statement.figures["categories"] == {
        "staff": {"count": 2, "amount": "2000.05"},
        "transport": {"count": 1, "amount": "310.00"},
    }
    assert statement.total == Decimal("2310.05")
    cost_entry_create(
        user=scene.coordinator,
        incurred_on=D(2024, 3, 30),
        category=CostCategory.CNO_OPERATION,
        description="Schoonmaak CNO",
        amount=Decimal("-10.05"),
    )
    second = cost_statement_submit(user=scene.coordinator, reason="Creditnota", **Q1)
    assert (second.version, second.total) == (2, Decimal("2300.00"))
    [change] = statement_difference(before=statement.figures, after=second.figures)
    assert (change.key, change.amount_change) == ("cno_operation", Decimal("-10.05"))
    with pytest.raises(PermissionDenied):
        cost_statement_submit(user=scene.gouda_finance, reason="x", **Q1)
    with pytest.raises(PermissionDenied):
        cost_entry_create(
            user=scene.gouda_finance,
            incurred_on=D(2024, 1, 1),
            category=CostCategory.STAFF,
            description="x",
            amount=Decimal("1"),
        )


def test_the_reference_rates_load_once_and_an_edit_survives_a_reload(scene: Scene) -> None:
    assert list(
        StandardRate.objects.filter(kind="municipal_reception")
        .order_by("valid_from")
        .values_list("amount", flat=True)
    ) == [Decimal("100.00"), Decimal("83.00"), Decimal("61.00"), Decimal("44.00")]
    StandardRate.objects.filter(code="normbedrag-gemeentelijk-2025").update(amount=Decimal("45"))
    report = reference_load_all(region="hollands-midden")
    assert report.counts["standardrate"]["unchanged"] == 6
    assert report.counts["standardrate"]["created"] == 0
    assert StandardRate.objects.get(code="normbedrag-gemeentelijk-2025").amount == Decimal("45")
