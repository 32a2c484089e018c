"""The weekly report's figures, checked by hand against tests/reports/scenario.py, and the
generated summary."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from opvangregie.reports.content import InvalidWeekError, report_content, week_monday
from opvangregie.reports.summary import summary_sentences
from tests.monitoring.test_query_count import populate
from tests.reports.scenario import WEEK, Scene


def _figures(content: dict[str, Any], code: str, breakdown: str = "total") -> dict[str, Any]:
    return next(r for r in content["figures"] if r["code"] == code and r["breakdown"] == breakdown)


def _flow(content: dict[str, Any], code: str, week: str = WEEK) -> dict[str, Any]:
    return next(r for r in content["flows"] if r["code"] == code and r["week"] == week)


def test_the_figures_of_the_week(scene: Scene) -> None:
    content = report_content(week=WEEK, audience="stuurgroep")
    assert (content["on"], content["previous_on"]) == ("2024-03-10", "2024-03-03")
    region = _figures(content, "vrhm")
    assert {k: region[k] for k in ("capacity", "allocable", "occupied", "free_allocable")} == {
        "capacity": 76,
        "allocable": 74,
        "occupied": 15,
        "free_allocable": 59,
    }
    assert region["occupancy_pct"] == 19.7
    assert region["previous"]["occupied"] == 11
    assert region["previous"]["capacity"] == 64
    assert region["change"]["occupied"] == 4
    assert region["change"]["capacity"] == 12
    assert _figures(content, "vrhm", "cno")["occupied"] == 3
    gouda = _figures(content, "GM0513")
    assert (gouda["capacity"], gouda["occupied"], gouda["free_allocable"]) == (26, 2, 24)
    assert _figures(content, "GM0513", "private_hosting")["capacity"] == 4
    assert _figures(content, "holland-rijnland")["occupied"] == 13
    # Flows: R (3) and S (2) arrive, one person of Q returns.
    week = _flow(content, "vrhm")
    assert (week["arrivals"], week["arrivals_households"], week["departures"]) == (5, 2, 1)
    assert (week["inflow"], week["outflow"], week["net"]) == (5, 1, 4)
    assert _flow(content, "vrhm", "2024-W08")["arrivals"] == 11
    assert [r["week"] for r in content["flows"] if r["code"] == "vrhm"] == [
        "2024-W06",
        "2024-W07",
        "2024-W08",
        "2024-W09",
        "2024-W10",
    ]
    four = next(r for r in content["flows_4_weeks"] if r["code"] == "vrhm")
    assert (four["inflow"], four["outflow"], four["net"]) == (16, 1, 15)
    # Alphen: 11 moved in from the CNO in W09, not an arrival.
    alphen = _flow(content, "GM0484", "2024-W09")
    assert (alphen["arrivals"], alphen["inflow"]) == (0, 11)
    waiting = content["waiting"]
    assert (waiting["persons"], waiting["households"], waiting["median_days"]) == (3, 1, 6)
    assert waiting["over_72h_persons"] == 3
    targets = {t["code"]: t for t in content["targets"]}
    assert (targets["GM0484"]["target"], targets["GM0484"]["realised"]) == (15, 20)
    assert targets["GM0546"]["difference"] == -10
    assert targets["midden-holland"]["realised"] == 26
    broad = {r["code"]: r for r in content["broad_task"]}
    assert broad["GM0513"]["ukrainian_target"] == 20
    runway = {u["code"]: u for u in content["runway"]["units"]}
    # 59 free, 11 arrivals in the 4 weeks before: 2.75 a week; 7 * 59 / 2.75 = 150.2 days.
    assert runway["vrhm"]["net_per_week"] == 2.75
    assert runway["vrhm"]["runs_out_on"] == "2024-08-08"
    assert runway["holland-rijnland"]["runs_out_on"] == "2024-06-08"
    assert runway["midden-holland"]["runs_out_on"] is None
    assert content["runway"]["scenario"]["basis_from"] == "2024-02-05"


def test_an_rrt_report_holds_its_housing_region_and_municipalities(scene: Scene) -> None:
    content = report_content(week=WEEK, audience="rrt-midden-holland")
    codes = {r["code"] for r in content["figures"]}
    assert "midden-holland" in codes
    assert "GM0513" in codes
    assert "GM0484" not in codes
    assert "vrhm" not in codes
    assert [u["code"] for u in content["runway"]["units"]] == ["midden-holland"]


def test_the_summary_in_words(scene: Scene) -> None:
    content = report_content(week=WEEK, audience="stuurgroep")
    with translation.override("en"):
        sentences = summary_sentences(content["summary"])
    assert sentences == [
        "Gouda +12 places, 6 above target.",
        "2 municipalities are above their target, 1 below.",
        "In Veiligheidsregio Hollands Midden 15 persons stay (19.7%), 4 more than a week before. "
        "59 allocable places are free.",
        "This week 5 persons came in and 1 left.",
        "3 persons wait at the CNO, 3 of them longer than 72 hours.",
        "The free allocable capacity in Veiligheidsregio Hollands Midden runs out at the "
        "current inflow around 2024-08-08.",
        "The free allocable capacity in Holland Rijnland runs out at the current inflow around "
        "2024-06-08.",
        "The free allocable capacity in Midden-Holland does not run out at the current inflow.",
    ]
    # Deterministic: the same figures, the same words.
    assert report_content(week=WEEK, audience="stuurgroep")["summary"] == content["summary"]


def test_the_summary_never_tells_a_suppressed_count(scene: Scene) -> None:
    content = report_content(week=WEEK, audience="prt")
    with translation.override("en"):
        text = " ".join(summary_sentences(content["summary"]))
    assert "wait at the CNO" not in text  # 3 persons: "<5"
    assert "Midden-Holland +12 places, 6 above target." in text  # places, not persons


@pytest.mark.parametrize("week", ["2024-W00", "2024-W54", "2024W10", "", "2024-w10"])
def test_a_bad_week(week: str) -> None:
    with pytest.raises(InvalidWeekError):
        week_monday(week)


@pytest.mark.parametrize("audience", ["stuurgroep", "prt"])
def test_the_figures_take_as_many_queries_for_twice_the_locations(
    reference: None, audience: str
) -> None:
    populate(8)

    def queries() -> tuple[int, dict[str, Any]]:
        with CaptureQueriesContext(connection) as context:
            content = report_content(week="2024-W09", audience=audience)
        return len(context.captured_queries), content

    few, content = queries()
    populate(8)
    many, more = queries()
    assert many == few
    region = next(r for r in more["flows"] if r["code"] == "vrhm" and r["week"] == "2024-W09")
    assert region != next(
        r for r in content["flows"] if r["code"] == "vrhm" and r["week"] == "2024-W09"
    )
