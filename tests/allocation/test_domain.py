import json
from pathlib import Path

import pytest
from django.core.management import call_command

from opvangregie.allocation.domain import (
    Household,
    Instance,
    Location,
    Municipality,
    exclusion,
    instance_from_json,
    place,
    usage,
)
from opvangregie.allocation.problem import Status

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "placement.json"
GAP = Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks" / "gap"


def test_usage_takes_the_smallest_whole_unit() -> None:
    family = Household("h", 3)
    assert usage(family, Location("l", "GM0513", 8, unit_sizes=(2, 4))) == 4
    assert usage(family, Location("l", "GM0513", 8)) == 3
    assert usage(Household("h", 5), Location("l", "GM0513", 8, unit_sizes=(2, 4))) is None


def test_exclusions_say_why() -> None:
    location = Location("l", "GM0513", 8, features=("single_men_only",))
    assert exclusion(Household("h", 1, needs=("wheelchair",)), location) == "needs wheelchair"
    assert exclusion(Household("h", 1, kind="single_woman"), location) == "single men only"
    assert exclusion(Household("h", 1, kind="single_man"), location) is None


@pytest.mark.parametrize("backend", ["highs", "cpsat"])
def test_the_example_is_placed_with_explanations(backend: str) -> None:
    placement = place(instance_from_json(EXAMPLE.read_text()), backend=backend, time_limit=10)
    assert placement.result.status == Status.OPTIMAL
    by_id = {p.household: p for p in placement.proposals}
    assert by_id["hh-melnyk"].location == "gouda-kazerne"  # the only wheelchair access
    assert by_id["hh-bondar"].location == "zuidplas-flex"  # pets
    assert by_id["hh-shevchenko"].location in {"zuidplas-mannen", "zuidplas-flex", "gouda-kazerne"}
    # Together or not at all; medical care only in Leiden (3 beds: both fit).
    assert by_id["hh-lysenko"].location == by_id["hh-moroz"].location == "leiden-paviljoen"
    assert all(p.explanation for p in placement.proposals)
    assert placement.deviation_after < placement.deviation_before


def test_unplaced_households_get_a_reason() -> None:
    instance = Instance(
        households=(Household("big", 6), Household("wheel", 1, needs=("wheelchair",))),
        locations=(Location("small", "GM0513", 4),),
    )
    proposals = {p.household: p for p in place(instance, time_limit=5).proposals}
    assert proposals["big"].location is None
    assert "too few free beds" in proposals["big"].explanation
    assert "needs wheelchair" in proposals["wheel"].explanation


def test_fairness_sends_a_household_to_the_municipality_below_its_share() -> None:
    instance = Instance(
        households=(Household("h", 2),),
        locations=(Location("a", "GM0513", 4), Location("b", "GM0546", 4)),
        municipalities=(
            Municipality("GM0513", target=10, present=12),
            Municipality("GM0546", target=10, present=5),
        ),
    )
    [proposal] = place(instance, time_limit=5).proposals
    assert proposal.location == "b"
    assert proposal.alternative == "a"
    assert "fair share" in (proposal.alternative_reason or "")


def test_command_on_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("allocate", str(EXAMPLE), "--format", "json", "--time-limit", "10")
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "optimal"
    assert data["placed"] == 7
    assert data["weights"]["fairness"] == 10
    assert len(data["proposals"]) == 7


@pytest.mark.skipif(not GAP.is_dir(), reason="the shared GAP instances are not beside the project")
def test_command_on_a_gap_instance(capsys: pytest.CaptureFixture[str]) -> None:
    call_command(
        "allocate",
        "--gap",
        str(GAP / "cattrysse1994" / "gap1-0"),
        "--sense",
        "min",
        "--format",
        "json",
        "--time-limit",
        "10",
    )
    data = json.loads(capsys.readouterr().out)
    assert (data["status"], data["objective"], data["gap"]) == ("optimal", 261.0, 0.0)
    assert len(data["assignment"]) == 15
    assert all(0 <= a < 5 for a in data["assignment"])


@pytest.mark.skipif(not GAP.is_dir(), reason="the shared GAP instances are not beside the project")
def test_command_on_a_gap_instance_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    arguments = ["--gap", str(GAP / "cattrysse1994" / "gap8-3"), "--sense", "max"]
    call_command("allocate", *arguments, "--format", "json", "--deterministic")
    data = json.loads(capsys.readouterr().out)
    assert (data["status"], data["objective"]) == ("optimal", 1117.0)
    assert data["settings"]["deterministic"] is True
    assert "companion" not in data["settings"]
