import datetime

import pytest

from opvangregie.accounts.constants import Role
from opvangregie.monitoring.selectors import (
    broad_task_visible_on,
    composition_on,
    figures_on,
    figures_scope_for,
    flows_between,
    targets_progress_visible_on,
    waiting_at_cno_on,
)
from tests.accounts.factories import user_with_role
from tests.monitoring import scenario

D = datetime.date
pytestmark = pytest.mark.usefixtures("reference")
ON = D(2024, 2, 14)


@pytest.mark.parametrize(
    ("role", "organisation", "expected"),
    [
        (
            Role.COORDINATOR,
            "twov",
            dict.fromkeys(["region", "housing_region", "municipality", "location"]),
        ),
        (
            Role.STEERING_GROUP_MEMBER,
            "vrhm",
            dict.fromkeys(["region", "housing_region", "municipality"]),
        ),
        # Figures for the province leave the region: no municipalities (small counts).
        (Role.PROVINCE, "pv-zuid-holland", dict.fromkeys(["region", "housing_region"])),
        (
            Role.RRT_SECRETARY,
            "holland-rijnland",
            {"region": None, "housing_region": ["holland-rijnland"]},
        ),
        # A portfolio holder sits at the RRT for a municipality: that municipality's housing region.
        (Role.RRT_MEMBER, "GM0513", {"region": None, "housing_region": ["midden-holland"]}),
        (
            Role.MUNICIPAL_OFFICER,
            "GM0484",
            {"region": None, "municipality": ["GM0484"], "location": ["GM0484"]},
        ),
        (Role.ADMINISTRATOR, "vrhm", {}),
        (None, None, {}),
    ],
)
def test_scope_per_role(
    role: str | None, organisation: str | None, expected: dict[str, object]
) -> None:
    user = user_with_role(role, organisation)
    assert figures_scope_for(user=user, on=ON).as_dict() == expected


def test_roles_add_up() -> None:
    from opvangregie.accounts.services import role_assignment_create
    from opvangregie.organisations.models import Organisation

    user = user_with_role(Role.MUNICIPAL_OFFICER, "GM0484")
    role_assignment_create(
        user=user, role=Role.RRT_MEMBER, organisation=Organisation.objects.get(code="GM0484")
    )
    scope = figures_scope_for(user=user, on=ON)
    assert scope.as_dict()["housing_region"] == ["holland-rijnland"]
    assert scope.as_dict()["municipality"] == ["GM0484"]


def test_an_officer_sees_own_municipality_in_full_and_the_region_aggregated() -> None:
    region = scenario.build()
    scope = figures_scope_for(user=user_with_role(Role.MUNICIPAL_OFFICER, "GM0513"), on=ON)
    assert [u.code for u in figures_on(on=ON, level="region", scope=scope).units] == ["vrhm"]
    assert figures_on(on=ON, level="housing_region", scope=scope).units == []
    assert [u.code for u in figures_on(on=ON, level="municipality", scope=scope).units] == [
        "GM0513"
    ]
    locations = figures_on(on=ON, level="location", scope=scope).units
    assert {u.code for u in locations} == {str(region.gouda.uuid), str(region.gouda_private.uuid)}
    flows = flows_between(start=ON, end=ON, level="location", scope=scope)
    assert len(flows.units) == 2
    progress = targets_progress_visible_on(on=ON, scope=scope)
    assert [p.code for p in progress.municipalities] == ["GM0513"]
    assert progress.housing_regions == []
    task = broad_task_visible_on(on=ON, scope=scope)
    assert [r.code for r in task.rows] == ["GM0513"]


def test_an_rrt_secretary_sees_own_housing_region_only() -> None:
    scenario.build()
    scope = figures_scope_for(user=user_with_role(Role.RRT_SECRETARY, "midden-holland"), on=ON)
    assert [u.code for u in figures_on(on=ON, level="housing_region", scope=scope).units] == [
        "midden-holland"
    ]
    assert figures_on(on=ON, level="municipality", scope=scope).units == []
    assert figures_on(on=ON, level="location", scope=scope).units == []
    progress = targets_progress_visible_on(on=ON, scope=scope)
    assert [p.code for p in progress.housing_regions] == ["Midden-Holland"]
    assert progress.municipalities == []


def test_figures_carry_no_personal_data() -> None:
    region = scenario.build()
    text = repr(figures_on(on=ON, level="location").as_dict())
    text += repr(flows_between(start=ON, end=ON, level="location").as_dict())
    text += repr(composition_on(on=ON, level="location").as_dict())
    text += repr(waiting_at_cno_on(on=D(2024, 2, 10)).as_dict())
    assert "Voornaam" not in text
    assert "Kovalenko" not in text
    assert "1979" not in text  # no birth dates
    for household in (region.a, region.b, region.c):
        assert str(household.uuid) not in text
