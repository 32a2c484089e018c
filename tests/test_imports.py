import datetime
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from opvangregie.capacity.models import CapacityRecord, Location
from opvangregie.capacity.reference import reference_load_all
from opvangregie.residents.models import Household, Person, Stay

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"


@pytest.fixture
def region(db: None) -> None:
    reference_load_all(region="hollands-midden")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    call_command("import_data", *args, "--format", "json", "--no-progress")
    return json.loads(capsys.readouterr().out)


def _fails(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    with pytest.raises(CommandError, match="Er is niets geïmporteerd"):
        call_command("import_data", *args, "--format", "json", "--no-progress")
    return json.loads(capsys.readouterr().out)


def _to_xlsx(csv_path: Path, target: Path) -> Path:
    import csv

    workbook = Workbook()
    sheet = workbook.active
    for row in csv.reader(csv_path.open(encoding="utf-8")):
        sheet.append(row)
    workbook.save(target)
    return target


def test_example_files_import_and_reimport_changes_nothing(
    region: None, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _run(capsys, "locations", str(EXAMPLES / "locations.csv"))
    assert (first["created"], first["ok"]) == (4, True)
    kazerne = Location.objects.get(external_id="gouda-kazerne")
    assert kazerne.capacity.get().blocked_beds == 4
    assert set(kazerne.features.values_list("feature", flat=True)) == {
        "wheelchair_accessible",
        "family_units",
    }
    assert kazerne.lets_units is True
    residents = _run(capsys, "residents", str(EXAMPLES / "residents.csv"))
    assert residents["created"] == 4
    assert Household.objects.get(external_id="hh-002").ties.get().kind == "family"
    assert Stay.objects.count() == 4
    again = _run(capsys, "residents", str(EXAMPLES / "residents.csv"))
    assert (again["created"], again["unchanged"]) == (0, 4)
    again_locations = _run(capsys, "locations", str(EXAMPLES / "locations.csv"))
    assert again_locations["unchanged"] == 4
    assert Stay.objects.count() == 4


def test_xlsx_is_read_like_csv(
    region: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xlsx = _to_xlsx(EXAMPLES / "locations.csv", tmp_path / "locations.xlsx")
    assert _run(capsys, "locations", str(xlsx))["created"] == 4


def test_bad_rows_are_reported_in_dutch_and_nothing_is_written(
    region: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "residents.csv"
    text = (EXAMPLES / "residents.csv").read_text(encoding="utf-8")
    text = text.replace("1984-03-12,v", "1984-13-12,v").replace(
        "p-0004,hh-003,Iryna", "p-0004,hh-003,"
    )
    bad.write_text(text.replace(",v,UKR,uk,gouda", ",q,UKR,uk,gouda"), encoding="utf-8")
    report = _fails(capsys, "residents", str(bad))
    problems = {(p["row"], p["column"]) for p in report["problems"]}
    assert (2, "birth_date") in problems
    assert (4, "sex") in problems
    assert (5, "given_name") in problems
    assert any(p["message"] == "Dit veld is vereist." for p in report["problems"])
    assert not Person.objects.exists()


def test_capacity_refusal_rolls_back_the_whole_import(
    region: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "locations", str(EXAMPLES / "locations.csv"))
    rows = ["external_id,household_id,given_name,family_name,birth_date,sex,location,intake_date"]
    rows += [f"p{i},h{i},A,B,1990-01-01,v,katwijk-gastgezin-1,2024-05-01" for i in range(6)]
    path = tmp_path / "full.csv"
    path.write_text("\n".join(rows), encoding="utf-8")
    report = _fails(capsys, "residents", str(path))
    assert report["problems"][0]["row"] == 6
    assert "geen plaats" in report["problems"][0]["message"]
    assert not Household.objects.exists()


def test_dry_run_checks_capacity_and_writes_nothing(
    region: None, capsys: pytest.CaptureFixture[str]
) -> None:
    report = _run(capsys, "locations", str(EXAMPLES / "locations.csv"), "--dry-run")
    assert report["created"] == 4
    assert report["dry_run"] is True
    assert not Location.objects.filter(external_id="gouda-kazerne").exists()


def test_missing_columns_and_inconsistent_households(
    region: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.csv"
    path.write_text("external_id,name\nx,y\n", encoding="utf-8")
    report = _fails(capsys, "locations", str(path))
    assert report["problems"][0]["column"] == "municipality, type, capacity"
    _run(capsys, "locations", str(EXAMPLES / "locations.csv"))
    shutil.copy(EXAMPLES / "residents.csv", path)
    text = path.read_text(encoding="utf-8").replace(
        "p-0002,hh-001,Dmytro,Koval,2013-09-30,m,UKR,uk,cno-nieuwe-sloot,2024-05-02",
        "p-0002,hh-001,Dmytro,Koval,2013-09-30,m,UKR,uk,cno-nieuwe-sloot,2024-05-09",
    )
    path.write_text(text, encoding="utf-8")
    report = _fails(capsys, "residents", str(path))
    assert report["problems"] == [
        {
            "row": 3,
            "column": "intake_date",
            "message": "Wijkt af van rij 2 van hetzelfde huishouden.",
        }
    ]


def test_a_changed_capacity_on_reimport_becomes_history(
    region: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "locations", str(EXAMPLES / "locations.csv"))
    path = tmp_path / "locations.csv"
    text = (EXAMPLES / "locations.csv").read_text(encoding="utf-8")
    path.write_text(
        text.replace("Paviljoen Leiden,GM0546,municipal,40", "Paviljoen Leiden,GM0546,municipal,48")
    )
    report = _run(capsys, "locations", str(path))
    assert (report["updated"], report["unchanged"]) == (1, 3)
    records = CapacityRecord.objects.filter(location__external_id="leiden-paviljoen")
    assert [r.beds for r in records.order_by("valid_from")] == [40, 48]
    assert records.order_by("valid_from").last().valid_from == datetime.date.today()  # noqa: DTZ011
