import threading

import pytest
from django.db import connection

from opvangregie.organisations.models import Organisation, Seat
from opvangregie.organisations.reference import reference_load


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_loads_neither_fail_nor_duplicate() -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def load() -> None:
        try:
            barrier.wait()
            reference_load(region="hollands-midden")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=load) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Organisation.objects.count() == 31
    assert Seat.objects.count() == 52
