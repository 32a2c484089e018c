"""Chart.js configurations built on the server: the page carries them as JSON (json_script) and
one static script draws every chart, so that no page needs an inline script (the Content
Security Policy allows none)."""

from dataclasses import dataclass
from typing import Any

BLUE, ORANGE, GREY, GREEN = "#154273", "#b34f00", "#5c5c5c", "#39870c"


@dataclass(frozen=True)
class Series:
    label: str
    values: list[Any]
    color: str = BLUE
    stepped: bool = False
    dashed: bool = False
    fill: bool = False


def chart(
    kind: str, labels: list[str], series: list[Series], *, stacked: bool = False
) -> dict[str, Any]:
    datasets = []
    for s in series:
        dataset: dict[str, Any] = {
            "label": str(s.label),
            "data": s.values,
            "borderColor": s.color,
            "backgroundColor": s.color + ("26" if s.fill else "cc"),
            "pointRadius": 0,
        }
        if s.stepped:
            dataset["stepped"] = True
        if s.dashed:
            dataset["borderDash"] = [4, 3]
        if s.fill:
            dataset["fill"] = True
        datasets.append(dataset)
    scales: dict[str, Any] = {"y": {"beginAtZero": True}}
    if stacked:
        scales = {"x": {"stacked": True}, "y": {"beginAtZero": True, "stacked": True}}
    return {
        "type": kind,
        "data": {"labels": labels, "datasets": datasets},
        "options": {"animation": False, "scales": scales},
    }
