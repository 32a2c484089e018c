import datetime

import pytest

from opvangregie.capacity.models import Target
from opvangregie.capacity.reference import reference_load_all
from opvangregie.capacity.selectors import targets_progress_on
from tests.capacity.factories import make_location

D = datetime.date


@pytest.fixture
def region(db: None) -> None:
    reference_load_all(region="hollands-midden")


def test_asylum_targets_add_up_to_2200_by_population(region: None) -> None:
    targets = dict(
        Target.objects.filter(kind="asylum_durable").values_list("municipality__code", "amount")
    )
    assert len(targets) == 18
    assert sum(targets.values()) == 2200
    # Leiden (130,181 of 835,082 inhabitants) has a quota of 342.96 -> 343.
    assert targets["GM0546"] == 343
    assert targets["GM0638"] < targets["GM0513"]  # Zoeterwoude < Gouda


def test_reloading_keeps_the_same_target_rows(region: None) -> None:
    ids = set(Target.objects.values_list("pk", flat=True))
    reference_load_all(region="hollands-midden")
    assert set(Target.objects.values_list("pk", flat=True)) == ids


def test_progress_counts_long_stay_beds_not_the_cno(region: None) -> None:
    make_location(beds=40, municipality="GM0513")
    progress = targets_progress_on(on=D(2024, 3, 1), kind="ukrainian")
    gouda = next(p for p in progress.municipalities if p.code == "GM0513")
    alphen = next(p for p in progress.municipalities if p.code == "GM0484")
    assert gouda.realised == 40
    assert alphen.realised == 0  # CNO Nieuwe Sloot is regional
    region_mh = next(p for p in progress.housing_regions if p.code == "Midden-Holland")
    assert region_mh.realised == 40
    assert region_mh.target is None  # no Ukrainian task entered


def test_progress_against_asylum_targets(region: None) -> None:
    progress = targets_progress_on(on=D(2024, 3, 1), kind="asylum_durable")
    assert sum(p.target or 0 for p in progress.municipalities) == 2200
    assert sum(p.target or 0 for p in progress.housing_regions) == 2200
    assert (
        targets_progress_on(on=D(2023, 1, 1), kind="asylum_durable").municipalities[0].target
        is None
    )
