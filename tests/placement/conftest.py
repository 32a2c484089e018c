import datetime
from dataclasses import dataclass

import pytest

from opvangregie.accounts.constants import Role
from opvangregie.accounts.models import User
from opvangregie.capacity.models import Location
from opvangregie.capacity.reference import reference_load_all
from opvangregie.residents.models import Household
from opvangregie.residents.services import HouseholdData, PersonData, household_create, stay_intake
from tests.accounts.factories import user_with_role
from tests.capacity.factories import make_location
from tests.residents.factories import make_household

D = datetime.date
ON = D(2024, 3, 2)


@dataclass
class Scene:
    coordinator: User
    gouda_officer: User
    leiden_officer: User
    cno: Location
    gouda: Location  # 6 beds, wheelchair accessible
    leiden: Location  # 4 beds, no features
    man: Household  # 1, needs a wheelchair, works in Gouda
    family: Household  # 3


@pytest.fixture
def scene(db: None) -> Scene:
    """Two households waiting at the CNO on 2024-03-02; two municipal locations with room."""
    reference_load_all(region="hollands-midden")
    cno = Location.objects.get(external_id="cno-nieuwe-sloot")
    gouda = make_location(
        beds=6, municipality="GM0513", name="Kazerne Gouda", features=["wheelchair_accessible"]
    )
    leiden = make_location(beds=4, municipality="GM0546", name="Pand Leiden")
    man = household_create(
        data=HouseholdData(
            persons=[PersonData("Taras", "Moroz", D(1990, 1, 1), "male")],
            external_id="HH-MAN",
            needs=["wheelchair"],
            ties=[("GM0513", "work")],
        )
    )
    family = make_household(3, external_id="HH-FAM")
    for household in (man, family):
        stay_intake(household=household, location=cno, on=D(2024, 3, 1))
    return Scene(
        coordinator=user_with_role(Role.COORDINATOR, "twov"),
        gouda_officer=user_with_role(Role.MUNICIPAL_OFFICER, "GM0513"),
        leiden_officer=user_with_role(Role.MUNICIPAL_OFFICER, "GM0546"),
        cno=cno,
        gouda=gouda,
        leiden=leiden,
        man=man,
        family=family,
    )
