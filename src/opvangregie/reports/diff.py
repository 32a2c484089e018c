"""What changed between two versions of a report: the figures, flattened and compared."""

from typing import Any

DIFF_SECTIONS = ("figures", "flows", "flows_4_weeks", "waiting", "targets", "broad_task", "runway")


def _flatten(content: dict[str, Any]) -> dict[tuple[str, str, str, str], Any]:
    """(section, unit, item, field) → value, for every figure a reader sees in a table."""
    flat: dict[tuple[str, str, str, str], Any] = {}
    for row in content.get("figures", []):
        for field in ("capacity", "allocable", "occupied", "free_allocable", "occupancy_pct"):
            flat[("figures", row["name"], row["breakdown"], field)] = row[field]
    for row in content.get("flows", []):
        for field, value in row.items():
            if field not in ("level", "code", "name", "week"):
                flat[("flows", row["name"], row["week"], field)] = value
    for row in content.get("flows_4_weeks", []):
        for field, value in row.items():
            if field not in ("level", "code", "name", "weeks"):
                flat[("flows_4_weeks", row["name"], "", field)] = value
    for field, value in content.get("waiting", {}).items():
        if field != "by_location":
            flat[("waiting", "", "", field)] = value
    for row in content.get("targets", []):
        for field in ("target", "realised"):
            flat[("targets", row["name"], "", field)] = row[field]
    for row in content.get("broad_task", []):
        for field in ("ukrainian_target", "ukrainian_realised", "asylum_durable", "status_holder"):
            flat[("broad_task", row["name"], "", field)] = row[field]
    for row in content.get("runway", {}).get("units", []):
        for field in ("allocable", "occupied", "free_allocable", "net_per_week", "runs_out_on"):
            flat[("runway", row["name"], "", field)] = row[field]
    return flat


def content_diff(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Every figure that differs between ``old`` and ``new`` (added or gone: ``None``), in the
    order of the report."""
    before, after = _flatten(old), _flatten(new)
    order = {section: n for n, section in enumerate(DIFF_SECTIONS)}
    keys = list(after) + [k for k in before if k not in after]
    keys.sort(key=lambda k: order[k[0]])
    return [
        {"section": s, "unit": u, "item": i, "field": f, "old": before.get(k), "new": after.get(k)}
        for k in keys
        for s, u, i, f in [k]
        if before.get(k) != after.get(k)
    ]
