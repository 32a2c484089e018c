import pytest
from django.template import engines

from opvangregie.core.pdf import _no_fetch, render_pdf


def test_a_template_becomes_a_pdf(tmp_path: object, settings: object) -> None:
    pdf = render_pdf("pdf_smoke.html", {"title": "Weekrapport ë"})
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 500


def test_nothing_is_fetched_from_outside() -> None:
    with pytest.raises(ValueError, match="fetches nothing"):
        _no_fetch("https://example.org/logo.png")
    assert engines["django"]
