"""opvangregie declaration / allowance on the command line."""

import datetime
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import load_workbook

from opvangregie.finance.models import Declaration
from opvangregie.residents.services import stay_intake
from tests.residents.factories import make_household

from .conftest import Scene

D = datetime.date
PERIOD = ["--municipality", "GM0513", "--from", "2024-01-01", "--to", "2024-03-31"]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are matched in English, so these tests hold once the Dutch catalogue has them."""
    with translation.override("en"):
        yield


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_declaration_as_json(scene: Scene) -> None:
    figures = json.loads(_run("declaration", *PERIOD, "--format", "json"))
    assert figures["total"] == "55510.00"
    assert figures["lines"][0]["quantity"] == 910
    assert figures["lines"][0]["location_name"] == "Kazerne Gouda"


def test_declaration_as_xlsx_to_a_file(scene: Scene, tmp_path: Path) -> None:
    target = tmp_path / "decl.xlsx"
    _run("declaration", *PERIOD, "--format", "xlsx", "--output", str(target))
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[1][13] == "55510.00"
    with pytest.raises(CommandError, match="--output"):
        _run("declaration", *PERIOD, "--format", "xlsx")


def test_declaration_submit_from_the_command_line(scene: Scene) -> None:
    figures = json.loads(_run("declaration", *PERIOD, "--submit", scene.gouda_finance.username))
    declaration = Declaration.objects.get()
    assert figures["checksum"] == declaration.checksum
    assert figures["version"] == 1
    with pytest.raises(CommandError, match="Nothing changed"):
        _run("declaration", *PERIOD, "--submit", scene.gouda_finance.username, "--reason", "x")
    with pytest.raises(CommandError):
        _run("declaration", *PERIOD, "--submit", scene.gouda_officer.username)


def test_declaration_permissions_with_user(scene: Scene) -> None:
    with pytest.raises(CommandError, match="may not"):
        _run("declaration", *PERIOD, "--user", scene.leiden_finance.username)
    with pytest.raises(CommandError, match="may not"):
        _run("declaration", *PERIOD, "--user", scene.rrt.username)
    assert "55510.00" in _run("declaration", *PERIOD, "--user", scene.gouda_officer.username)
    with pytest.raises(CommandError, match="Unknown"):
        _run("declaration", *PERIOD, "--user", "nobody")
    with pytest.raises(CommandError):
        _run("declaration", "--municipality", "GM9999", "--from", "2024-01-01", "--to", "x")


def test_allowance_csv_per_household_or_totals(scene: Scene) -> None:
    stay_intake(
        household=make_household(2, external_id="HH-1"), location=scene.kazerne, on=D(2022, 10, 1)
    )
    args = ["allowance", "--month", "2022-10", "--municipality", "GM0513"]
    lines = _run(*args, "--format", "csv").splitlines()
    assert lines[0] == (
        "municipality,month,household,reference,days,persons,earners,allowance,contribution"
    )
    assert lines[1].endswith(",HH-1,31,2,0,520.00,0.00")
    officer = _run(*args, "--user", scene.gouda_officer.username).splitlines()
    assert officer == [
        "municipality,month,households,allowance,contribution",
        "GM0513,2022-10,1,520.00,0.00",
    ]
    finance = _run(*args, "--user", scene.gouda_finance.username)
    assert "HH-1" in finance
    with pytest.raises(CommandError, match="may not"):
        _run(*args, "--user", scene.rrt.username)
    with pytest.raises(CommandError, match="YYYY-MM"):
        _run("allowance", "--month", "maart", "--municipality", "GM0513")
    body = json.loads(_run(*args, "--format", "json", "--user", scene.gouda_officer.username))
    assert body["allowance_total"] == "520.00"
    assert "lines" not in body
