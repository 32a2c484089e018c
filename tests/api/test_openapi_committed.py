import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.utils import translation

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_committed_openapi_document_is_current(tmp_path: Path) -> None:
    """docs/openapi.json is what the code generates: run `make openapi` after API changes."""
    fresh = tmp_path / "openapi.json"
    # In the project's language, as `make openapi` writes it, whatever an earlier test left active.
    with translation.override(settings.LANGUAGE_CODE):
        call_command("spectacular", "--file", str(fresh), "--format", "openapi-json", "--validate")
    assert json.loads(fresh.read_text()) == json.loads(COMMITTED.read_text())
