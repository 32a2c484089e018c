"""PDF documents (meeting packs, weekly reports, declarations) rendered from Django templates by
WeasyPrint: the same HTML and CSS as the pages, no separate layout language. Fonts come from the
system (fontconfig); nothing is fetched from the internet — a ``url_fetcher`` refuses every
URL that is not a data: URL, so a template cannot make the server reach out."""

from typing import Any

from django.template.loader import render_to_string


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher

        return default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"PDF rendering fetches nothing from outside: {url}")


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render ``template_name`` with ``context`` to PDF bytes. Styles belong in the template
    (a <style> element); images as inline SVG or data: URLs."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()
