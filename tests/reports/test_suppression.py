"""Small-count suppression: 1 to 4 shown as "<5", 0 and 5 or more shown, and no hidden value can
be worked out from what is shown. The last is checked by an exact integer solver (CP-SAT) that
reads only the published report and the relations every reader knows."""

import datetime
from typing import Any

import pytest
from ortools.sat.python import cp_model

from opvangregie.reports.content import report_content
from opvangregie.reports.suppression import Table, protect
from tests.reports import scenario

BIG = 10**6
BREAKDOWNS = ("total", "short_stay", "long_stay", "cno", "municipal", "private_hosting", "other")


# -- the rule on small tables --------------------------------------------------------------


def test_counts_from_one_to_four_are_marked_and_zero_and_five_are_shown() -> None:
    table = Table()
    for key, value in {"a": 0, "b": 1, "c": 4, "d": 5, "e": 12}.items():
        table.cell(key, value)
    shown = protect(table, threshold=5)
    assert {k: shown.show(k, v) for k, v in table.values.items()} == {
        "a": 0,
        "b": "<5",
        "c": "<5",
        "d": 5,
        "e": 12,
    }


def test_one_hidden_part_of_a_total_takes_the_smallest_other_part_with_it() -> None:
    table = Table()
    for key, value in {"total": 20, "p1": 3, "p2": 9, "p3": 8}.items():
        table.cell(key, value)
    table.total("total", ["p1", "p2", "p3"])
    shown = protect(table, threshold=5)
    assert shown.show("p1", 3) == "<5"
    assert shown.show("p3", 8) == "x"  # the smallest shown part: 20 - 9 = p1 + p3, two unknowns
    assert shown.show("p2", 9) == 9
    assert shown.show("total", 20) == 20


def test_marks_that_pin_each_other_are_widened() -> None:
    # A total "<5" of four parts "<5": each part is at least 1, so all are 1 and the total is 4.
    table = Table()
    for key, value in {"total": 4, "a": 1, "b": 1, "c": 1, "d": 1}.items():
        table.cell(key, value)
    table.total("total", ["a", "b", "c", "d"])
    shown = protect(table, threshold=5)
    marks = {k: shown.show(k, v) for k, v in table.values.items()}
    assert "x" in marks.values()
    assert _pinned(marks, table.values, [dict(r) for r in table.relations], counts=set(marks)) == []


def test_a_relation_that_does_not_hold_is_not_used() -> None:
    table = Table()
    for key, value in {"total": 10, "p1": 3, "p2": 9}.items():
        table.cell(key, value)
    table.total("total", ["p1", "p2"])  # 3 + 9 is not 10: no reader can use it
    assert table.relations == []


# -- the exact check -----------------------------------------------------------------------


def _pinned(
    published: dict[str, Any],
    truth: dict[str, int],
    relations: list[dict[str, int]],
    counts: set[str],
) -> list[str]:
    """The hidden cells whose value an exact integer solver finds from the published values.
    A reader reads "<5" as 1 to 4, "x" over a count as 0 or at least 5 (any number when the
    count is itself small), "x" over a difference as any number."""
    hidden = [k for k, v in published.items() if isinstance(v, str)]
    pinned = []
    for key in hidden:
        bounds = []
        for sense in (1, -1):
            model = cp_model.CpModel()
            variables = {}
            for cell, value in published.items():
                if value == "<5":
                    domain = cp_model.Domain(1, 4)
                elif value == "x" and cell in counts:
                    domain = (
                        cp_model.Domain(0, BIG)
                        if 0 < truth[cell] < 5
                        else cp_model.Domain.FromIntervals([[0, 0], [5, BIG]])
                    )
                elif value == "x":
                    domain = cp_model.Domain(-BIG, BIG)
                else:
                    domain = cp_model.Domain(int(value), int(value))
                variables[cell] = model.NewIntVarFromDomain(domain, cell)
            for relation in relations:
                model.Add(sum(c * variables[k] for k, c in relation.items()) == 0)
            model.Minimize(sense * variables[key])
            solver = cp_model.CpSolver()
            solver.parameters.num_workers = 1
            assert solver.Solve(model) == cp_model.OPTIMAL
            bounds.append(solver.Value(variables[key]))
        if bounds[0] == bounds[1]:
            pinned.append(key)
    return pinned


def _cells(content: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """The published counts of a report at the region and housing-region levels, by key."""
    cells: dict[str, Any] = {}
    counts: set[str] = set()
    for row in content["figures"]:
        if row["level"] == "municipality":
            continue
        for period, values in (("now", row), ("before", row["previous"])):
            key = f"occ:{period}:{row['code']}:{row['breakdown']}"
            cells[key] = values["occupied"]
            counts.add(key)
    for row in content["flows"]:
        if row["level"] == "municipality":
            continue
        for name in ("arrivals", "departures", "inflow", "outflow", "net", "arrivals_households"):
            key = f"flow:{row['week']}:{row['code']}:{name}"
            cells[key] = row[name]
            if name != "net":
                counts.add(key)
    for row in content["flows_4_weeks"]:
        if row["level"] == "municipality":
            continue
        for name in ("arrivals", "departures", "inflow", "outflow", "net"):
            key = f"sum4:{row['code']}:{name}"
            cells[key] = row[name]
            if name != "net":
                counts.add(key)
    for name in ("persons", "households", "over_72h_persons", "over_72h_households"):
        cells[f"waiting:{name}"] = content["waiting"][name]
        counts.add(f"waiting:{name}")
    for unit in content["runway"]["units"]:
        for name in ("inflow_per_week", "outflow_per_week"):
            value = unit[name]
            # A reader multiplies the four-week average back to a sum of weekly counts.
            cells[f"basis:{unit['code']}:{name}"] = (
                value if isinstance(value, str) else round(4 * value)
            )
            counts.add(f"basis:{unit['code']}:{name}")
    return cells, counts


def _relations(content: dict[str, Any], truth: dict[str, int]) -> list[dict[str, int]]:
    """Every relation a reader knows between the published cells, where it holds."""
    codes = [r["code"] for r in content["figures"] if r["breakdown"] == "total"]
    region = [
        r["code"]
        for r in content["figures"]
        if r["breakdown"] == "total" and r["level"] == "region"
    ]
    housing = [c for c in codes if c not in region]
    weeks = sorted({r["week"] for r in content["flows"]})
    candidates: list[dict[str, int]] = []
    for code in codes:
        for period in ("now", "before"):
            o = f"occ:{period}:{code}:"
            candidates.append({o + "total": 1, o + "short_stay": -1, o + "long_stay": -1})
            candidates.append({o + "short_stay": 1, o + "cno": -1})
            candidates.append(
                {
                    o + "long_stay": 1,
                    o + "municipal": -1,
                    o + "private_hosting": -1,
                    o + "other": -1,
                }
            )
        for week in weeks:
            f = f"flow:{week}:{code}:"
            candidates.append({f + "inflow": 1, f + "outflow": -1, f + "net": -1})
            candidates.append({f + "inflow": 1, f + "arrivals": -1})
            candidates.append({f + "outflow": 1, f + "departures": -1})
        for name in ("arrivals", "departures", "inflow", "outflow", "net"):
            candidates.append(
                {f"sum4:{code}:{name}": -1} | {f"flow:{w}:{code}:{name}": 1 for w in weeks[1:]}
            )
        for name in ("inflow", "outflow"):
            candidates.append(
                {f"basis:{code}:{name}_per_week": -1}
                | {f"flow:{w}:{code}:{name}": 1 for w in weeks[:-1]}
            )
        candidates.append(
            {
                f"occ:now:{code}:total": 1,
                f"occ:before:{code}:total": -1,
                f"flow:{weeks[-1]}:{code}:net": -1,
            }
        )
        candidates.append({"waiting:persons": 1, f"occ:now:{code}:cno": -1})
    for top in region:
        for period in ("now", "before"):
            for b in BREAKDOWNS:
                candidates.append(
                    {f"occ:{period}:{top}:{b}": -1} | {f"occ:{period}:{h}:{b}": 1 for h in housing}
                )
        for week in weeks:
            for name in ("arrivals", "departures", "inflow", "outflow", "net"):
                candidates.append(
                    {f"flow:{week}:{top}:{name}": -1}
                    | {f"flow:{week}:{h}:{name}": 1 for h in housing}
                )
        for name in ("arrivals", "departures", "inflow", "outflow", "net"):
            candidates.append({f"sum4:{top}:{name}": -1} | {f"sum4:{h}:{name}": 1 for h in housing})
    return [
        r
        for r in candidates
        if all(k in truth for k in r) and sum(c * truth[k] for k, c in r.items()) == 0
    ]


@pytest.fixture
def reports(reference: None) -> tuple[dict[str, Any], dict[str, Any]]:
    scenario.build()
    return (
        report_content(week=scenario.WEEK, audience="prt"),
        report_content(week=scenario.WEEK, audience="stuurgroep"),  # the same units, unsuppressed
    )


def test_no_hidden_count_can_be_worked_out_from_the_province_report(reports: Any) -> None:
    prt, full = reports
    published, counts = _cells(prt)
    truth, _counts = _cells(full)
    assert prt["suppression"]["applied"] is True
    assert "<5" in published.values()
    assert "x" in published.values()
    relations = _relations(prt, truth)
    assert len(relations) > 50
    assert _pinned(published, truth, relations, counts) == []


def test_marking_only_the_small_counts_would_give_them_away(reports: Any) -> None:
    """The check above can fail: without secondary suppression it finds derivable counts."""
    prt, full = reports
    truth, counts = _cells(full)
    naive = {k: "<5" if k in counts and 0 < v < 5 else v for k, v in truth.items()}
    pinned = _pinned(naive, truth, _relations(prt, truth), counts)
    # e.g. the short stay of the region: total 15 minus long stay 12 is 3.
    assert "occ:now:vrhm:short_stay" in pinned


def test_small_counts_in_the_province_report(reports: Any) -> None:
    prt, full = reports
    rows = {(r["code"], r["breakdown"]): r for r in prt["figures"]}
    truth = {(r["code"], r["breakdown"]): r for r in full["figures"]}
    for key, row in rows.items():
        value = truth[key]["occupied"]
        if 0 < value < 5:
            assert row["occupied"] == "<5"
        elif row["occupied"] != "x":
            assert row["occupied"] == value
        if isinstance(row["occupied"], str):  # what is computed from it goes with it
            assert row["free_allocable"] == "x"
            assert row["occupancy_pct"] == "x"
        assert row["capacity"] == truth[key]["capacity"]  # places are not persons
    assert rows[("vrhm", "cno")]["occupied"] == "<5"
    assert rows[("vrhm", "private_hosting")]["occupied"] == 0
    assert prt["waiting"]["persons"] == "<5"
    assert prt["waiting"]["median_days"] == "x"
    # No municipality leaves the region.
    assert {r["level"] for r in prt["figures"]} == {"region", "housing_region"}
    published, counts = _cells(prt)
    assert not [k for k in counts if isinstance(published[k], int) and 0 < published[k] < 5]


def test_the_threshold_and_the_audiences_are_settings(reports: Any, settings: Any) -> None:
    settings.SMALL_COUNT_THRESHOLD = 3
    content = report_content(week=scenario.WEEK, audience="prt")
    rows = {(r["code"], r["breakdown"]): r for r in content["figures"]}
    assert rows[("vrhm", "cno")]["occupied"] in (3, "x")  # 3 is no longer small
    assert rows[("midden-holland", "total")]["occupied"] == "<3"  # 2
    settings.SUPPRESSION_AUDIENCES = ["rrt-midden-holland"]
    assert report_content(week=scenario.WEEK, audience="prt")["suppression"]["applied"] is False
    rrt = report_content(week=scenario.WEEK, audience="rrt-midden-holland")
    assert rrt["suppression"]["applied"] is True


def test_an_unsuppressed_report_for_the_region(reports: Any) -> None:
    _prt, full = reports
    assert full["suppression"]["applied"] is False
    assert "<5" not in str(full["figures"])
    assert datetime.date.fromisoformat(full["on"]) == datetime.date(2024, 3, 10)
