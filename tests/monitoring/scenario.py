"""A small hand-computable region, built through the real services.

Locations (all open from 2024-01-01):
  CNO Leiden (Holland Rijnland)  20 beds
  Alphen (Holland Rijnland)      10 beds, 2 blocked (municipal)
  Gouda (Midden-Holland)          8 beds (municipal)
  Gouda private hosting           4 beds

Events:
  Mon 2024-02-05 (W06)  household A (3: woman 44, man 37, child 2) intake at the CNO
  Wed 2024-02-07 (W06)  household B (2: woman 70, girl 15) intake at the CNO
  Mon 2024-02-12 (W07)  A moves CNO -> Alphen
  Tue 2024-02-13 (W07)  B moves CNO -> Gouda
  Thu 2024-02-15 (W07)  household C (1: man 25) intake at the CNO
  Mon 2024-02-19 (W08)  B departs: own housing
  Wed 2024-02-21 (W08)  the man of A departs: returned to Ukraine
"""

import datetime
from dataclasses import dataclass

from opvangregie.capacity.constants import LocationType
from opvangregie.capacity.models import Location
from opvangregie.residents.models import Household
from opvangregie.residents.services import (
    HouseholdData,
    PersonData,
    household_create,
    stay_depart,
    stay_intake,
    stay_move,
)
from tests.capacity.factories import make_location

D = datetime.date


def household(*persons: tuple[datetime.date, str]) -> Household:
    return household_create(
        data=HouseholdData(
            persons=[
                PersonData(
                    given_name=f"Voornaam{n}", family_name="Kovalenko", birth_date=born, sex=sex
                )
                for n, (born, sex) in enumerate(persons)
            ]
        )
    )


@dataclass
class Region:
    cno: Location
    alphen: Location
    gouda: Location
    gouda_private: Location
    a: Household
    b: Household
    c: Household


def build() -> Region:
    cno = make_location(beds=20, municipality="GM0546", type=LocationType.CNO, name="CNO")
    alphen = make_location(beds=10, blocked_beds=2, municipality="GM0484", name="Alphen")
    gouda = make_location(beds=8, municipality="GM0513", name="Gouda")
    private = make_location(
        beds=4, municipality="GM0513", type=LocationType.PRIVATE_HOSTING, name="Gouda gastgezin"
    )
    a = household((D(1979, 6, 1), "female"), (D(1986, 6, 1), "male"), (D(2021, 6, 1), "female"))
    b = household((D(1953, 6, 1), "female"), (D(2008, 6, 1), "female"))
    c = household((D(1998, 6, 1), "male"))
    stay_intake(household=a, location=cno, on=D(2024, 2, 5))
    stay_intake(household=b, location=cno, on=D(2024, 2, 7))
    stay_move(household=a, to_location=alphen, on=D(2024, 2, 12))
    stay_move(household=b, to_location=gouda, on=D(2024, 2, 13))
    stay_intake(household=c, location=cno, on=D(2024, 2, 15))
    stay_depart(household=b, on=D(2024, 2, 19), reason="own_housing")
    man = a.persons.get(sex="male")
    stay_depart(household=a, on=D(2024, 2, 21), reason="returned", persons=[man])
    return Region(cno, alphen, gouda, private, a, b, c)
