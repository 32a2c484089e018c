"""Population figures from a CBS StatLine CSV export.

StatLine exports come in two shapes, and both are read:
- the typed data set: ``"RegioS";"Perioden";"BevolkingOp1Januari_1"`` with codes such as
  ``GM0484`` and ``2024JJ00``;
- the table as shown on the site: ``"Regio's";"Perioden";"Bevolking op 1 januari (aantal)"`` with
  municipality names and years.
Semicolon or comma separated; the population column is the first whose name says "bevolking"
(and not "dichtheid"). A period ``2024`` or ``2024JJ00`` means the population on 1 January 2024.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from .constants import OrganisationKind
from .models import Organisation, PopulationFigure


class StatlineError(ValueError):
    pass


@dataclass
class StatlineReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
        }


def _column(header: list[str], *words: str, avoid: str = "") -> int:
    for index, name in enumerate(header):
        lowered = name.lower()
        if all(w in lowered for w in words) and not (avoid and avoid in lowered):
            return index
    raise StatlineError(_("The export has no column for %(what)s.") % {"what": " ".join(words)})


def _year(period: str) -> datetime.date:
    match = re.match(r"\s*(\d{4})", period)
    if not match:
        raise StatlineError(_("'%(period)s' is not a year.") % {"period": period})
    return datetime.date(int(match.group(1)), 1, 1)


def _number(value: str) -> int | None:
    digits = value.strip().replace(".", "").replace(" ", "")
    return int(digits) if digits.isdigit() else None


@transaction.atomic
def population_import_statline(*, text: str, source: str = "CBS StatLine") -> StatlineReport:
    """Add or correct the population figures of the municipalities in the export."""
    text = text.lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=";,")
    except csv.Error as exc:
        raise StatlineError(_("This does not look like a StatLine CSV export.")) from exc
    rows = list(csv.reader(io.StringIO(text), dialect))
    if len(rows) < 2:
        raise StatlineError(_("The file is empty."))
    header = rows[0]
    region = _column(header, "regio")
    period = _column(header, "periode")
    population = _column(header, "bevolking", avoid="dichtheid")
    municipalities = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
    by_code = {m.code: m for m in municipalities}
    by_name = {m.name.lower(): m for m in municipalities}
    report = StatlineReport()
    for line in rows[1:]:
        if len(line) <= max(region, period, population):
            continue
        key = line[region].strip()
        municipality = by_code.get(key.upper()) or by_name.get(key.lower())
        number = _number(line[population])
        if municipality is None or number is None:
            report.skipped.append(key)
            continue
        status = _("CBS StatLine export")
        figure, created = PopulationFigure.objects.get_or_create(
            organisation=municipality,
            reference_date=_year(line[period]),
            defaults={"population": number, "status": status, "source": source},
        )
        if created:
            report.created += 1
        elif figure.population != number:
            figure.population, figure.status, figure.source = number, status, source
            figure.save()
            report.updated += 1
        else:
            report.unchanged += 1
    return report
