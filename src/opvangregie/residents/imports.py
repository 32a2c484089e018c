"""Importing residents from CSV/XLSX, one row per person, grouped by household_id.

Every row is checked first; nothing is written unless all rows are valid. Intakes go through
the same service as the pages (capacity and overlap rules), inside one transaction: if one
fails, nothing is kept. Re-importing the same file changes nothing (persons match on
external_id).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opvangregie.capacity.models import Location
from opvangregie.core import bsn
from opvangregie.core.imports import ImportFailedError, ImportReport, Problem, split_list
from opvangregie.core.tabular import Row
from opvangregie.organisations.constants import OrganisationKind
from opvangregie.organisations.models import Organisation

from . import services
from .constants import Need, Sex, TieKind
from .models import Household, Person

REQUIRED_COLUMNS = [
    "external_id",
    "household_id",
    "given_name",
    "family_name",
    "birth_date",
    "sex",
    "location",
    "intake_date",
]
OPTIONAL_COLUMNS = ["nationality", "languages", "needs", "tie_municipality", "tie_kind", "bsn"]
HOUSEHOLD_COLUMNS = ["location", "intake_date", "needs", "tie_municipality", "tie_kind"]
SEX_ALIASES = {
    "v": Sex.FEMALE,
    "vrouw": Sex.FEMALE,
    "f": Sex.FEMALE,
    "female": Sex.FEMALE,
    "m": Sex.MALE,
    "man": Sex.MALE,
    "male": Sex.MALE,
    "x": Sex.OTHER,
    "o": Sex.OTHER,
    "other": Sex.OTHER,
    "anders": Sex.OTHER,
}
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]


class PersonRow(forms.Form):
    external_id = forms.CharField(max_length=100)
    household_id = forms.CharField(max_length=100)
    given_name = forms.CharField(max_length=100)
    family_name = forms.CharField(max_length=100)
    birth_date = forms.DateField(input_formats=DATE_FORMATS)
    sex = forms.CharField()
    nationality = forms.CharField(max_length=3, required=False)
    languages = forms.CharField(max_length=100, required=False)
    location = forms.CharField(max_length=100)
    intake_date = forms.DateField(input_formats=DATE_FORMATS)
    needs = forms.CharField(required=False)
    tie_municipality = forms.CharField(required=False)
    tie_kind = forms.CharField(required=False)
    bsn = forms.CharField(max_length=11, required=False)

    def __init__(
        self, *args: Any, locations: dict[str, Location], municipalities: set[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.locations = locations
        self.municipalities = municipalities

    def clean_sex(self) -> str:
        value = self.cleaned_data["sex"].strip().lower()
        if value not in SEX_ALIASES:
            raise forms.ValidationError(gettext_lazy("Use v, m or x (or female, male, other)."))
        return SEX_ALIASES[value]

    def clean_bsn(self) -> str:
        value = self.cleaned_data["bsn"].strip()
        return bsn.validate(value) if value else ""

    def clean_location(self) -> Location:
        key = self.cleaned_data["location"]
        if key not in self.locations:
            raise forms.ValidationError(
                gettext_lazy("Unknown location %(key)s."), params={"key": key}
            )
        return self.locations[key]

    def clean_needs(self) -> list[str]:
        needs = split_list(self.cleaned_data["needs"])
        unknown = set(needs) - set(Need.values)
        if unknown:
            raise forms.ValidationError(
                gettext_lazy("Unknown need(s): %(needs)s."),
                params={"needs": ", ".join(sorted(unknown))},
            )
        return needs

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        municipality = (data.get("tie_municipality") or "").upper()
        kind = data.get("tie_kind") or ""
        if municipality and municipality not in self.municipalities:
            self.add_error(
                "tie_municipality",
                gettext_lazy("Unknown municipality %(code)s.") % {"code": municipality},
            )
        if bool(municipality) != bool(kind):
            self.add_error(
                "tie_kind", gettext_lazy("Give both tie_municipality and tie_kind, or neither.")
            )
        elif kind and kind not in TieKind.values:
            self.add_error(
                "tie_kind", gettext_lazy("Unknown kind of tie '%(kind)s'.") % {"kind": kind}
            )
        data["tie_municipality"] = municipality
        return data


def residents_import(
    *,
    header: list[str],
    rows: Iterable[Row],
    dry_run: bool,
    progress: Callable[[Iterable[Any]], Iterable[Any]] = lambda items: items,
) -> ImportReport:
    report = ImportReport(kind="residents", dry_run=dry_run)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        report.problems.append(Problem(1, ", ".join(missing), _("Required column(s) missing.")))
        return report
    locations = {
        loc.external_id: loc
        for loc in Location.objects.exclude(external_id=None).select_related("municipality")
        if loc.external_id
    }
    municipalities = set(
        Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).values_list(
            "code", flat=True
        )
    )
    households: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    seen: dict[str, int] = {}
    for row in rows:
        report.rows += 1
        form = PersonRow(row.values, locations=locations, municipalities=municipalities)
        if not form.is_valid():
            report.add_form_errors(row.number, form)
            continue
        data = form.cleaned_data
        if data["external_id"] in seen:
            report.problems.append(
                Problem(
                    row.number,
                    "external_id",
                    _("Also on row %(row)d: each person once.")
                    % {"row": seen[data["external_id"]]},
                )
            )
            continue
        seen[data["external_id"]] = row.number
        households[data["household_id"]].append((row.number, data))
    for members in households.values():
        first_number, first = members[0]
        for number, data in members[1:]:
            for column in HOUSEHOLD_COLUMNS:
                if data[column] != first[column]:
                    report.problems.append(
                        Problem(
                            number,
                            column,
                            _("Differs from row %(row)d of the same household.")
                            % {"row": first_number},
                        )
                    )
    if not report.ok:
        return report
    existing = {
        key
        for key in Person.objects.filter(external_id__in=list(seen)).values_list(
            "external_id", flat=True
        )
        if key
    }
    known_households = {
        key
        for key in Household.objects.filter(external_id__in=list(households)).values_list(
            "external_id", flat=True
        )
        if key
    }
    try:
        with transaction.atomic():
            for key, members in progress(list(households.items())):
                report.counts[_write(key, members, existing, known_households, report)] += len(
                    members
                )
            if dry_run:
                raise ImportFailedError
    except ImportFailedError:
        pass
    return report


def _write(
    key: str,
    members: list[tuple[int, dict[str, Any]]],
    existing: set[str],
    known_households: set[str],
    report: ImportReport,
) -> str:
    new = [m for m in members if m[1]["external_id"] not in existing]
    if not new:
        return "unchanged"
    number, first = members[0]
    if key in known_households:
        report.problems.append(
            Problem(
                new[0][0],
                "household_id",
                _("Household %(key)s exists already; add persons in the application.")
                % {"key": key},
            )
        )
        raise ImportFailedError
    try:
        household = services.household_create(
            data=services.HouseholdData(
                external_id=key,
                persons=[
                    services.PersonData(
                        external_id=d["external_id"],
                        given_name=d["given_name"],
                        family_name=d["family_name"],
                        birth_date=d["birth_date"],
                        sex=d["sex"],
                        nationality=d["nationality"] or "UKR",
                        languages=d["languages"],
                        bsn=d["bsn"],
                    )
                    for _n, d in members
                ],
                needs=first["needs"],
                ties=[(first["tie_municipality"], first["tie_kind"])] if first["tie_kind"] else [],
            )
        )
        services.stay_intake(
            household=household, location=first["location"], on=first["intake_date"]
        )
    except ValidationError as exc:
        report.problems.extend(Problem(number, "", m) for m in exc.messages)
        raise ImportFailedError from exc
    return "created"
