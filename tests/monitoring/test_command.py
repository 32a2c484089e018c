import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.monitoring import scenario

pytestmark = pytest.mark.usefixtures("reference")


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("figures", *args, stdout=out)
    return out.getvalue()


def test_figures_as_json_per_housing_region() -> None:
    scenario.build()
    body = json.loads(_run("--on", "2024-02-14", "--level", "housing_region"))
    units = {u["code"]: u for u in body["figures"]["units"]}
    assert set(units) == {"holland-rijnland", "midden-holland"}
    assert units["holland-rijnland"]["total"]["allocable"] == 28
    assert units["midden-holland"]["by_type"]["private_hosting"]["capacity"] == 4
    assert units["midden-holland"]["total"]["occupancy_pct"] == 16.7
    assert "flows" not in body


def test_figures_as_csv_one_row_per_breakdown() -> None:
    scenario.build()
    rows = list(csv.DictReader(io.StringIO(_run("--on", "2024-02-14", "--format", "csv"))))
    assert {r["breakdown"] for r in rows} == {
        "total",
        "short_stay",
        "long_stay",
        "cno",
        "municipal",
        "private_hosting",
        "other",
    }
    total = next(r for r in rows if r["breakdown"] == "total")
    assert (total["code"], total["capacity"], total["occupied"], total["free_allocable"]) == (
        "vrhm",
        "42",
        "5",
        "35",
    )


def test_flows_per_week_in_both_formats() -> None:
    scenario.build()
    args = ["--from", "2024-02-05", "--to", "2024-02-25"]
    body = json.loads(_run(*args))
    assert "figures" not in body
    assert [w["net"] for w in body["flows"]["units"][0]["weeks"]] == [5, 1, -3]
    rows = list(csv.DictReader(io.StringIO(_run(*args, "--format", "csv"))))
    assert [
        (r["week"], r["arrivals_persons"], r["departures_own_housing_persons"]) for r in rows
    ] == [
        ("2024-W06", "5", "0"),
        ("2024-W07", "1", "0"),
        ("2024-W08", "0", "2"),
    ]


def test_forecast_is_added() -> None:
    scenario.build()
    body = json.loads(_run("--on", "2024-02-26", "--forecast", "4"))
    assert body["figures"]["on"] == "2024-02-26"
    assert body["forecast"]["scenario"]["weeks"] == 4
    assert body["forecast"]["units"][0]["runs_out_on"] == "2025-02-06"  # 346 days
    rows = list(
        csv.DictReader(io.StringIO(_run("--on", "2024-02-14", "--inflow", "10", "--format", "csv")))
    )
    assert rows[0]["runs_out_on"] == "2024-03-10"
    assert rows[0]["projected_free_allocable"] == "35.0"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--on", "14-02-2024"], "14-02-2024"),
        (["--level", "province"], "province"),
        (["--from", "2024-02-01"], "--to"),
        (["--from", "2024-02-10", "--to", "2024-02-01"], "--from"),
        (["--from", "2024-13-01", "--to", "2024-02-01"], "2024-13-01"),
        (["--forecast", "4", "--inflow", "3"], "--inflow"),
        (["--inflow", "-3"], "--inflow"),
    ],
)
def test_bad_input_is_a_command_error(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        _run(*args)
