import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from opvangregie.accounts.constants import Role
from opvangregie.accounts.models import User
from opvangregie.capacity.reference import reference_load_all
from opvangregie.organisations.models import Body, Organisation
from tests.accounts.factories import user_with_role

D = datetime.date


def at(day: datetime.date, hour: int = 14) -> datetime.datetime:
    return datetime.datetime(
        day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone()
    )


@dataclass
class Gov:
    rrt: Body  # RRT Holland Rijnland
    rrt_mh: Body
    prt: Body
    stuurgroep: Body
    holland_rijnland: Organisation
    midden_holland: Organisation
    secretary: User  # rrt_secretary of Holland Rijnland
    chair: User  # rrt_member for the region itself: holds the chair seat of the RRT
    leiden: User  # rrt_member for Leiden: a member of the RRT Holland Rijnland
    gouda: User  # rrt_member for Gouda: a member of the RRT Midden-Holland only
    coordinator: User
    steering: User  # steering_group_member for the safety region
    officer: User  # municipal officer of Leiden: no seat anywhere


@pytest.fixture
def gov(db: None) -> Gov:
    reference_load_all(region="hollands-midden")
    users = {
        "secretary": user_with_role(Role.RRT_SECRETARY, "holland-rijnland"),
        "chair": user_with_role(Role.RRT_MEMBER, "holland-rijnland"),
        "leiden": user_with_role(Role.RRT_MEMBER, "GM0546"),
        "gouda": user_with_role(Role.RRT_MEMBER, "GM0513"),
        "coordinator": user_with_role(Role.COORDINATOR, "twov"),
        "steering": user_with_role(Role.STEERING_GROUP_MEMBER, "vrhm"),
        "officer": user_with_role(Role.MUNICIPAL_OFFICER, "GM0546"),
    }
    for name, user in users.items():
        user.email = f"{name}@example.org"
        user.save()
    return Gov(
        rrt=Body.objects.get(code="rrt-holland-rijnland"),
        rrt_mh=Body.objects.get(code="rrt-midden-holland"),
        prt=Body.objects.get(code="prt-zuid-holland"),
        stuurgroep=Body.objects.get(code="stuurgroep-twov"),
        holland_rijnland=Organisation.objects.get(code="holland-rijnland"),
        midden_holland=Organisation.objects.get(code="midden-holland"),
        **users,
    )
