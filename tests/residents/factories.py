import datetime

import factory

from opvangregie.residents.models import Household
from opvangregie.residents.services import HouseholdData, PersonData, household_create

_seq = iter(range(1, 10**9))


def make_household(size: int = 1, **kwargs: object) -> Household:
    """A household of ``size`` persons, built through the real service."""
    fake = factory.Faker._get_faker(locale="uk_UA")
    persons = [
        PersonData(
            given_name=fake.first_name(),
            family_name=fake.last_name(),
            birth_date=datetime.date(1980 + (i * 7) % 40, 1 + i % 12, 1 + i % 28),
            sex="female" if i % 2 == 0 else "male",
        )
        for i in range(size)
    ]
    return household_create(data=HouseholdData(persons=persons, **kwargs))  # type: ignore[arg-type]
