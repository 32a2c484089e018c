"""The formats: PDF for the meeting pack, XLSX with a sheet per table, CSV as one long table;
and no personal data in any of them."""

import csv
import io
import re
import zlib
from typing import Any

import pytest
from django.utils import translation
from openpyxl import load_workbook

from opvangregie.reports.render import report_export
from opvangregie.reports.selectors import report_frozen, report_live
from opvangregie.reports.services import report_issue
from opvangregie.residents.models import Household, Person
from tests.pdf_layout import assert_fits_the_page, captured_html
from tests.reports.scenario import WEEK, Scene


def _pdf_text(pdf: bytes) -> str:
    """The text drawn in a PDF, roughly: WeasyPrint compresses its content streams (Flate)
    and writes the title into the document information as UTF-16."""
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(chunks)


def _pdf_title(pdf: bytes) -> str:
    """The document title (its information may sit in a compressed object stream)."""
    whole = pdf + _pdf_text(pdf).encode("latin-1")
    match = re.search(rb"/Title\s*(<[0-9A-Fa-f]+>|\((?:\\.|[^\\)])*\))", whole)
    assert match, "the PDF has a title"
    raw = match[1]
    if raw.startswith(b"<"):
        data = bytes.fromhex(raw[1:-1].decode())
        return data.decode("utf-16") if data.startswith(b"\xfe\xff") else data.decode("latin-1")
    data = raw[1:-1]
    return data[2:].decode("utf-16-be") if data.startswith(b"\xfe\xff") else data.decode("latin-1")


def test_pdf_is_a_pdf_with_the_audience_in_its_title(scene: Scene) -> None:
    with translation.override("en"):
        body, content_type, filename = report_export(
            report_live(week=WEEK, audience="rrt-midden-holland"), "pdf"
        )
    assert body.startswith(b"%PDF-")
    assert content_type == "application/pdf"
    assert filename == "weekrapport-rrt-midden-holland-2024-W10.pdf"
    assert _pdf_title(body) == "Weekly report RRT Midden-Holland, week 2024-W10"


def test_xlsx_has_a_sheet_per_table(scene: Scene) -> None:
    report = report_issue(user=None, week=WEEK, audience="stuurgroep")
    frozen = report_frozen(report=report)
    with translation.override("en"):
        body, _type, filename = report_export(frozen.content, "xlsx", frozen)
    assert filename.endswith("-v1.xlsx")
    book = load_workbook(io.BytesIO(body))
    assert book.sheetnames == [
        "Summary",
        "Figures",
        "Flows",
        "Four weeks",
        "Waiting at the CNO",
        "Targets",
        "Broad task",
        "Runway",
    ]
    figures = list(book["Figures"].iter_rows(values_only=True))
    assert figures[0][:4] == ("unit", "breakdown", "capacity", "allocable")
    gouda = next(r for r in figures if r[0] == "Gouda" and r[1] == "total")
    assert gouda[2:7] == (26, 26, 2, 24, 7.7)
    assert frozen.checksum in book["Summary"]["A2"].value


def test_csv_is_one_long_table(scene: Scene) -> None:
    with translation.override("en"):
        body, content_type, _name = report_export(report_live(week=WEEK, audience="prt"), "csv")
    assert content_type.startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["week", "audience", "table", "row", "column", "value"]
    assert {r[2] for r in rows[1:]} >= {"Figures", "Flows", "Runway", "Targets"}
    region_cno = next(
        r for r in rows if r[2] == "Figures" and r[3].endswith("CNO") and r[4] == "occupied"
    )
    assert region_cno[5] == "<5"


@pytest.mark.parametrize("audience", ["stuurgroep", "rrt-holland-rijnland", "prt"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_no_personal_data_in_any_format(scene: Scene, audience: str, fmt: str) -> None:
    body, *_rest = report_export(report_live(week=WEEK, audience=audience), fmt)
    text = _text(body, fmt)
    assert_no_personal_data(text)


def test_no_personal_data_in_the_pdf(scene: Scene) -> None:
    body, *_rest = report_export(report_live(week=WEEK, audience="stuurgroep"), "pdf")
    assert_no_personal_data(_pdf_text(body))


def _text(body: bytes, fmt: str) -> str:
    if fmt == "csv":
        return body.decode("utf-8-sig")
    book = load_workbook(io.BytesIO(body))
    return "\n".join(
        str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row
    )


def assert_no_personal_data(text: Any) -> None:
    persons = list(Person.objects.all())
    assert persons
    for person in persons:
        assert person.given_name not in text
        assert person.family_name not in text
        assert person.birth_date.isoformat() not in text
        assert person.birth_date.strftime("%-d-%-m-%Y") not in text
    for household in Household.objects.all():
        assert str(household.uuid) not in text
        if household.external_id:
            assert household.external_id not in text


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_table_of_the_pdf_fits_the_page(
    scene: Scene, language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No column is cut off at the right edge (with an automatic table layout the widest
    tables ran past it)."""
    with translation.override(language), captured_html(monkeypatch) as html:
        report_export(report_live(week=WEEK, audience="stuurgroep"), "pdf")
        assert assert_fits_the_page(html[0]) >= 3
