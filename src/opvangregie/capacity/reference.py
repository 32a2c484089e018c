"""The capacity part of a region's reference data: the locations the region runs itself."""

import datetime
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from opvangregie.organisations.models import Organisation
from opvangregie.organisations.reference import (
    LoadReport,
    ReferenceDataError,
    parse_date,
    read_region,
    reference_load,
)

from .models import DistributionKey, Location, RegionalTask
from .services import distribution_key_from_population, location_create, task_targets_compute

LOCATION_KEYS = {
    "external_id",
    "name",
    "type",
    "municipality",
    "street",
    "postcode",
    "place",
    "beds",
    "blocked_beds",
    "status",
    "opens_on",
    "features",
    "is_backup",
    "lets_units",
    "note",
}


def locations_load(*, rows: list[dict[str, Any]], report: LoadReport) -> None:
    for row in rows:
        where = f"locations/{row.get('external_id')}"
        unknown = set(row) - LOCATION_KEYS
        if unknown:
            raise ReferenceDataError(
                _("%(where)s: unknown field(s) %(fields)s.")
                % {"where": where, "fields": ", ".join(sorted(unknown))}
            )
        if Location.objects.filter(external_id=row["external_id"]).exists():
            report.add("location", "unchanged")
            continue
        municipality = Organisation.objects.filter(code=row["municipality"]).first()
        if municipality is None:
            raise ReferenceDataError(
                _("%(where)s: unknown organisation '%(code)s'.")
                % {"where": where, "code": row["municipality"]}
            )
        opens_on = parse_date(row.get("opens_on"), f"{where}/opens_on")
        if opens_on is None:
            raise ReferenceDataError(
                _("A required field is missing: %(field)s") % {"field": f"{where}/opens_on"}
            )
        location_create(
            external_id=row["external_id"],
            name=row["name"],
            type=row["type"],
            municipality=municipality,
            beds=int(row["beds"]),
            blocked_beds=int(row.get("blocked_beds", 0)),
            status=row.get("status", "open"),
            opens_on=opens_on,
            features=row.get("features", []),
            is_backup=bool(row.get("is_backup", False)),
            lets_units=bool(row.get("lets_units", False)),
            street=row.get("street", ""),
            postcode=row.get("postcode", ""),
            place=row.get("place", ""),
            note=(row.get("note") or "").strip(),
        )
        report.add("location", "created")


def keys_load(*, rows: list[dict[str, Any]], report: LoadReport) -> None:
    for row in rows:
        region = Organisation.objects.get(code=row["region"])
        before = DistributionKey.objects.filter(code=row["code"]).first()
        old = dict(before.shares.values_list("municipality__code", "weight")) if before else None
        key = distribution_key_from_population(
            code=row["code"],
            name=row["name"],
            region=region,
            valid_from=parse_date(row.get("valid_from"), f"{row.get('code')}/valid_from"),
            on=parse_date(row.get("population_on"), f"{row.get('code')}/population_on")
            or datetime.date.max,
            source=row.get("source", ""),
        )
        new = dict(key.shares.values_list("municipality__code", "weight"))
        report.add(
            "distributionkey",
            "created" if old is None else "unchanged" if old == new else "updated",
        )


def tasks_load(*, rows: list[dict[str, Any]], report: LoadReport) -> None:
    for row in rows:
        values = {
            "kind": row["kind"],
            "region": Organisation.objects.get(code=row["region"]),
            "total": int(row["total"]),
            "key": DistributionKey.objects.get(code=row["key"]) if row.get("key") else None,
            "valid_from": parse_date(row.get("valid_from"), f"{row.get('code')}/valid_from"),
            "valid_to": parse_date(row.get("valid_to"), f"{row.get('code')}/valid_to"),
            "source": row.get("source", ""),
        }
        task = RegionalTask.objects.filter(code=row["code"]).first()
        if task is not None and all(getattr(task, k) == v for k, v in values.items()):
            report.add("regionaltask", "unchanged")
        else:
            task, created = RegionalTask.objects.update_or_create(code=row["code"], defaults=values)
            report.add("regionaltask", "created" if created else "updated")
        before = dict(task.targets.values_list("municipality__code", "amount"))
        if task.key is not None:
            task_targets_compute(task=task)
        after = dict(task.targets.values_list("municipality__code", "amount"))
        for code in after:
            report.add(
                "target",
                "created"
                if code not in before
                else "unchanged"
                if before[code] == after[code]
                else "updated",
            )


@transaction.atomic
def reference_load_all(*, region: str) -> LoadReport:
    """The organisations' reference data, then the locations, then the sections of the apps
    above (an app's config names its loader in ``reference_loader``: this app may not import
    them), in one transaction."""
    report = reference_load(region=region)
    data = read_region(region)
    locations_load(rows=data.get("locations", []), report=report)
    keys_load(rows=data.get("distribution_keys", []), report=report)
    tasks_load(rows=data.get("regional_tasks", []), report=report)
    for config in apps.get_app_configs():
        loader = getattr(config, "reference_loader", None)
        if loader:
            import_string(loader)(data=data, report=report)
    return report
