"""Checks on the layout of a PDF: nothing runs past the right edge of its page.

WeasyPrint lays a document out as boxes; a table whose columns do not fit is drawn past the
page's content box and its right-most columns are cut off in the PDF. The check reads the
laid-out boxes (``Page._page_box``, not public API: a WeasyPrint upgrade may need this
adapted)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from opvangregie.core import pdf


@contextmanager
def captured_html(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The HTML of every PDF rendered within the block."""
    pages: list[str] = []
    render = pdf.render_to_string

    def capture(*args: Any, **kwargs: Any) -> str:
        html = render(*args, **kwargs)
        pages.append(html)
        return html

    monkeypatch.setattr(pdf, "render_to_string", capture)
    yield pages


def assert_fits_the_page(html: str) -> int:
    """Lays ``html`` out as the PDF is and fails if a box ends right of its page's content box;
    returns the number of tables seen."""
    from weasyprint import HTML

    document = HTML(string=html, url_fetcher=pdf._no_fetch).render()
    tables = 0
    for number, page in enumerate(document.pages, start=1):
        box = page._page_box
        right = box.content_box_x() + box.width + 0.5
        for child in box.descendants():
            kind = type(child).__name__
            if kind not in ("TableBox", "TableCellBox", "LineBox", "BlockBox"):
                continue
            tables += kind == "TableBox"
            end = child.position_x + child.margin_width()
            assert end <= right, f"page {number}: a {kind} ends at {end:.0f} past {right:.0f}"
    return tables
