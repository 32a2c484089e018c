"""Loading a region's reference data (organisations, bodies, seats, regimes, decisions).

The format is documented in ``docs/reference-data.md``. Every record has a stable key, so the
load is idempotent: a second run reports everything as unchanged.
"""

import csv
import datetime
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from .constants import MembershipKind, OrganisationKind, RelationKind
from .models import (
    Body,
    CommissioningRole,
    Decision,
    Membership,
    Organisation,
    PopulationFigure,
    Relation,
    ResponsibilityRegime,
    Seat,
)

REFERENCE_ROOT = Path(__file__).resolve().parent.parent / "reference"
REFERENCE_LOCK_ID = 7_251_001  # arbitrary, fixed: the advisory lock of reference loads


class ReferenceDataError(Exception):
    """The reference files are missing or inconsistent. Nothing has been written."""


@dataclass
class LoadReport:
    region: str
    counts: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, label: str, outcome: str) -> None:
        self.counts.setdefault(label, Counter())[outcome] += 1

    @property
    def changed(self) -> int:
        return sum(c["created"] + c["updated"] for c in self.counts.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "changed": self.changed,
            "records": {
                label: {k: c[k] for k in ("created", "updated", "unchanged")}
                for label, c in self.counts.items()
            },
        }


def available_regions() -> list[str]:
    return sorted(p.name for p in REFERENCE_ROOT.iterdir() if (p / "region.yaml").is_file())


def _upsert(
    report: LoadReport,
    model: type[models.Model],
    key: dict[str, Any],
    values: dict[str, Any],
) -> Any:
    label = str(model._meta.model_name)
    obj = model._default_manager.filter(**key).first()
    if obj is None:
        obj = model(**key, **values)
        outcome = "created"
    else:
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if not changed:
            report.add(label, "unchanged")
            return obj
        for name in changed:
            setattr(obj, name, values[name])
        outcome = "updated"
    try:
        obj.full_clean(validate_unique=False)
    except ValidationError as exc:
        raise ReferenceDataError(
            _("Invalid %(label)s %(key)s: %(errors)s")
            % {"label": label, "key": key, "errors": "; ".join(exc.messages)}
        ) from exc
    obj.save()
    report.add(label, outcome)
    return obj


def parse_date(value: Any, where: str) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ReferenceDataError(
            _("%(where)s: '%(value)s' is not a date (YYYY-MM-DD).")
            % {"where": where, "value": value}
        ) from exc


PERIOD = {"valid_from", "valid_to"}
ALLOWED_KEYS: dict[str, set[str]] = {
    "organisation": {
        "code",
        "kind",
        "name",
        "short_name",
        "cbs_code",
        "region_kind",
        "legal_form",
        "description",
        "source",
    }
    | PERIOD,
    "membership": {"member", "group", "kind"} | PERIOD,
    "body": {
        "code",
        "name",
        "short_name",
        "kind",
        "level",
        "organisation",
        "secretary_organisation",
        "secretary_function",
        "tasks",
        "note",
        "source",
        "seats",
        "member_seats",
    }
    | PERIOD,
    "seat": {"code", "role", "holder_name", "holder_function", "organisation", "note"} | PERIOD,
    "member_seats": {"of", "role", "holder_function", "chair"},
    "relation": {
        "code",
        "kind",
        "source_body",
        "source_organisation",
        "target_body",
        "target_organisation",
        "description",
    }
    | PERIOD,
    "supports": {"code", "group"} | PERIOD,
    "commissioning_role": {
        "code",
        "organisation",
        "kind",
        "body",
        "holder_function",
        "holder_organisation",
        "source",
    }
    | PERIOD,
    "regime": {
        "code",
        "name",
        "holder",
        "legal_basis",
        "in_force_from",
        "confirmed",
        "source",
        "note",
    },
    "decision": {
        "code",
        "body",
        "organisation",
        "decision_maker",
        "decided_on",
        "date_confirmed",
        "subject",
        "outcome",
        "note",
        "source",
    },
    "college_decisions": {
        "code",
        "group",
        "decision_maker",
        "decided_on",
        "date_confirmed",
        "subject",
        "outcome",
        "note",
        "source",
    },
}


def _check_keys(row: Any, section: str, where: str) -> None:
    """Unknown keys are refused, so a typo never silently drops a fact."""
    if not isinstance(row, dict):
        raise ReferenceDataError(_("%(where)s: expected a mapping.") % {"where": where})
    unknown = set(row) - ALLOWED_KEYS[section]
    if unknown:
        raise ReferenceDataError(
            _("%(where)s: unknown field(s) %(fields)s.")
            % {"where": where, "fields": ", ".join(sorted(map(str, unknown)))}
        )


def _period(row: dict[str, Any], where: str) -> dict[str, datetime.date | None]:
    return {
        "valid_from": parse_date(row.get("valid_from"), where),
        "valid_to": parse_date(row.get("valid_to"), where),
    }


class _Loader:
    def __init__(self, region: str, folder: Path) -> None:
        self.folder = folder
        self.report = LoadReport(region=region)
        self.organisations: dict[str, Organisation] = {}
        self.bodies: dict[str, Body] = {}

    def org(self, code: str | None, where: str) -> Organisation | None:
        if not code:
            return None
        if code not in self.organisations:
            found = Organisation.objects.filter(code=code).first()
            if found is None:
                raise ReferenceDataError(
                    _("%(where)s: unknown organisation '%(code)s'.")
                    % {"where": where, "code": code}
                )
            self.organisations[code] = found
        return self.organisations[code]

    def body(self, code: str | None, where: str) -> Body | None:
        if not code:
            return None
        if code not in self.bodies:
            raise ReferenceDataError(
                _("%(where)s: unknown body '%(code)s'.") % {"where": where, "code": code}
            )
        return self.bodies[code]

    def members_of(self, group_code: str) -> list[Organisation]:
        group = self.org(group_code, group_code)
        return list(
            Organisation.objects.filter(
                memberships__group=group, kind=OrganisationKind.MUNICIPALITY
            )
            .distinct()
            .order_by("name")
        )

    # -- sections ---------------------------------------------------------------------------

    def organisations_section(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            where = f"organisations/{row.get('code')}"
            _check_keys(row, "organisation", where)
            obj = _upsert(
                self.report,
                Organisation,
                {"code": row["code"]},
                {
                    "kind": row["kind"],
                    "name": row["name"],
                    "short_name": row.get("short_name", ""),
                    "cbs_code": row.get("cbs_code") or None,
                    "region_kind": row.get("region_kind", ""),
                    "legal_form": row.get("legal_form", ""),
                    "description": (row.get("description") or "").strip(),
                    "source": row.get("source", ""),
                    **_period(row, where),
                },
            )
            self.organisations[obj.code] = obj

    def municipalities_section(self, spec: dict[str, Any]) -> None:
        path = self.folder / spec["file"]
        if not path.is_file():
            raise ReferenceDataError(_("File not found: %(path)s") % {"path": path.name})
        regions: dict[str, dict[str, str]] = spec.get("regions", {})
        kinds = {
            "cooperation_region": MembershipKind.COOPERATION,
            "safety_region": MembershipKind.SAFETY_REGION,
            "province": MembershipKind.PROVINCE,
        }
        with path.open(newline="", encoding="utf-8") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                where = f"{path.name}:{line}"
                try:
                    population = int(row["population"])
                except (KeyError, ValueError) as exc:
                    raise ReferenceDataError(
                        _("%(where)s: population must be a whole number.") % {"where": where}
                    ) from exc
                municipality = _upsert(
                    self.report,
                    Organisation,
                    {"code": row["cbs_code"]},
                    {
                        "kind": OrganisationKind.MUNICIPALITY,
                        "name": row["name"],
                        "short_name": "",
                        "cbs_code": row["cbs_code"],
                        "region_kind": "",
                        "legal_form": "",
                        "description": "",
                        "source": spec.get("population_source", ""),
                        "valid_from": None,
                        "valid_to": None,
                    },
                )
                self.organisations[municipality.code] = municipality
                _upsert(
                    self.report,
                    PopulationFigure,
                    {
                        "organisation": municipality,
                        "reference_date": parse_date(row["population_date"], where),
                    },
                    {
                        "population": population,
                        "status": row.get("population_status", ""),
                        "source": spec.get("population_source", ""),
                    },
                )
                for column, kind in kinds.items():
                    mapping = regions.get(column, {})
                    if row.get(column) not in mapping:
                        raise ReferenceDataError(
                            _("%(where)s: no organisation is named for %(column)s '%(value)s'.")
                            % {"where": where, "column": column, "value": row.get(column)}
                        )
                    group = self.org(mapping[row[column]], where)
                    _upsert(
                        self.report,
                        Membership,
                        {"member": municipality, "group": group, "kind": kind, "valid_from": None},
                        {"valid_to": None},
                    )

    def memberships_section(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            where = f"memberships/{row['member']}"
            _check_keys(row, "membership", where)
            period = _period(row, where)
            _upsert(
                self.report,
                Membership,
                {
                    "member": self.org(row["member"], where),
                    "group": self.org(row["group"], where),
                    "kind": row["kind"],
                    "valid_from": period["valid_from"],
                },
                {"valid_to": period["valid_to"]},
            )

    def bodies_section(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            where = f"bodies/{row.get('code')}"
            _check_keys(row, "body", where)
            body = _upsert(
                self.report,
                Body,
                {"code": row["code"]},
                {
                    "name": row["name"],
                    "short_name": row.get("short_name", ""),
                    "kind": row["kind"],
                    "level": row["level"],
                    "organisation": self.org(row.get("organisation"), where),
                    "secretary_organisation": self.org(row.get("secretary_organisation"), where),
                    "secretary_function": row.get("secretary_function", ""),
                    "tasks": (row.get("tasks") or "").strip(),
                    "note": (row.get("note") or "").strip(),
                    "source": row.get("source", ""),
                    **_period(row, where),
                },
            )
            self.bodies[body.code] = body
            body_period = _period(row, where)
            for seat in row.get("seats", []):
                self.seat(body, seat, body_period, f"{where}/{seat.get('code')}")
            template = row.get("member_seats")
            if template:
                _check_keys(template, "member_seats", f"{where}/member_seats")
                for municipality in self.members_of(template["of"]):
                    role = template.get("role", "member")
                    if municipality.code == template.get("chair"):
                        role = "chair"
                    self.seat(
                        body,
                        {
                            "code": f"{municipality.code.lower()}",
                            "role": role,
                            "holder_function": template["holder_function"].format(
                                name=municipality.name
                            ),
                            "organisation": municipality.code,
                        },
                        body_period,
                        f"{where}/{municipality.code}",
                    )

    def seat(
        self,
        body: Body,
        row: dict[str, Any],
        body_period: dict[str, datetime.date | None],
        where: str,
    ) -> None:
        _check_keys(row, "seat", where)
        period = _period(row, where)
        _upsert(
            self.report,
            Seat,
            {"body": body, "code": row["code"]},
            {
                "role": row["role"],
                "holder_name": row.get("holder_name", ""),
                "holder_function": row.get("holder_function", ""),
                "organisation": self.org(row.get("organisation"), where),
                "note": row.get("note", ""),
                "valid_from": period["valid_from"] or body_period["valid_from"],
                "valid_to": period["valid_to"] or body_period["valid_to"],
            },
        )

    def relations_section(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            where = f"relations/{row.get('code')}"
            _check_keys(row, "relation", where)
            _upsert(
                self.report,
                Relation,
                {"code": row["code"]},
                {
                    "kind": row["kind"],
                    "source_body": self.body(row.get("source_body"), where),
                    "source_organisation": self.org(row.get("source_organisation"), where),
                    "target_body": self.body(row.get("target_body"), where),
                    "target_organisation": self.org(row.get("target_organisation"), where),
                    "description": row.get("description", ""),
                    **_period(row, where),
                },
            )

    def supports_section(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            where = f"supports_members/{row['code']}"
            _check_keys(row, "supports", where)
            source = self.org(row["code"], where)
            for municipality in self.members_of(row["group"]):
                _upsert(
                    self.report,
                    Relation,
                    {"code": f"{row['code']}-supports-{municipality.code.lower()}"},
                    {
                        "kind": RelationKind.SUPPORTS,
                        "source_body": None,
                        "source_organisation": source,
                        "target_body": None,
                        "target_organisation": municipality,
                        "description": "",
                        **_period(row, where),
                    },
                )

    def commissioning_section(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            where = f"commissioning_roles/{row.get('code')}"
            _check_keys(row, "commissioning_role", where)
            _upsert(
                self.report,
                CommissioningRole,
                {"code": row["code"]},
                {
                    "organisation": self.org(row["organisation"], where),
                    "kind": row["kind"],
                    "body": self.body(row.get("body"), where),
                    "holder_function": row.get("holder_function", ""),
                    "holder_organisation": self.org(row.get("holder_organisation"), where),
                    "source": row.get("source", ""),
                    **_period(row, where),
                },
            )

    def regimes_section(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            where = f"regimes/{row.get('code')}"
            _check_keys(row, "regime", where)
            existing = ResponsibilityRegime.objects.filter(code=row["code"]).first()
            confirmed = bool(row.get("confirmed", False))
            values: dict[str, Any] = {
                "name": row["name"],
                "holder": row["holder"],
                "legal_basis": row["legal_basis"],
                "in_force_from": parse_date(row["in_force_from"], where),
                "in_force_confirmed": confirmed,
                "source": row.get("source", ""),
                "note": (row.get("note") or "").strip(),
            }
            if existing is not None and existing.in_force_confirmed and not confirmed:
                # A date someone confirmed from the decree is never replaced by an estimate.
                for name in ("in_force_from", "in_force_confirmed", "note", "source"):
                    values[name] = getattr(existing, name)
            _upsert(self.report, ResponsibilityRegime, {"code": row["code"]}, values)

    def decisions_section(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            where = f"decisions/{row.get('code')}"
            _check_keys(row, "decision", where)
            self.decision(row, where)

    def college_decisions_section(self, spec: dict[str, Any]) -> None:
        _check_keys(spec, "college_decisions", "college_decisions")
        for municipality in self.members_of(spec["group"]):
            row = {
                **{k: v for k, v in spec.items() if k != "group"},
                "code": spec["code"].format(cbs_code=municipality.code.lower()),
                "organisation": municipality.code,
            }
            self.decision(row, f"college_decisions/{municipality.code}")

    def decision(self, row: dict[str, Any], where: str) -> None:
        _upsert(
            self.report,
            Decision,
            {"code": row["code"]},
            {
                "body": self.body(row.get("body"), where),
                "organisation": self.org(row.get("organisation"), where),
                "decision_maker": row["decision_maker"],
                "decided_on": parse_date(row["decided_on"], where),
                "date_confirmed": bool(row.get("date_confirmed", True)),
                "subject": row["subject"],
                "outcome": row["outcome"],
                "note": row.get("note", ""),
                "source": row.get("source", ""),
            },
        )


def _serialise_loads() -> None:
    """Concurrent loads wait for each other, so the second sees the first's rows (PostgreSQL).

    SQLite needs nothing: its transactions here start IMMEDIATE and so hold the write lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REFERENCE_LOCK_ID])


def read_region(region: str) -> dict[str, Any]:
    """The parsed ``region.yaml`` of a region (sections of other apps included)."""
    folder = REFERENCE_ROOT / region
    if not (folder / "region.yaml").is_file():
        raise ReferenceDataError(
            _("Unknown region '%(region)s'. Available: %(available)s.")
            % {"region": region, "available": ", ".join(available_regions())}
        )
    try:
        data = yaml.safe_load((folder / "region.yaml").read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ReferenceDataError(
            _("region.yaml is not valid YAML: %(error)s") % {"error": exc}
        ) from exc
    if not isinstance(data, dict):
        raise ReferenceDataError(_("region.yaml must be a mapping of sections."))
    return data


# Sections that other apps load from the same file (see their reference modules).
OTHER_APPS_SECTIONS = {
    "locations",
    "distribution_keys",
    "regional_tasks",
    "standard_rates",
    "living_allowance_tables",
    "personal_contribution_rules",
}
KNOWN_SECTIONS = {
    "region",
    "name",
    "sources",
    "organisations",
    "municipalities",
    "memberships",
    "bodies",
    "relations",
    "supports_members",
    "commissioning_roles",
    "regimes",
    "decisions",
    "college_decisions",
} | OTHER_APPS_SECTIONS


@transaction.atomic
def reference_load(*, region: str) -> LoadReport:
    """Load (or bring up to date) the registry part of ``region`` in one transaction."""
    folder = REFERENCE_ROOT / region
    data = read_region(region)
    unknown = set(data) - KNOWN_SECTIONS
    if unknown:
        raise ReferenceDataError(
            _("region.yaml: unknown section(s) %(sections)s.")
            % {"sections": ", ".join(sorted(map(str, unknown)))}
        )
    _serialise_loads()
    loader = _Loader(region, folder)
    try:
        loader.organisations_section(data.get("organisations", []))
        if "municipalities" in data:
            loader.municipalities_section(data["municipalities"])
        loader.memberships_section(data.get("memberships", []))
        loader.bodies_section(data.get("bodies", []))
        loader.relations_section(data.get("relations", []))
        loader.supports_section(data.get("supports_members", []))
        loader.commissioning_section(data.get("commissioning_roles", []))
        loader.regimes_section(data.get("regimes", []))
        loader.decisions_section(data.get("decisions", []))
        if "college_decisions" in data:
            loader.college_decisions_section(data["college_decisions"])
    except KeyError as exc:
        raise ReferenceDataError(
            _("A required field is missing: %(field)s") % {"field": exc.args[0]}
        ) from exc
    return loader.report
