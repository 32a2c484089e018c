"""The PRT preparation pack of a housing region: its content assembled from figures,
agreements, dilemmas and decisions; its checksum; and the check that refuses any personal data.

The content is plain JSON (strings, numbers, lists, dicts), so that a frozen pack is stored as
it was sent and its SHA-256 checksum can be recomputed by anyone.
"""

import datetime
import hashlib
import json
import re
from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from opvangregie.core import bsn
from opvangregie.core.validity import valid_on_q
from opvangregie.monitoring.constants import Level
from opvangregie.monitoring.selectors import (
    figures_on,
    targets_progress_visible_on,
    waiting_at_cno_on,
)
from opvangregie.organisations.constants import BodyKind
from opvangregie.organisations.models import Body, Organisation
from opvangregie.reports.selectors import latest_issued
from opvangregie.reports.summary import summary_sentences
from opvangregie.residents.models import Household, Person

from . import selectors
from .constants import AgreementStatus

CONTENT_VERSION = 1


def _figures_section(*, housing_region: Organisation, on: datetime.date) -> dict[str, Any]:
    """The figures of the housing region for the pack.

    The latest weekly report issued to the PRT on or before ``on`` (frozen: week, version,
    checksum and its summary, with small counts suppressed) is what the PRT has seen; beside it
    the live housing-region totals on ``on`` (``monitoring.selectors``), labelled as such.
    Housing-region aggregates only: the pack leaves the region (PRT), so no figures per
    municipality or location.
    """
    frozen = latest_issued(audience="prt", before=on)
    result: dict[str, Any] = {
        "source": "live",
        "report": None
        if frozen is None
        else {
            "week": frozen.content.get("week"),
            "version": frozen.version,
            "checksum": frozen.checksum,
            "issued_at": frozen.issued_at.isoformat(),
            "summary": frozen.content.get("summary", []),
        },
        "on": on.isoformat(),
        "total": None,
        "short_stay": None,
        "long_stay": None,
        "target": None,
        "realised": None,
        "waiting_at_cno": None,
    }
    unit = next(
        (
            u
            for u in figures_on(on=on, level=Level.HOUSING_REGION).units
            if u.code == housing_region.code
        ),
        None,
    )
    if unit is not None:
        result["total"] = unit.total.as_dict()
        result["short_stay"] = unit.short_stay.as_dict()
        result["long_stay"] = unit.long_stay.as_dict()
    progress = next(
        (
            p
            for p in targets_progress_visible_on(on=on).housing_regions
            if p.code == housing_region.name
        ),
        None,
    )
    if progress is not None:
        result["target"] = progress.target
        result["realised"] = progress.realised
    waiting = waiting_at_cno_on(on=on).total
    result["waiting_at_cno"] = {
        "persons": waiting.persons,
        "households": waiting.households,
        "over_72h_households": waiting.over_72h_households,
    }
    return result


def _summary(content: dict[str, Any]) -> list[str]:
    """The agenda-ready summary: a few sentences a chair can read out."""
    lines = []
    figures = content["figures"]
    report = figures.get("report")
    if report:
        lines.append(
            _("Latest weekly report to the PRT: %(week)s, version %(version)s.")
            % {"week": report["week"], "version": report["version"]}
        )
        lines.extend(summary_sentences(report["summary"]))
    if figures["total"]:
        total = figures["total"]
        lines.append(
            _(
                "On %(date)s the housing region has %(capacity)d places, %(occupied)d occupied "
                "and %(free)d allocable places free."
            )
            % {
                "date": figures["on"],
                "capacity": total["capacity"],
                "occupied": total["occupied"],
                "free": total["free_allocable"],
            }
        )
    if figures["target"] is not None:
        lines.append(
            _("Target for Ukrainian places: %(target)d; realised: %(realised)d.")
            % {"target": figures["target"], "realised": figures["realised"]}
        )
    statuses: dict[str, int] = {}
    for agreement in content["agreements"]:
        statuses[agreement["status"]] = statuses.get(agreement["status"], 0) + 1
    lines.append(
        _("Agreements: %(count)d, of which %(at_risk)d at risk and %(late)d late.")
        % {
            "count": len(content["agreements"]),
            "at_risk": statuses.get("at_risk", 0),
            "late": statuses.get("late", 0),
        }
    )
    overdue = sum(1 for d in content["dilemmas"] if d["overdue"])
    lines.append(
        _("Open dilemmas at the steering group: %(count)d, of which %(overdue)d overdue.")
        % {"count": len(content["dilemmas"]), "overdue": overdue}
    )
    lines.append(
        _("Decisions since %(since)s: %(count)d.")
        % {"since": content["since"], "count": len(content["decisions"])}
    )
    return lines


def pack_content(
    *,
    housing_region: Organisation,
    on: datetime.date,
    chair_notes: str = "",
    secretary_notes: str = "",
) -> dict[str, Any]:
    """Everything the pack holds, as JSON-ready data."""
    since = selectors.previous_prt_date(housing_region=housing_region, on=on)
    cache = selectors.FiguresCache()
    agreements = [
        {
            "uuid": str(a.uuid),
            "title": a.title,
            "body": str(a.body),
            "owner": a.owner,
            "deadline": a.deadline.isoformat(),
            "status": p.status,
            "status_label": p.status_label,
            "target": p.target,
            "gained": p.gained,
            "pct": p.pct,
            "time_pct": p.time_pct,
        }
        for a, p in selectors.agreements_for_region(
            housing_region=housing_region, on=on, cache=cache
        )
        if a.status not in (AgreementStatus.DONE, AgreementStatus.DROPPED) or a.deadline >= since
    ]
    dilemmas = [
        {
            "uuid": str(e.uuid),
            "title": e.title,
            "question": e.question,
            "urgency": e.get_urgency_display(),
            "deadline": e.deadline.isoformat(),
            "status": e.get_status_display(),
            "overdue": selectors.escalation_overdue(e, on),
        }
        for e in selectors.open_escalations(on=on).select_related("body")
    ]
    rrt = selectors.rrt_of(housing_region, on)
    prt = selectors.prt_of(on)
    bodies = [b for b in (rrt, prt) if b is not None]
    bodies += list(Body.objects.filter(valid_on_q(on), kind=BodyKind.STEERING_GROUP))
    decisions = [
        {
            "code": d.code,
            "decided_on": d.decided_on.isoformat(),
            "by": str(d.body or d.organisation),
            "subject": d.subject,
            "outcome": d.get_outcome_display(),
        }
        for d in selectors.decisions_between(
            bodies=bodies, organisations=[housing_region], start=since, end=on
        )
    ]
    content: dict[str, Any] = {
        "version": CONTENT_VERSION,
        "housing_region": {"code": housing_region.code, "name": housing_region.name},
        "on": on.isoformat(),
        "since": since.isoformat(),
        "figures": _figures_section(housing_region=housing_region, on=on),
        "agreements": agreements,
        "dilemmas": dilemmas,
        "decisions": decisions,
        "notes": {"chair": chair_notes, "secretary": secretary_notes},
    }
    content["summary"] = _summary(content)
    return content


def canonical(content: dict[str, Any]) -> bytes:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def checksum(content: dict[str, Any]) -> str:
    """SHA-256 over the canonical JSON (sorted keys, no spaces, UTF-8)."""
    return hashlib.sha256(canonical(content)).hexdigest()


# -- the personal-data check ------------------------------------------------------------------

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
NINE_DIGITS_RE = re.compile(r"(?<![\d.])(\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3} \d{3} \d{3})(?![\d])")
ISO_DATE_RE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
NL_DATE_RE = re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)")
WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
# Keys of the pack whose values are the pack's own dates (never a birth date).
DATE_KEYS = frozenset({"on", "since", "deadline", "decided_on", "raised_on", "start_date"})


def _dates(text: str) -> set[datetime.date]:
    found = set()
    for match in ISO_DATE_RE.finditer(text):
        year, month, day = (int(g) for g in match.groups())
        try:
            found.add(datetime.date(year, month, day))
        except ValueError:
            continue
    for match in NL_DATE_RE.finditer(text):
        day, month, year = (int(g) for g in match.groups())
        try:
            found.add(datetime.date(year, month, day))
        except ValueError:
            continue
    return found


def own_dates(content: Any) -> set[datetime.date]:
    """The dates the pack states in its own date fields (deadlines, the PRT day, …)."""
    dates: set[datetime.date] = set()
    if isinstance(content, dict):
        for key, value in content.items():
            if key in DATE_KEYS and isinstance(value, str):
                dates |= _dates(value)
            else:
                dates |= own_dates(value)
    elif isinstance(content, list):
        for value in content:
            dates |= own_dates(value)
    return dates


def _strings(content: Any) -> Iterable[str]:
    if isinstance(content, str):
        yield content
    elif isinstance(content, dict):
        for value in content.values():
            yield from _strings(value)
    elif isinstance(content, list):
        for value in content:
            yield from _strings(value)


def personal_data_found(text: str, *, allowed_dates: Iterable[datetime.date] = ()) -> list[str]:
    """Which kinds of personal data ``text`` holds: ``bsn`` (any nine digits that pass the
    eleven test), ``uuid`` (of a household or person in the database), ``name`` (a person's
    given and family name together), ``birth_date`` (a date that is some person's birth date,
    other than ``allowed_dates``). Only the kinds are returned, never the data."""
    found = []
    if any(bsn.is_valid(m.group(1)) for m in NINE_DIGITS_RE.finditer(text)):
        found.append("bsn")
    uuids = {m.group(0).lower() for m in UUID_RE.finditer(text)}
    if uuids and (
        Household.objects.filter(uuid__in=uuids).exists()
        or Person.objects.filter(uuid__in=uuids).exists()
    ):
        found.append("uuid")
    words = [w.lower() for w in WORD_RE.findall(text)]
    flat = " " + " ".join(words) + " "
    if words:
        candidates = (
            Person.objects.annotate(given=Lower("given_name"), family=Lower("family_name"))
            .filter(Q(given__in=set(words)) | Q(family__in=set(words)))
            .values_list("given_name", "family_name")
        )
        for given, family in candidates.iterator():
            name = " ".join(w.lower() for w in WORD_RE.findall(f"{given} {family}"))
            reversed_name = " ".join(w.lower() for w in WORD_RE.findall(f"{family} {given}"))
            if f" {name} " in flat or f" {reversed_name} " in flat:
                found.append("name")
                break
    dates = _dates(text) - set(allowed_dates)
    if dates and Person.objects.filter(birth_date__in=dates).exists():
        found.append("birth_date")
    return found


def content_personal_data(content: dict[str, Any]) -> list[str]:
    """The check applied to a whole pack: every string in it, the pack's own dates allowed."""
    return personal_data_found("\n".join(_strings(content)), allowed_dates=own_dates(content))
