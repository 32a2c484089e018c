"""Tabular layouts (CSV/XLSX) of the finance figures, shared by the pages and the commands.

Column names are stable keys (as in the other exports), so that a spreadsheet that reads them
keeps working in either language.
"""

from collections.abc import Sequence
from typing import Any

from .constants import RateKind
from .selectors import AllowanceFigures

Table = tuple[list[str], list[Sequence[Any]]]

DECLARATION_COLUMNS = [
    "municipality",
    "municipality_name",
    "location",
    "location_name",
    "location_type",
    "kind",
    "unit",
    "first_day",
    "last_day",
    "quantity",
    "rate",
    "rate_code",
    "divisor",
    "amount",
]


def declaration_table(figures: dict[str, Any]) -> Table:
    """One row per location and rate segment, then a total row: for the finance department.

    Takes the figures as frozen (``as_dict``), so a submitted version exports exactly as
    submitted."""
    rows: list[Sequence[Any]] = [
        [
            figures["municipality"],
            figures["municipality_name"],
            line["location"],
            line["location_name"],
            line["location_type"],
            line["kind"],
            line["unit"],
            line["first_day"],
            line["last_day"],
            line["quantity"],
            line["rate"] or "",
            line["rate_code"] or "",
            line["divisor"],
            line["amount"],
        ]
        for line in figures["lines"]
    ]
    rows.append(
        [figures["municipality"], figures["municipality_name"], "", "total", "", "", "",
         figures["first_day"], figures["last_day"], "", "", "", "", figures["total"]]
    )  # fmt: skip
    return DECLARATION_COLUMNS, rows


SISA_COLUMNS = ["municipality", "municipality_name", "first_day", "last_day", "indicator", "value"]


def declaration_sisa_table(figures: dict[str, Any]) -> Table:
    """The figures the SiSa return asks for: place-days and amounts per kind, and the total.

    The indicator codes of a given year's SiSa sheet are not in our sources; each row carries a
    stable name that the municipality maps to its sheet's code."""
    head = [
        figures["municipality"],
        figures["municipality_name"],
        figures["first_day"],
        figures["last_day"],
    ]
    rows: list[Sequence[Any]] = []
    for kind in RateKind.values:
        totals = figures["totals"].get(kind, {"quantity": 0, "amount": "0.00"})
        unit = "place_days" if kind == RateKind.MUNICIPAL_RECEPTION else "person_days"
        rows.append([*head, f"{kind}_{unit}", totals["quantity"]])
        rows.append([*head, f"{kind}_amount", totals["amount"]])
    rows.append([*head, "total_amount", figures["total"]])
    return SISA_COLUMNS, rows


ALLOWANCE_COLUMNS = [
    "municipality",
    "month",
    "household",
    "reference",
    "days",
    "persons",
    "earners",
    "allowance",
    "contribution",
]
ALLOWANCE_TOTAL_COLUMNS = ["municipality", "month", "households", "allowance", "contribution"]


def allowance_table(figures: AllowanceFigures, *, per_household: bool) -> Table:
    """Per household (for those who may see it) and a total row; otherwise only the totals."""
    month = figures.month.strftime("%Y-%m")
    if not per_household:
        return ALLOWANCE_TOTAL_COLUMNS, [
            [
                figures.municipality_code,
                month,
                len(figures.households),
                str(figures.allowance_total),
                str(figures.contribution_total),
            ]
        ]
    rows: list[Sequence[Any]] = [
        [
            figures.municipality_code,
            month,
            h.household_uuid,
            h.household,
            h.days,
            h.persons,
            h.earners,
            str(h.allowance),
            str(h.contribution),
        ]
        for h in figures.households
    ]
    rows.append(
        [figures.municipality_code, month, "", "total", "", "", "",
         str(figures.allowance_total), str(figures.contribution_total)]
    )  # fmt: skip
    return ALLOWANCE_COLUMNS, rows


COST_COLUMNS = ["date", "category", "description", "amount", "document"]


def cost_table(figures: dict[str, Any]) -> Table:
    """Every cost entry, then a subtotal per category and the total (figures as frozen)."""
    rows: list[Sequence[Any]] = [
        [e["date"], e["category"], e["description"], e["amount"], e["document"]]
        for e in figures["entries"]
    ]
    for category, values in figures["categories"].items():
        rows.append(["", category, "subtotal", values["amount"], ""])
    rows.append(["", "", "total", figures["total"], ""])
    return COST_COLUMNS, rows
