"""Retention: expired households lose their personal data, every figure stays the same."""

import datetime
import json

import pytest
from django.core.management import call_command

from opvangregie.audit.models import AuditEvent
from opvangregie.capacity.models import Location
from opvangregie.capacity.selectors import occupancy_on
from opvangregie.residents.models import Household
from opvangregie.residents.retention import retention_run
from opvangregie.residents.services import (
    HouseholdData,
    PersonData,
    household_create,
    stay_depart,
    stay_intake,
)
from tests.capacity.factories import make_location
from tests.placement.conftest import Scene

D = datetime.date
TODAY = D(2026, 11, 28)


def _household(scene: Scene, name: str, bsn: str = "") -> Household:
    location = Location.objects.filter(name="Pension Alphen").first() or make_location(
        beds=20, municipality="GM0484", name="Pension Alphen", opens_on=D(2023, 1, 1)
    )
    household = household_create(
        data=HouseholdData(
            persons=[
                PersonData("Olena", name, D(1984, 3, 12), "female", bsn=bsn),
                PersonData("Ivan", name, D(2015, 7, 30), "male"),
            ],
            external_id=f"HH-{name}",
        )
    )
    stay_intake(household=household, location=location, on=D(2024, 1, 10))
    return household


def test_dry_run_reports_and_apply_anonymises_only_the_expired(scene: Scene) -> None:
    old = _household(scene, "Koval", bsn="111222333")
    stay_depart(household=old, on=D(2024, 6, 1), reason="returned")
    recent = _household(scene, "Bondar")
    stay_depart(household=recent, on=D(2025, 6, 1), reason="returned")
    staying = _household(scene, "Shevchenko")
    figures_before = {
        day: occupancy_on(on=day).total for day in (D(2024, 3, 1), D(2024, 5, 31), D(2025, 1, 1))
    }

    dry = retention_run(today=TODAY, months=24, apply=False)
    assert (dry.cutoff, dry.households, dry.persons, dry.applied) == (
        D(2024, 11, 28),
        1,
        2,
        False,
    )
    assert Household.objects.get(pk=old.pk).anonymised_at is None

    done = retention_run(today=TODAY, months=24, apply=True)
    assert done.households == 1
    old.refresh_from_db()
    assert old.anonymised_at is not None
    assert old.external_id is None
    persons = list(old.persons.order_by("birth_date"))
    assert [
        (p.given_name, p.family_name, p.birth_date, p.bsn_encrypted, p.bsn_hash) for p in persons
    ] == [
        ("—", "—", D(1984, 1, 1), "", None),
        ("—", "—", D(2015, 1, 1), "", None),
    ]
    assert [p.sex for p in persons] == ["female", "male"]  # what figures need remains
    for household in (recent, staying):
        assert household.persons.filter(given_name="Olena").exists()
    # Every figure of the past is unchanged.
    assert {day: occupancy_on(on=day).total for day in figures_before} == figures_before
    assert AuditEvent.objects.filter(action="anonymise", household_uuid=old.uuid).count() == 1
    # Safe to run again: nothing more to do.
    assert retention_run(today=TODAY, months=24, apply=True).households == 0


def test_the_command(scene: Scene, capsys: pytest.CaptureFixture[str]) -> None:
    old = _household(scene, "Koval")
    stay_depart(household=old, on=D(2024, 2, 1), reason="returned")
    call_command("retention", "--dry-run", "--months", "12", "--format", "json")
    report = json.loads(capsys.readouterr().out)
    assert report["households"] == 1
    assert report["applied"] is False
    call_command("retention", "--apply", "--months", "12")
    assert "1" in capsys.readouterr().out
    assert Household.objects.get(pk=old.pk).anonymised_at is not None
