"""The finance sections of a region's reference data: standard rates, living allowance tables,
personal contribution rules (format: docs/reference-data.md).

Each record is created once by its code. Afterwards an administrator maintains it in the admin:
a reload reports it as unchanged and never overwrites an edit (declarations already submitted
keep their own frozen figures in any case).
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from opvangregie.organisations.reference import LoadReport, ReferenceDataError, parse_date

from .constants import RateKind
from .models import LivingAllowanceRow, LivingAllowanceTable, PersonalContributionRule, StandardRate
from .selectors import rates_overlapping

PERIOD = {"valid_from", "valid_to"}
KEYS = {
    "standard_rates": {"code", "kind", "amount", "source", "note"} | PERIOD,
    "living_allowance_tables": {"code", "name", "adult_age", "rows", "source", "note"} | PERIOD,
    "living_allowance_rows": {"household_size", "base_amount", "per_adult", "per_child"},
    "personal_contribution_rules": {
        "code",
        "per_adult",
        "catering_per_adult",
        "household_maximum",
        "adult_age",
        "source",
        "note",
    }
    | PERIOD,
}


def _check_keys(row: dict[str, Any], section: str, where: str) -> None:
    unknown = set(row) - KEYS[section]
    if unknown:
        raise ReferenceDataError(
            _("%(where)s: unknown field(s) %(fields)s.")
            % {"where": where, "fields": ", ".join(sorted(unknown))}
        )


def _amount(value: Any, where: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise ReferenceDataError(
            _("%(where)s: '%(value)s' is not an amount.") % {"where": where, "value": value}
        ) from exc
    if amount != amount.quantize(Decimal("0.01")):
        raise ReferenceDataError(
            _("%(where)s: an amount has at most two decimals.") % {"where": where}
        )
    return amount


def _period(row: dict[str, Any], where: str) -> dict[str, Any]:
    return {
        "valid_from": parse_date(row.get("valid_from"), f"{where}/valid_from"),
        "valid_to": parse_date(row.get("valid_to"), f"{where}/valid_to"),
    }


def _create(report: LoadReport, obj: models.Model, where: str) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise ReferenceDataError(f"{where}: {'; '.join(exc.messages)}") from exc
    obj.save()
    report.add(str(obj._meta.model_name), "created")


def rates_load(*, rows: list[dict[str, Any]], report: LoadReport) -> None:
    for row in rows:
        where = f"standard_rates/{row.get('code')}"
        _check_keys(row, "standard_rates", where)
        if StandardRate.objects.filter(code=row["code"]).exists():
            report.add("standardrate", "unchanged")
            continue
        if row["kind"] not in RateKind.values:
            raise ReferenceDataError(
                _("%(where)s: unknown kind '%(kind)s'.") % {"where": where, "kind": row["kind"]}
            )
        period = _period(row, where)
        clash = rates_overlapping(kind=row["kind"], **period).first()
        if clash is not None:
            raise ReferenceDataError(
                _("%(where)s: overlaps the rate %(code)s.") % {"where": where, "code": clash.code}
            )
        rate = StandardRate(
            code=row["code"],
            kind=row["kind"],
            amount=_amount(row["amount"], f"{where}/amount"),
            source=row.get("source", ""),
            note=row.get("note", ""),
            **period,
        )
        _create(report, rate, where)


def tables_load(*, rows: list[dict[str, Any]], report: LoadReport) -> None:
    for row in rows:
        where = f"living_allowance_tables/{row.get('code')}"
        _check_keys(row, "living_allowance_tables", where)
        if LivingAllowanceTable.objects.filter(code=row["code"]).exists():
            report.add("livingallowancetable", "unchanged")
            continue
        table = LivingAllowanceTable(
            code=row["code"],
            name=row["name"],
            adult_age=int(row.get("adult_age", 18)),
            source=row.get("source", ""),
            note=row.get("note", ""),
            **_period(row, where),
        )
        _create(report, table, where)
        for number, line in enumerate(row.get("rows", []), start=1):
            line_where = f"{where}/rows/{number}"
            _check_keys(line, "living_allowance_rows", line_where)
            _create(
                report,
                LivingAllowanceRow(
                    table=table,
                    household_size=line.get("household_size"),
                    **{
                        name: _amount(line.get(name, "0"), f"{line_where}/{name}")
                        for name in ("base_amount", "per_adult", "per_child")
                    },
                ),
                line_where,
            )


def rules_load(*, rows: list[dict[str, Any]], report: LoadReport) -> None:
    for row in rows:
        where = f"personal_contribution_rules/{row.get('code')}"
        _check_keys(row, "personal_contribution_rules", where)
        if PersonalContributionRule.objects.filter(code=row["code"]).exists():
            report.add("personalcontributionrule", "unchanged")
            continue
        maximum = row.get("household_maximum")
        rule = PersonalContributionRule(
            code=row["code"],
            per_adult=_amount(row["per_adult"], f"{where}/per_adult"),
            catering_per_adult=_amount(
                row.get("catering_per_adult", "0"), f"{where}/catering_per_adult"
            ),
            household_maximum=None
            if maximum in (None, "")
            else _amount(maximum, f"{where}/household_maximum"),
            adult_age=int(row.get("adult_age", 18)),
            source=row.get("source", ""),
            note=row.get("note", ""),
            **_period(row, where),
        )
        _create(report, rule, where)


def finance_reference_load(*, data: dict[str, Any], report: LoadReport) -> None:
    """Called by ``capacity.reference.reference_load_all`` inside its transaction."""
    try:
        rates_load(rows=data.get("standard_rates", []), report=report)
        tables_load(rows=data.get("living_allowance_tables", []), report=report)
        rules_load(rows=data.get("personal_contribution_rules", []), report=report)
    except KeyError as exc:
        raise ReferenceDataError(
            _("A required field is missing: %(field)s") % {"field": exc.args[0]}
        ) from exc
