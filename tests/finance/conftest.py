import datetime
from dataclasses import dataclass

import pytest

from opvangregie.accounts.constants import Role
from opvangregie.accounts.models import User
from opvangregie.capacity.constants import LocationType
from opvangregie.capacity.models import Location
from opvangregie.capacity.reference import reference_load_all
from opvangregie.organisations.models import Organisation
from tests.accounts.factories import user_with_role
from tests.capacity.factories import make_location

D = datetime.date


@dataclass
class Scene:
    gouda: Organisation
    kazerne: Location  # municipal, 10 beds from 2022-09-01
    gastgezin: Location  # private hosting, 4 beds from 2022-09-01
    coordinator: User
    gouda_finance: User
    gouda_officer: User
    leiden_finance: User
    rrt: User


@pytest.fixture
def scene(db: None) -> Scene:
    """Gouda with a municipal location and a host family; the reference rates loaded."""
    reference_load_all(region="hollands-midden")
    return Scene(
        gouda=Organisation.objects.get(code="GM0513"),
        kazerne=make_location(
            beds=10, municipality="GM0513", name="Kazerne Gouda", opens_on=D(2022, 9, 1)
        ),
        gastgezin=make_location(
            beds=4,
            municipality="GM0513",
            name="Gastgezin Gouda",
            type=LocationType.PRIVATE_HOSTING,
            opens_on=D(2022, 9, 1),
        ),
        coordinator=user_with_role(Role.COORDINATOR, "twov"),
        gouda_finance=user_with_role(Role.FINANCE_OFFICER, "GM0513"),
        gouda_officer=user_with_role(Role.MUNICIPAL_OFFICER, "GM0513"),
        leiden_finance=user_with_role(Role.FINANCE_OFFICER, "GM0546"),
        rrt=user_with_role(Role.RRT_SECRETARY, "holland-rijnland"),
    )
