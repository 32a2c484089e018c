import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from opvangregie.reports.models import IssuedReport
from tests.reports.scenario import WEEK, Scene


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are matched in English here (the Dutch catalogue is tested on its own)."""
    with translation.override("en"):
        yield


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("report", "weekly", *args, stdout=out)
    return out.getvalue()


def test_render_without_issuing(scene: Scene, tmp_path: Path) -> None:
    target = tmp_path / "r.xlsx"
    _run("--week", WEEK, "--audience", "stuurgroep", "--format", "xlsx", "--output", str(target))
    assert "Figures" in load_workbook(target).sheetnames
    assert not IssuedReport.objects.exists()


def test_issue_freezes_a_version(scene: Scene, tmp_path: Path) -> None:
    target = tmp_path / "r.pdf"
    args = ["--week", WEEK, "--audience", "prt", "--format", "pdf", "--output", str(target)]
    out = _run(*args, "--issue")
    assert target.read_bytes().startswith(b"%PDF-")
    report = IssuedReport.objects.get()
    assert report.version == 1
    assert report.checksum in out
    _run(*args, "--issue")
    assert list(IssuedReport.objects.values_list("version", flat=True).order_by("version")) == [
        1,
        2,
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["--week", "2024-10", "--audience", "prt", "--format", "csv"],
        ["--week", WEEK, "--audience", "prt", "--format", "csv", "--issue", "--user", "nobody"],
    ],
)
def test_bad_input_stops(scene: Scene, tmp_path: Path, args: list[str]) -> None:
    with pytest.raises(CommandError):
        _run(*args, "--output", str(tmp_path / "x.csv"))
    assert not IssuedReport.objects.exists()
