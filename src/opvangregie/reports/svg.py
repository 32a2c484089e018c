"""Charts as inline SVG for the PDF (WeasyPrint draws SVG; the pages use Chart.js instead).

Small and plain: horizontal grouped bars and lines, with labels escaped. Values that are not
numbers (a suppressed ``"<5"`` or ``"x"``) are left out of the chart.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from opvangregie.core.charts import BLUE, GREY, ORANGE

COLORS = (BLUE, ORANGE, GREY, "#39870c")


@dataclass(frozen=True)
class Line:
    label: str
    values: Sequence[float | int | str | None]
    color: str = BLUE


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _legend(series: Sequence[Line], x: float, y: float) -> list[str]:
    parts = []
    for n, s in enumerate(series):
        left = x + n * 170
        parts.append(f'<rect x="{left}" y="{y - 9}" width="10" height="10" fill="{s.color}"/>')
        parts.append(f'<text x="{left + 14}" y="{y}" font-size="10">{escape(str(s.label))}</text>')
    return parts


_LABEL_CHARS = 40


def _shortened(label: str) -> str:
    return label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1] + "…"


def bars_svg(labels: Sequence[str], series: Sequence[Line], *, title: str) -> SafeString:
    """Horizontal grouped bars: one group per label, one bar per series."""
    row, bar = 8 + 9 * len(series), 8
    # Room on the left for the longest label (about 5 units a character at size 9, at most
    # 40 characters, a longer one is cut with an ellipsis) and on the right for the values.
    longest = max((len(str(label)) for label in labels), default=0)
    left = 10 + 5 * min(max(longest, 20), _LABEL_CHARS)
    width = 500 - left - 40
    height = 30 + row * len(labels) + 20
    values = [v for s in series for v in map(_number, s.values) if v is not None]
    top = max([*values, 1.0])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="500" height="{height}" '
        f'viewBox="0 0 500 {height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    parts += _legend(series, left, 12)
    for i, label in enumerate(labels):
        y = 24 + i * row
        parts.append(
            f'<text x="{left - 6}" y="{y + row / 2 + 2}" font-size="9" text-anchor="end">'
            f"{escape(_shortened(str(label)))}</text>"
        )
        for j, s in enumerate(series):
            value = _number(s.values[i]) if i < len(s.values) else None
            if value is None:
                continue
            w = max(width * max(value, 0) / top, 0.5)
            parts.append(
                f'<rect x="{left}" y="{y + j * 9 + 2}" width="{w:.1f}" height="{bar}" '
                f'fill="{s.color}"/>'
            )
            parts.append(
                f'<text x="{left + w + 3:.1f}" y="{y + j * 9 + 9}" font-size="8">{value:g}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (built from escaped labels and numbers)


def lines_svg(labels: Sequence[str], series: Sequence[Line], *, title: str) -> SafeString:
    """Lines over the labels (e.g. weeks), with a zero line."""
    width, height, left, bottom = 500, 220, 40, 30
    plot_w, plot_h = width - left - 10, height - bottom - 30
    values = [v for s in series for v in map(_number, s.values) if v is not None]
    low, high = min([*values, 0.0]), max([*values, 1.0])
    span = (high - low) or 1.0

    def y_of(value: float) -> float:
        return 30 + plot_h * (high - value) / span

    def x_of(index: int) -> float:
        return left + plot_w * index / max(len(labels) - 1, 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    parts += _legend(series, left, 12)
    parts.append(
        f'<line x1="{left}" x2="{left + plot_w}" y1="{y_of(0):.1f}" y2="{y_of(0):.1f}" '
        'stroke="#999" stroke-width="0.5"/>'
    )
    for value in (low, high):
        parts.append(
            f'<text x="{left - 4}" y="{y_of(value) + 3:.1f}" font-size="8" text-anchor="end">'
            f"{value:g}</text>"
        )
    step = max(len(labels) // 6, 1)
    for i in range(0, len(labels), step):
        parts.append(
            f'<text x="{x_of(i):.1f}" y="{height - 12}" font-size="8" text-anchor="middle">'
            f"{escape(str(labels[i]))}</text>"
        )
    for s in series:
        points = [
            f"{x_of(i):.1f},{y_of(v):.1f}"
            for i, v in enumerate(map(_number, s.values))
            if v is not None
        ]
        if points:
            parts.append(
                f'<polyline fill="none" stroke="{s.color}" stroke-width="1.5" '
                f'points="{" ".join(points)}"/>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (built from escaped labels and numbers)
