"""Importing locations from CSV/XLSX: every row is checked first; nothing is written unless all
rows are valid, and re-importing the same file changes nothing (rows match on external_id)."""

import datetime
from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opvangregie.core.dates import today
from opvangregie.core.imports import ImportFailedError, ImportReport, Problem, split_list
from opvangregie.core.tabular import Row
from opvangregie.organisations.constants import OrganisationKind
from opvangregie.organisations.models import Organisation

from . import services
from .constants import Feature, LocationStatus, LocationType
from .models import Location
from .selectors import capacity_record_on

REQUIRED_COLUMNS = ["external_id", "name", "municipality", "type", "capacity"]
OPTIONAL_COLUMNS = [
    "blocked_beds",
    "blocked_reason",
    "opens_on",
    "status",
    "street",
    "postcode",
    "place",
    "features",
    "is_backup",
    "lets_units",
    "capacity_from",
    "note",
]


class LocationRow(forms.Form):
    external_id = forms.CharField(max_length=100)
    name = forms.CharField(max_length=200)
    municipality = forms.CharField(max_length=16)
    type = forms.ChoiceField(choices=LocationType.choices)
    capacity = forms.IntegerField(min_value=0)
    blocked_beds = forms.IntegerField(min_value=0, required=False)
    blocked_reason = forms.CharField(max_length=200, required=False)
    opens_on = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d-%m-%Y"])
    status = forms.ChoiceField(
        choices=[("", ""), (LocationStatus.OPEN, "open"), (LocationStatus.PLANNED, "planned")],
        required=False,
    )
    street = forms.CharField(max_length=200, required=False)
    postcode = forms.CharField(max_length=10, required=False)
    place = forms.CharField(max_length=100, required=False)
    features = forms.CharField(required=False)
    is_backup = forms.BooleanField(required=False)
    lets_units = forms.BooleanField(required=False)
    capacity_from = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d-%m-%Y"])
    note = forms.CharField(required=False)

    def __init__(
        self, *args: object, municipalities: dict[str, Organisation], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.municipalities = municipalities

    def clean_municipality(self) -> Organisation:
        code = self.cleaned_data["municipality"].upper()
        if code not in self.municipalities:
            raise forms.ValidationError(
                gettext_lazy("Unknown municipality %(code)s."), params={"code": code}
            )
        return self.municipalities[code]

    def clean_features(self) -> list[str]:
        features = split_list(self.cleaned_data["features"])
        unknown = set(features) - set(Feature.values)
        if unknown:
            raise forms.ValidationError(
                gettext_lazy("Unknown feature(s): %(features)s."),
                params={"features": ", ".join(sorted(unknown))},
            )
        return features

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if (data.get("blocked_beds") or 0) > (data.get("capacity") or 0):
            self.add_error(
                "blocked_beds", gettext_lazy("More beds are blocked than the location has.")
            )
        return data


def _bool(value: str) -> str:
    """Spreadsheets say ja/nee, yes/no, 1/0; forms want something truthy or empty."""
    return "on" if value.strip().lower() in {"1", "ja", "yes", "true", "waar", "x"} else ""


def locations_import(*, header: list[str], rows: Iterable[Row], dry_run: bool) -> ImportReport:
    report = ImportReport(kind="locations", dry_run=dry_run)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        report.problems.append(Problem(1, ", ".join(missing), _("Required column(s) missing.")))
        return report
    municipalities = {
        o.code: o for o in Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
    }
    valid: list[tuple[int, dict]] = []
    seen: dict[str, int] = {}
    for row in rows:
        report.rows += 1
        values = dict(row.values)
        for flag in ("is_backup", "lets_units"):
            values[flag] = _bool(values.get(flag, ""))
        form = LocationRow(values, municipalities=municipalities)
        if not form.is_valid():
            report.add_form_errors(row.number, form)
            continue
        key = form.cleaned_data["external_id"]
        if key in seen:
            report.problems.append(
                Problem(
                    row.number,
                    "external_id",
                    _("Also on row %(row)d: each location once.") % {"row": seen[key]},
                )
            )
            continue
        seen[key] = row.number
        valid.append((row.number, form.cleaned_data))
    if not report.ok:
        return report
    try:
        with transaction.atomic():
            for number, data in valid:
                try:
                    report.counts[_write(data)] += 1
                except ValidationError as exc:
                    report.problems.extend(Problem(number, "", m) for m in exc.messages)
                    raise ImportFailedError from exc
            if dry_run:
                raise ImportFailedError
    except ImportFailedError:
        pass
    return report


def _write(data: dict) -> str:
    location = Location.objects.filter(external_id=data["external_id"]).first()
    if location is None:
        services.location_create(
            external_id=data["external_id"],
            name=data["name"],
            type=data["type"],
            municipality=data["municipality"],
            beds=data["capacity"],
            blocked_beds=data["blocked_beds"] or 0,
            blocked_reason=data["blocked_reason"],
            opens_on=data["opens_on"] or today(),
            status=data["status"] or LocationStatus.OPEN,
            features=data["features"],
            is_backup=data["is_backup"],
            lets_units=data["lets_units"],
            street=data["street"],
            postcode=data["postcode"],
            place=data["place"],
            note=data["note"],
        )
        return "created"
    if location.type != data["type"] or location.municipality_id != data["municipality"].pk:
        raise ValidationError(
            _("%(name)s exists with another type or municipality; change those in the application.")
            % {"name": location.name}
        )
    changed = False
    details = {
        k: data[k]
        for k in ("name", "street", "postcode", "place", "note", "is_backup", "lets_units")
    }
    if any(getattr(location, k) != v for k, v in details.items()):
        services.location_update(location=location, data=details)
        changed = True
    if set(location.features.values_list("feature", flat=True)) != set(data["features"]):
        services.location_features_set(location=location, features=data["features"])
        changed = True
    on = data["capacity_from"] or today()
    record = capacity_record_on(location=location, on=max(on, datetime.date.min))
    blocked = data["blocked_beds"] or 0
    if record is None or (record.beds, record.blocked_beds) != (data["capacity"], blocked):
        services.capacity_change(
            location=location,
            valid_from=on,
            beds=data["capacity"],
            blocked_beds=blocked,
            blocked_reason=data["blocked_reason"],
        )
        changed = True
    return "updated" if changed else "unchanged"
