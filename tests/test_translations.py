"""The Dutch catalogue is complete, compiled, and covers every string in the code."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "opvangregie"
PO = SRC / "locale" / "nl" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _entries(catalogue: polib._BaseFile) -> dict[tuple[str | None, str], object]:
    return {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in catalogue
        if not e.obsolete
    }


def test_every_entry_is_translated() -> None:
    po = polib.pofile(str(PO))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_compiled_catalogue_matches_the_source() -> None:
    assert _entries(polib.mofile(str(MO))) == _entries(polib.pofile(str(PO)))


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext)")
def test_no_string_is_missing_from_the_catalogue(tmp_path: Path) -> None:
    """Extract the strings afresh and compare with the committed catalogue."""
    work = tmp_path / "opvangregie"
    shutil.copytree(SRC, work, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, "-m", "opvangregie", "makemessages", "--locale", "nl", "-v0"],
        cwd=work,
        check=True,
        env={"DEMO_MODE": "1", "PATH": os.environ.get("PATH", "/usr/bin:/bin")},
    )
    fresh = polib.pofile(str(work / "locale" / "nl" / "LC_MESSAGES" / "django.po"))
    committed = polib.pofile(str(PO))
    missing = {e.msgid for e in fresh} - {e.msgid for e in committed}
    assert missing == set(), "run `make messages` and translate the new strings"
