"""No bed is given twice, also when many coordinators check in at the same moment."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from opvangregie.organisations.reference import reference_load
from opvangregie.residents.models import Stay
from opvangregie.residents.services import stay_intake
from tests.capacity.factories import make_location
from tests.residents.factories import make_household

D = datetime.date


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_check_ins_for_one_free_bed() -> None:
    reference_load(region="hollands-midden")
    location = make_location(beds=3)
    stay_intake(household=make_household(2), location=location, on=D(2024, 2, 1))
    waiting = [make_household(1) for _ in range(20)]
    barrier = threading.Barrier(len(waiting))
    accepted: list[int] = []
    refused: list[str] = []
    unexpected: list[BaseException] = []

    def check_in(household_index: int) -> None:
        try:
            barrier.wait()
            stay_intake(household=waiting[household_index], location=location, on=D(2024, 2, 2))
            accepted.append(household_index)
        except ValidationError as exc:
            refused.append(exc.messages[0])
        except BaseException as exc:
            unexpected.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=check_in, args=(i,)) for i in range(len(waiting))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert unexpected == []
    assert len(accepted) == 1
    assert len(refused) == 19
    assert all("geen plaats" in message for message in refused)
    assert Stay.objects.filter(location=location, end_date__isnull=True).count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_overlapping_stays_of_one_person() -> None:
    from django.db import IntegrityError

    reference_load(region="hollands-midden")
    first, second = make_location(beds=3), make_location(beds=3)
    household = make_household(1)
    person = household.persons.get()
    Stay.objects.create(
        person=person,
        location=first,
        start_date=D(2024, 2, 1),
        end_date=D(2024, 3, 1),
        arrival="intake",
    )
    with pytest.raises(IntegrityError, match="stay_no_overlap_per_person"):
        Stay.objects.create(
            person=person,
            location=second,
            start_date=D(2024, 2, 15),
            end_date=D(2024, 4, 1),
            arrival="intake",
        )
