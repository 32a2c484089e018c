import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.utils import translation

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
# DRF bounds writable integer fields by the database's column ranges; the committed document is
# generated on the default database (SQLite: 64-bit everywhere), PostgreSQL has smaller ones.
DATABASE_BOUNDS = {
    32767,
    2147483647,
    9223372036854775807,
    -32768,
    -2147483648,
    -9223372036854775808,
}


def _without_database_bounds(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: _without_database_bounds(value)
            for key, value in node.items()
            if not (key in ("maximum", "minimum") and value in DATABASE_BOUNDS)
            and not (key == "format" and value in ("int32", "int64"))
        }
    if isinstance(node, list):
        return [_without_database_bounds(item) for item in node]
    return node


def test_committed_openapi_document_is_current(tmp_path: Path) -> None:
    """docs/openapi.json is what the code generates: run `make openapi` after API changes."""
    fresh = tmp_path / "openapi.json"
    # In the project's language, as `make openapi` writes it, whatever an earlier test left active.
    with translation.override(settings.LANGUAGE_CODE):
        call_command("spectacular", "--file", str(fresh), "--format", "openapi-json", "--validate")
    assert _without_database_bounds(json.loads(fresh.read_text())) == _without_database_bounds(
        json.loads(COMMITTED.read_text())
    )


def test_only_database_bounds_are_ignored() -> None:
    document = {"a": {"type": "integer", "maximum": 32767, "format": "int64"}, "b": {"maximum": 10}}
    assert _without_database_bounds(document) == {"a": {"type": "integer"}, "b": {"maximum": 10}}
