"""A small hand-computable region for the weekly reports, built through the real services.

Locations (open from 2024-01-01):
  CNO Leiden (GM0546, Holland Rijnland)     30 beds (CNO)
  Alphen (GM0484, Holland Rijnland)         20 beds, 2 blocked (municipal)
  Gouda (GM0513, Midden-Holland)            10 beds (municipal), 22 from Wed 2024-03-06
  Gouda gastgezin (GM0513, Midden-Holland)   4 beds (private hosting)
Ukrainian targets from 2024-01-01: Alphen 15, Gouda 20, Leiden 10.

Events:
  Mon 2024-02-19 (W08)  household P (6) intake at the CNO
  Tue 2024-02-20 (W08)  household Q (5) intake at the CNO
  Mon 2024-02-26 (W09)  P moves CNO -> Alphen
  Tue 2024-02-27 (W09)  Q moves CNO -> Alphen
  Mon 2024-03-04 (W10)  household R (3) intake at the CNO
  Tue 2024-03-05 (W10)  household S (2) intake at Gouda
  Wed 2024-03-06 (W10)  Gouda 10 -> 22 beds
  Thu 2024-03-07 (W10)  one person of Q departs: returned to Ukraine

Week 2024-W10 ends on Sun 2024-03-10; the week before on Sun 2024-03-03.
"""

import datetime
from dataclasses import dataclass

from opvangregie.capacity.constants import LocationType, TaskKind
from opvangregie.capacity.models import Location, Target
from opvangregie.capacity.services import capacity_change
from opvangregie.organisations.models import Organisation
from opvangregie.residents.models import Household
from opvangregie.residents.services import stay_depart, stay_intake, stay_move
from tests.capacity.factories import make_location
from tests.residents.factories import make_household

D = datetime.date
WEEK = "2024-W10"


@dataclass
class Scene:
    cno: Location
    alphen: Location
    gouda: Location
    gouda_private: Location
    p: Household
    q: Household
    r: Household
    s: Household


def build() -> Scene:
    cno = make_location(beds=30, municipality="GM0546", type=LocationType.CNO, name="CNO Leiden")
    alphen = make_location(beds=20, blocked_beds=2, municipality="GM0484", name="Alphen")
    gouda = make_location(beds=10, municipality="GM0513", name="Gouda")
    private = make_location(
        beds=4, municipality="GM0513", type=LocationType.PRIVATE_HOSTING, name="Gouda gastgezin"
    )
    for code, amount in (("GM0484", 15), ("GM0513", 20), ("GM0546", 10)):
        Target.objects.create(
            kind=TaskKind.UKRAINIAN,
            municipality=Organisation.objects.get(code=code),
            amount=amount,
            valid_from=D(2024, 1, 1),
        )
    p, q, r, s = (make_household(n) for n in (6, 5, 3, 2))
    stay_intake(household=p, location=cno, on=D(2024, 2, 19))
    stay_intake(household=q, location=cno, on=D(2024, 2, 20))
    stay_move(household=p, to_location=alphen, on=D(2024, 2, 26))
    stay_move(household=q, to_location=alphen, on=D(2024, 2, 27))
    stay_intake(household=r, location=cno, on=D(2024, 3, 4))
    stay_intake(household=s, location=gouda, on=D(2024, 3, 5))
    capacity_change(location=gouda, valid_from=D(2024, 3, 6), beds=22)
    stay_depart(household=q, on=D(2024, 3, 7), reason="returned", persons=[q.persons.first()])
    return Scene(cno, alphen, gouda, private, p, q, r, s)
