"""The short summary of what changed, generated from a report's figures.

Two steps, so that a frozen report keeps its summary while the reader picks the language:
:func:`summary_facts` derives language-neutral facts from the (already suppressed) content —
these are frozen with the figures —, :func:`summary_sentences` writes them as sentences in the
active language. Both are deterministic: the same figures give the same summary. A value that
is suppressed (``"<5"``, ``"x"``) is never used to say something it hides.
"""

from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from opvangregie.monitoring.constants import Level

# At most this many municipalities are named with their change in places.
MAX_NAMED = 5


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _top(content: dict[str, Any]) -> dict[str, Any] | None:
    """The top unit of the report (the region; the housing region of an RRT report)."""
    totals = [r for r in content["figures"] if r["breakdown"] == "total"]
    return totals[0] if totals else None


def summary_facts(content: dict[str, Any]) -> list[dict[str, Any]]:
    facts: list[dict[str, Any]] = []
    totals = [r for r in content["figures"] if r["breakdown"] == "long_stay"]
    lowest = (
        Level.MUNICIPALITY
        if any(r["level"] == Level.MUNICIPALITY for r in totals)
        else (Level.HOUSING_REGION)
    )
    targets = {(t["level"], t["code"]): t for t in content["targets"]}
    changes = []
    for row in totals:
        delta = row["change"]["capacity"]
        if row["level"] != lowest or not _number(delta) or not delta:
            continue
        target = targets.get((row["level"], row["code"]))
        difference = target["difference"] if target else None
        changes.append({"name": row["name"], "places": delta, "difference": difference})
    changes.sort(key=lambda c: (-abs(c["places"]), c["name"]))
    if changes:
        facts.append(
            {"kind": "capacity", "units": changes[:MAX_NAMED], "more": len(changes[MAX_NAMED:])}
        )
    else:
        facts.append({"kind": "capacity_unchanged"})

    above = sum(
        1
        for t in content["targets"]
        if t["level"] == lowest and _number(t["difference"]) and t["difference"] > 0
    )
    below = sum(
        1
        for t in content["targets"]
        if t["level"] == lowest and _number(t["difference"]) and t["difference"] < 0
    )
    if above or below:
        facts.append({"kind": "targets", "above": above, "below": below, "level": str(lowest)})

    top = _top(content)
    if top is not None and _number(top["occupied"]):
        facts.append(
            {
                "kind": "occupancy",
                "name": top["name"],
                "occupied": top["occupied"],
                "change": top["change"]["occupied"] if _number(top["change"]["occupied"]) else None,
                "pct": top["occupancy_pct"] if _number(top["occupancy_pct"]) else None,
                "free_allocable": top["free_allocable"] if _number(top["free_allocable"]) else None,
            }
        )
    if top is not None:
        week = [
            f for f in content["flows"] if f["code"] == top["code"] and f["level"] == top["level"]
        ]
        if week and _number(week[-1]["inflow"]) and _number(week[-1]["outflow"]):
            facts.append(
                {
                    "kind": "flows",
                    "name": top["name"],
                    "inflow": week[-1]["inflow"],
                    "outflow": week[-1]["outflow"],
                }
            )
    waiting = content["waiting"]
    if _number(waiting["persons"]):
        facts.append(
            {
                "kind": "waiting",
                "persons": waiting["persons"],
                "over_72h": waiting["over_72h_persons"]
                if _number(waiting["over_72h_persons"])
                else None,
            }
        )
    for unit in content["runway"]["units"]:
        runs_out = unit["runs_out_on"]
        if runs_out == "x":
            continue
        facts.append({"kind": "runway", "name": unit["name"], "runs_out_on": runs_out})
    return facts


def _signed(value: int | float) -> str:
    text = number_format(abs(value))
    return ("+" if value > 0 else "\u2212" if value < 0 else "") + text


def _capacity(fact: dict[str, Any]) -> str:
    parts = []
    for unit in fact["units"]:
        difference = unit["difference"]
        values = {"name": unit["name"], "places": _signed(unit["places"])}
        if difference is None:
            parts.append(_("%(name)s %(places)s places") % values)
        elif difference > 0:
            parts.append(
                _("%(name)s %(places)s places, %(above)s above target")
                % {**values, "above": number_format(difference)}
            )
        elif difference < 0:
            parts.append(
                _("%(name)s %(places)s places, %(below)s below target")
                % {**values, "below": number_format(-difference)}
            )
        else:
            parts.append(_("%(name)s %(places)s places, on target") % values)
    sentence = "; ".join(parts)
    if fact["more"]:
        sentence += _("; %(count)s more with changes") % {"count": fact["more"]}
    return sentence + "."


def _sentence(fact: dict[str, Any]) -> str:
    kind = fact["kind"]
    if kind == "capacity":
        return _capacity(fact)
    if kind == "capacity_unchanged":
        return _("The number of places did not change this week.")
    if kind == "targets":
        if fact["level"] == Level.MUNICIPALITY:
            return _("%(above)s municipalities are above their target, %(below)s below.") % fact
        return _("%(above)s housing regions are above their target, %(below)s below.") % fact
    if kind == "occupancy":
        values = {
            "name": fact["name"],
            "occupied": number_format(fact["occupied"]),
            "pct": number_format(fact["pct"], 1) if fact["pct"] is not None else "-",
        }
        change = fact["change"]
        if change:
            values["change"] = number_format(abs(change))
            text = (
                _(
                    "In %(name)s %(occupied)s persons stay (%(pct)s%%), %(change)s more than a "
                    "week before."
                )
                if change > 0
                else _(
                    "In %(name)s %(occupied)s persons stay (%(pct)s%%), %(change)s fewer than a "
                    "week before."
                )
            ) % values
        else:
            text = (
                _("In %(name)s %(occupied)s persons stay (%(pct)s%%), as many as a week before.")
                % values
            )
        if fact["free_allocable"] is not None:
            text += " " + _("%(free)s allocable places are free.") % {
                "free": number_format(fact["free_allocable"])
            }
        return text
    if kind == "flows":
        return _("This week %(inflow)s persons came in and %(outflow)s left.") % {
            "inflow": number_format(fact["inflow"]),
            "outflow": number_format(fact["outflow"]),
        }
    if kind == "waiting":
        if fact["over_72h"] is None:
            return _("%(persons)s persons wait at the CNO.") % {
                "persons": number_format(fact["persons"])
            }
        return _("%(persons)s persons wait at the CNO, %(over)s of them longer than 72 hours.") % {
            "persons": number_format(fact["persons"]),
            "over": number_format(fact["over_72h"]),
        }
    if kind == "runway":
        if fact["runs_out_on"] is None:
            return _(
                "The free allocable capacity in %(name)s does not run out at the current inflow."
            ) % {"name": fact["name"]}
        return _(
            "The free allocable capacity in %(name)s runs out at the current inflow around %(day)s."
        ) % {"name": fact["name"], "day": fact["runs_out_on"]}
    return ""


def summary_sentences(facts: list[dict[str, Any]]) -> list[str]:
    """The facts as sentences in the active language."""
    return [s for s in (_sentence(f) for f in facts) if s]
