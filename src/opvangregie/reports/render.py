"""A report document rendered for people: the page and PDF context, charts, and the exports
(PDF for the meeting pack, XLSX with a sheet per table, CSV as one long table). Everything is
drawn from the document alone — a frozen report is rendered from its stored JSON, never
recomputed."""

from collections.abc import Iterable
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opvangregie.core import charts
from opvangregie.core.exports import CSV_TYPE, XLSX_TYPE, rows_to_csv
from opvangregie.core.pdf import render_pdf

from .constants import Audience, Format
from .selectors import FrozenReport
from .summary import summary_sentences
from .svg import COLORS, Line, bars_svg, lines_svg

PDF_TYPE = "application/pdf"

BREAKDOWN_LABELS = {
    "total": gettext_lazy("total"),
    "short_stay": gettext_lazy("short stay"),
    "long_stay": gettext_lazy("long stay"),
    "cno": gettext_lazy("CNO"),
    "municipal": gettext_lazy("municipal"),
    "private_hosting": gettext_lazy("private hosting"),
    "other": gettext_lazy("other"),
}
FIELD_LABELS = {
    "capacity": gettext_lazy("capacity"),
    "allocable": gettext_lazy("allocable"),
    "occupied": gettext_lazy("occupied"),
    "free_allocable": gettext_lazy("free allocable"),
    "occupancy_pct": gettext_lazy("occupancy %"),
    "arrivals": gettext_lazy("arrivals"),
    "arrivals_households": gettext_lazy("arriving households"),
    "departures": gettext_lazy("departures"),
    "departures_households": gettext_lazy("departing households"),
    "inflow": gettext_lazy("inflow"),
    "outflow": gettext_lazy("outflow"),
    "net": gettext_lazy("net"),
    "persons": gettext_lazy("persons"),
    "households": gettext_lazy("households"),
    "over_72h_persons": gettext_lazy("persons > 72 h"),
    "over_72h_households": gettext_lazy("households > 72 h"),
    "median_days": gettext_lazy("median days"),
    "max_days": gettext_lazy("longest (days)"),
    "target": gettext_lazy("target"),
    "realised": gettext_lazy("realised"),
    "difference": gettext_lazy("difference"),
    # xgettext:no-python-format
    "pct": gettext_lazy("% of target"),
    "ukrainian_target": gettext_lazy("Ukrainian places: target"),
    "ukrainian_realised": gettext_lazy("Ukrainian places: realised"),
    "asylum_durable": gettext_lazy("durable asylum places"),
    "status_holder": gettext_lazy("status holders"),
    "inflow_per_week": gettext_lazy("inflow a week"),
    "outflow_per_week": gettext_lazy("outflow a week"),
    "net_per_week": gettext_lazy("net a week"),
    "runs_out_on": gettext_lazy("runs out around"),
}
SECTION_LABELS = {
    "figures": gettext_lazy("Figures"),
    "flows": gettext_lazy("Inflow and outflow per week"),
    "flows_4_weeks": gettext_lazy("Last four weeks"),
    "waiting": gettext_lazy("Waiting at the CNO"),
    "targets": gettext_lazy("Target and realised"),
    "broad_task": gettext_lazy("The broad task"),
    "runway": gettext_lazy("Capacity runway"),
}
FIGURE_FIELDS = ("capacity", "allocable", "occupied", "free_allocable", "occupancy_pct")
FLOW_FIELDS = ("arrivals", "departures", "inflow", "outflow", "net")
TARGET_FIELDS = ("target", "realised", "difference", "pct")
BROAD_FIELDS = ("ukrainian_target", "ukrainian_realised", "asylum_durable", "status_holder")
RUNWAY_FIELDS = (
    "allocable",
    "occupied",
    "free_allocable",
    "inflow_per_week",
    "outflow_per_week",
    "net_per_week",
    "runs_out_on",
)
WAITING_FIELDS = (
    "persons",
    "households",
    "over_72h_persons",
    "over_72h_households",
    "median_days",
    "max_days",
)


def show(value: Any) -> str:
    """A value as printed: numbers in the active locale, marks as they are, nothing as "-"."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return number_format(value, 1)
    if isinstance(value, int):
        return number_format(value)
    return str(value)


def audience_title(audience: str) -> str:
    return str(Audience(audience).label)


def title(content: dict[str, Any]) -> str:
    return _("Weekly report %(audience)s, week %(week)s") % {
        "audience": audience_title(content["audience"]),
        "week": content["week"],
    }


# -- tables ------------------------------------------------------------------------------


def _table(
    name: str, headers: list[str], rows: Iterable[list[Any]], labels: int = 1
) -> dict[str, Any]:
    """``labels``: how many columns at the left name the row (the rest are values)."""
    rows = list(rows)
    return {
        "name": name,
        "headers": headers,
        "rows": rows,
        "shown": [[show(v) for v in row] for row in rows],
        "labels": labels,
    }


def tables(content: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's tables, in order: name, headers, raw rows and the rows as printed."""
    unit, week = str(_("unit")), str(_("week"))
    result = []
    figure_headers = [unit, str(_("breakdown"))] + [str(FIELD_LABELS[f]) for f in FIGURE_FIELDS]
    figure_headers += [str(_("occupied a week before")), str(_("change in occupied"))]
    figure_headers += [str(_("change in capacity"))]
    result.append(
        _table(
            str(_("Figures")),
            figure_headers,
            (
                [r["name"], str(BREAKDOWN_LABELS[r["breakdown"]])]
                + [r[f] for f in FIGURE_FIELDS]
                + [r["previous"]["occupied"], r["change"]["occupied"], r["change"]["capacity"]]
                for r in content["figures"]
            ),
            labels=2,
        )
    )
    flow_fields: tuple[str, ...] = ("arrivals", "arrivals_households", "departures")
    flow_fields += ("departures_households", "inflow", "outflow", "net")
    result.append(
        _table(
            str(_("Flows")),
            [unit, week] + [str(FIELD_LABELS[f]) for f in flow_fields],
            ([r["name"], r["week"]] + [r[f] for f in flow_fields] for r in content["flows"]),
            labels=2,
        )
    )
    result.append(
        _table(
            str(_("Four weeks")),
            [unit] + [str(FIELD_LABELS[f]) for f in FLOW_FIELDS],
            ([r["name"]] + [r[f] for f in FLOW_FIELDS] for r in content["flows_4_weeks"]),
        )
    )
    waiting = content["waiting"]
    result.append(
        _table(
            str(_("Waiting at the CNO")),
            [str(_("location"))] + [str(FIELD_LABELS[f]) for f in WAITING_FIELDS],
            [[str(_("all CNO locations"))] + [waiting[f] for f in WAITING_FIELDS]]
            + [
                [w["name"]] + [w[f] for f in WAITING_FIELDS] for w in waiting.get("by_location", [])
            ],
        )
    )
    result.append(
        _table(
            str(_("Targets")),
            [unit] + [str(FIELD_LABELS[f]) for f in TARGET_FIELDS],
            ([r["name"]] + [r[f] for f in TARGET_FIELDS] for r in content["targets"]),
        )
    )
    result.append(
        _table(
            str(_("Broad task")),
            [unit, str(_("housing region"))] + [str(FIELD_LABELS[f]) for f in BROAD_FIELDS],
            (
                [r["name"], r["housing_region"]] + [r[f] for f in BROAD_FIELDS]
                for r in content["broad_task"]
            ),
            labels=2,
        )
    )
    result.append(
        _table(
            str(_("Runway")),
            [unit] + [str(FIELD_LABELS[f]) for f in RUNWAY_FIELDS],
            ([r["name"]] + [r[f] for f in RUNWAY_FIELDS] for r in content["runway"]["units"]),
        )
    )
    return result


def assumptions(content: dict[str, Any]) -> list[str]:
    scenario = content["runway"]["scenario"]
    return [
        _(
            "Inflow and outflow a week: the average of the %(weeks)s whole weeks from %(start)s "
            "to %(end)s, per unit."
        )
        % {
            "weeks": scenario["weeks"],
            "start": scenario["basis_from"],
            "end": scenario["basis_to"],
        },
        _(
            "Allocable capacity follows the known changes after %(on)s (planned openings, "
            "capacity changes, closings)."
        )
        % {"on": content["on"]},
        _(
            "A straight line: stays already registered for later, seasons and the placement "
            "policy between the housing regions are not taken into account."
        ),
        _("The capacity runs out on the first day the projected free allocable places are 0."),
    ]


def change_rows(changes: list[dict[str, Any]]) -> list[list[str]]:
    """The differences with the previous version, as printed rows."""
    rows = []
    for c in changes:
        item = c["item"]
        rows.append(
            [
                str(SECTION_LABELS.get(c["section"], c["section"])),
                c["unit"],
                str(BREAKDOWN_LABELS.get(item, item)),
                str(FIELD_LABELS.get(c["field"], c["field"])),
                show(c["old"]),
                show(c["new"]),
            ]
        )
    return rows


# -- charts --------------------------------------------------------------------------------


def _top(content: dict[str, Any]) -> dict[str, Any] | None:
    return next((r for r in content["figures"] if r["breakdown"] == "total"), None)


def _chart_data(content: dict[str, Any]) -> dict[str, Any]:
    top = _top(content)
    flows = [
        f
        for f in content["flows"]
        if top is not None and (f["level"], f["code"]) == (top["level"], top["code"])
    ]
    lowest = (
        "municipality"
        if any(t["level"] == "municipality" for t in content["targets"])
        else ("housing_region")
    )
    targets = [t for t in content["targets"] if t["level"] == lowest]
    runway = content["runway"]["units"]
    days = [p["day"] for p in runway[0]["series"]] if runway and runway[0]["series"] else []
    long_short = [r for r in content["figures"] if r["breakdown"] in ("short_stay", "long_stay")]
    units = list(dict.fromkeys(r["name"] for r in long_short))
    return {
        "flows": (
            [f["week"] for f in flows],
            [
                Line(str(_("inflow")), [f["inflow"] for f in flows], COLORS[0]),
                Line(str(_("outflow")), [f["outflow"] for f in flows], COLORS[1]),
            ],
        ),
        "targets": (
            [t["name"] for t in targets],
            [
                Line(str(_("target")), [t["target"] for t in targets], COLORS[2]),
                Line(str(_("realised")), [t["realised"] for t in targets], COLORS[0]),
            ],
        ),
        "runway": (
            days,
            [
                Line(u["name"], [p["projected_free_allocable"] for p in u["series"]], COLORS[n % 4])
                for n, u in enumerate(runway)
                if u["series"]
            ],
        ),
        "free": (
            units,
            [
                Line(
                    str(BREAKDOWN_LABELS[b]),
                    [
                        next(
                            r["free_allocable"]
                            for r in long_short
                            if r["name"] == u and r["breakdown"] == b
                        )
                        for u in units
                    ],
                    COLORS[n],
                )
                for n, b in enumerate(("short_stay", "long_stay"))
            ],
        ),
    }


CHART_TITLES = {
    "flows": gettext_lazy("Inflow and outflow per week"),
    "targets": gettext_lazy("Target and realised places"),
    "runway": gettext_lazy("Projected free allocable places"),
    "free": gettext_lazy("Free allocable places, short and long stay"),
}


def svg_charts(content: dict[str, Any]) -> list[dict[str, Any]]:
    data = _chart_data(content)
    result = []
    for name, (labels, series) in data.items():
        if not labels or not series:
            continue
        heading = str(CHART_TITLES[name])
        draw = lines_svg if name == "runway" else bars_svg
        result.append({"name": name, "title": heading, "svg": draw(labels, series, title=heading)})
    return result


def page_charts(content: dict[str, Any]) -> list[dict[str, Any]]:
    """Chart.js configurations (drawn by the static charts.js; no inline scripts)."""
    data = _chart_data(content)
    result = []
    for name, (labels, series) in data.items():
        if not labels or not series:
            continue

        def values(line: Line) -> list[Any]:
            return [v if isinstance(v, int | float) else None for v in line.values]

        kind = "line" if name == "runway" else "bar"
        config = charts.chart(
            kind, list(labels), [charts.Series(s.label, values(s), s.color) for s in series]
        )
        if kind == "bar" and name in ("targets", "free"):
            config["options"]["indexAxis"] = "y"
        result.append({"id": f"chart-{name}", "title": str(CHART_TITLES[name]), "config": config})
    return result


# -- the whole report ---------------------------------------------------------------------


def report_context(content: dict[str, Any], frozen: FrozenReport | None = None) -> dict[str, Any]:
    return {
        "content": content,
        "title": title(content),
        "audience_title": audience_title(content["audience"]),
        "summary": summary_sentences(content["summary"]),
        "tables": tables(content),
        "assumptions": assumptions(content),
        "frozen": frozen,
        "changes": change_rows(frozen.changes) if frozen else [],
        "suppression": content["suppression"],
    }


def report_pdf(content: dict[str, Any], frozen: FrozenReport | None = None) -> bytes:
    context = report_context(content, frozen)
    context["charts"] = svg_charts(content)
    return render_pdf("reports/weekly_pdf.html", context)


def long_rows(content: dict[str, Any]) -> list[list[Any]]:
    """Every value of every table as one long table: week, audience, table, row, column, value."""
    rows = []
    for table in tables(content):
        n = table["labels"]
        for row in table["rows"]:
            label = " · ".join(str(v) for v in row[:n])
            for header, value in zip(table["headers"][n:], row[n:], strict=True):
                rows.append(
                    [content["week"], content["audience"], table["name"], label, header, value]
                )
    return rows


def report_xlsx(content: dict[str, Any], frozen: FrozenReport | None = None) -> bytes:
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    summary = workbook.active
    summary.title = str(_("Summary"))[:31]
    summary.append([title(content)])
    summary["A1"].font = Font(bold=True)
    if frozen is not None:
        summary.append(
            [
                _("Version %(version)s, issued %(at)s, checksum %(checksum)s")
                % {
                    "version": frozen.version,
                    "at": frozen.issued_at.isoformat(timespec="minutes"),
                    "checksum": frozen.checksum,
                }
            ]
        )
    for sentence in summary_sentences(content["summary"]):
        summary.append([sentence])
    for table in tables(content):
        sheet = workbook.create_sheet(table["name"][:31])
        sheet.append(table["headers"])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table["rows"]:
            sheet.append(row)
        sheet.freeze_panes = "A2"
    if frozen is not None and frozen.changes:
        sheet = workbook.create_sheet(str(_("Changes"))[:31])
        sheet.append([str(_("section")), str(_("unit")), "", "", str(_("was")), str(_("is"))])
        for row in change_rows(frozen.changes):
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_csv(content: dict[str, Any], frozen: FrozenReport | None = None) -> bytes:
    headers = ["week", "audience", "table", "row", "column", "value"]
    return rows_to_csv(headers, long_rows(content))


def report_export(
    content: dict[str, Any], fmt: str, frozen: FrozenReport | None = None
) -> tuple[bytes, str, str]:
    """The report in ``fmt``: (body, content type, file name)."""
    name = f"weekrapport-{content['audience']}-{content['week']}"
    if frozen is not None:
        name += f"-v{frozen.version}"
    if fmt == Format.PDF:
        return report_pdf(content, frozen), PDF_TYPE, f"{name}.pdf"
    if fmt == Format.XLSX:
        return report_xlsx(content, frozen), XLSX_TYPE, f"{name}.xlsx"
    if fmt == Format.CSV:
        return report_csv(content, frozen), CSV_TYPE, f"{name}.csv"
    raise ValueError(fmt)
