"""Approval and a direct check-in race for the last beds: one wins, the other is told why."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from opvangregie.placement import services
from opvangregie.placement.constants import Outcome
from opvangregie.residents.models import Stay
from opvangregie.residents.services import stay_intake
from tests.residents.factories import make_household

from .conftest import ON, Scene

D = datetime.date


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_approval_and_a_check_in_never_give_the_same_beds_twice(scene: Scene) -> None:
    run = services.run_create(user=scene.coordinator, on=ON, time_limit=10)
    services.run_send(user=scene.coordinator, run=run)
    man = run.lines.get(household=scene.man)
    services.line_respond(user=scene.gouda_officer, line=man, accept=True)
    # Gouda has 6 beds; the approval moves the man into one; a walk-in household of 6 wants all.
    walk_in = make_household(6)
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def approve() -> None:
        try:
            barrier.wait()
            with translation.override("en"):
                outcomes["approval"] = services.run_approve(
                    user=scene.coordinator, run=run, on=D(2024, 3, 4)
                )
        except BaseException as exc:
            outcomes["approval"] = exc
        finally:
            connection.close()

    def check_in() -> None:
        try:
            barrier.wait()
            with translation.override("en"):
                stay_intake(household=walk_in, location=scene.gouda, on=D(2024, 3, 4))
            outcomes["check_in"] = "ok"
        except ValidationError as exc:
            outcomes["check_in"] = exc.messages[0]
        except BaseException as exc:
            outcomes["check_in"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=approve), threading.Thread(target=check_in)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    occupied = Stay.objects.filter(location=scene.gouda, end_date__isnull=True).count()
    assert occupied <= 6
    man.refresh_from_db()
    placed = man.outcome == Outcome.PLACED
    checked_in = outcomes["check_in"] == "ok"
    assert placed != checked_in  # exactly one of them got the beds
    assert not isinstance(outcomes["approval"], BaseException)
    if placed:
        assert "no room" in str(outcomes["check_in"])
    else:
        assert "no room" in man.outcome_message
