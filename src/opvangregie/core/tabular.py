"""Reading CSV and XLSX files into rows of text, with the row numbers a person sees."""

import csv
import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import load_workbook


class TableError(ValueError):
    pass


@dataclass(frozen=True)
class Row:
    number: int  # as in a spreadsheet: the header is row 1
    values: dict[str, str]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(path: Path) -> tuple[list[str], Iterator[Row]]:
    """Header and rows of a CSV (comma or semicolon, UTF-8) or XLSX (first sheet) file."""
    if not path.is_file():
        raise TableError(_("File not found: %(path)s") % {"path": path})
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path)
    if path.suffix.lower() in (".csv", ".txt"):
        return _read_csv(path)
    raise TableError(_("Use a .csv or .xlsx file."))


def _read_csv(path: Path) -> tuple[list[str], Iterator[Row]]:
    text = path.read_text(encoding="utf-8-sig")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration as exc:
        raise TableError(_("The file is empty.")) from exc

    def rows() -> Iterator[Row]:
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            yield Row(number, {h: _text(v) for h, v in zip(header, values, strict=False)})

    return header, rows()


def _read_xlsx(path: Path) -> tuple[list[str], Iterator[Row]]:
    workbook = load_workbook(path, read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    try:
        header = [_text(h).lower() for h in next(lines)]
    except StopIteration as exc:
        raise TableError(_("The file is empty.")) from exc

    def rows() -> Iterator[Row]:
        for number, values in enumerate(lines, start=2):
            if not any(v not in (None, "") for v in values):
                continue
            yield Row(number, {h: _text(v) for h, v in zip(header, values, strict=False)})

    return header, rows()
