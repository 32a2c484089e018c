import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opvangregie.__main__ import main


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    call_command(*args)
    return json.loads(capsys.readouterr().out)


def test_structure_json(reference: None, capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, "structure", "--on", "2024-02-01", "--format", "json")
    assert len(data["municipalities"]) == 18
    leiden = next(m for m in data["municipalities"] if m["cbs_code"] == "GM0546")
    assert leiden == {
        "cbs_code": "GM0546",
        "name": "Leiden",
        "cooperation_region": "Holland Rijnland",
        "cooperation_region_code": "holland-rijnland",
        "population": 130181,
        "population_date": "2024-01-01",
        "population_status": "secondary source citing CBS (municipality reports 130067)",
    }
    bodies = {b["code"]: b for b in data["bodies"]}
    assert bodies["stuurgroep-twov"]["kind"] == "steering_group"
    assert bodies["stuurgroep-twov"]["level"] == "regional"
    chair = bodies["stuurgroep-twov"]["seats"][0]
    assert chair["role"] == "chair"
    assert chair["organisation_code"] == "vrhm"
    assert "Spies" in chair["holder"]


def test_responsible_json(reference: None, capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(
        capsys, "responsible", "--municipality", "GM0546", "--on", "2023-12-01", "--format", "json"
    )
    assert data["holder"] == "mayor"
    assert data["municipality"]["name"] == "Leiden"
    assert data["seats"][0]["body"] == "vrbt-hollands-midden"


def test_responsible_text_mentions_unconfirmed_date(
    reference: None, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("responsible", "--municipality", "GM0513", "--on", "2024-08-01")
    out = capsys.readouterr().out
    assert "Gouda" in out
    assert "2024-07-01" in out


def test_bad_date_gives_a_dutch_error(reference: None) -> None:
    with pytest.raises(CommandError, match="geen geldige datum"):
        call_command("structure", "--on", "01-02-2024")


def test_unknown_municipality_gives_an_error(reference: None) -> None:
    with pytest.raises(CommandError, match="GM9999"):
        call_command("responsible", "--municipality", "GM9999")


def test_entry_point_maps_hyphenated_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line", lambda argv: seen.append(argv)
    )
    main(["whatever", "load-reference", "hollands-midden", "--format", "json"])
    main(["whatever", "--help"])
    assert seen == [
        ["opvangregie", "load_reference", "hollands-midden", "--format", "json"],
        ["opvangregie", "--help"],
    ]
