"""Issuing: a report is frozen as sent; a re-issue is a new version that lists what changed;
a stored report that was changed afterwards is refused."""

import datetime
import json
from collections.abc import Iterator

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from opvangregie.accounts.constants import Role
from opvangregie.reports.models import IssuedReport
from opvangregie.reports.selectors import (
    ReportIntegrityError,
    canonical_json,
    checksum_of,
    latest_issued,
    report_frozen,
    report_live,
)
from opvangregie.reports.services import report_issue
from opvangregie.residents.services import stay_depart
from tests.accounts.factories import user_with_role
from tests.reports.scenario import WEEK, Scene

D = datetime.date


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are matched in English here (the Dutch catalogue is tested on its own)."""
    with translation.override("en"):
        yield


def _row(content: dict, code: str, breakdown: str = "total") -> dict:
    return next(r for r in content["figures"] if r["code"] == code and r["breakdown"] == breakdown)


def test_an_issued_report_stays_as_sent_after_a_late_correction(scene: Scene) -> None:
    coordinator = user_with_role(Role.COORDINATOR, "twov")
    report = report_issue(user=coordinator, week=WEEK, audience="stuurgroep")
    assert (report.week, report.audience, report.version) == (WEEK, "stuurgroep", 1)
    assert report.checksum == checksum_of(report.document)
    frozen = report_frozen(report=report)
    assert _row(frozen.content, "vrhm")["occupied"] == 15
    assert frozen.issued_by == (coordinator.get_full_name() or coordinator.username)
    assert frozen.changes == []

    # A late correction: household S (2, Gouda) had in fact left on Friday 2024-03-08.
    stay_depart(household=scene.s, on=D(2024, 3, 8), reason="own_housing")
    assert _row(report_live(week=WEEK, audience="stuurgroep"), "vrhm")["occupied"] == 13
    again = report_frozen(report=IssuedReport.objects.get(pk=report.pk))
    assert _row(again.content, "vrhm")["occupied"] == 15
    assert again.content == frozen.content

    # A re-issue is version 2 with the difference to version 1.
    second = report_issue(user=coordinator, week=WEEK, audience="stuurgroep", note="correctie")
    assert second.version == 2
    changes = report_frozen(report=second).changes
    assert {
        "section": "figures",
        "unit": "Gouda",
        "item": "total",
        "field": "occupied",
        "old": 2,
        "new": 0,
    } in changes
    assert {
        "section": "figures",
        "unit": "Veiligheidsregio Hollands Midden",
        "item": "total",
        "field": "occupied",
        "old": 15,
        "new": 13,
    } in changes
    assert all(c["section"] != "figures" or c["unit"] != "Alphen aan den Rijn" for c in changes)
    # Versions are counted per week and audience.
    assert report_issue(user=coordinator, week=WEEK, audience="prt").version == 1


def test_a_changed_stored_report_is_refused(scene: Scene) -> None:
    report = report_issue(user=None, week=WEEK, audience="rrt-midden-holland")
    document = json.loads(report.document)
    document["content"]["figures"][0]["occupied"] = 99
    # Written in the canonical form, so only the figure differs.
    IssuedReport.objects.filter(pk=report.pk).update(document=canonical_json(document))
    with pytest.raises(ReportIntegrityError, match="checksum"):
        report_frozen(report=IssuedReport.objects.get(pk=report.pk))
    with pytest.raises(ReportIntegrityError):
        latest_issued(audience="rrt-midden-holland")


def test_who_may_issue(scene: Scene) -> None:
    secretary = user_with_role(Role.RRT_SECRETARY, "midden-holland")
    assert report_issue(user=secretary, week=WEEK, audience="rrt-midden-holland").version == 1
    for audience in ("rrt-holland-rijnland", "stuurgroep", "prt"):
        with pytest.raises(PermissionDenied):
            report_issue(user=secretary, week=WEEK, audience=audience)
    for role, organisation in (
        (Role.STEERING_GROUP_MEMBER, "vrhm"),
        (Role.RRT_MEMBER, "GM0513"),
        (Role.PROVINCE, "pv-zuid-holland"),
        (Role.MUNICIPAL_OFFICER, "GM0513"),
    ):
        with pytest.raises(PermissionDenied):
            report_issue(user=user_with_role(role, organisation), week=WEEK, audience="prt")
    assert IssuedReport.objects.count() == 1


def test_bad_week_or_audience(scene: Scene) -> None:
    with pytest.raises(ValidationError, match="ISO week"):
        report_issue(user=None, week="2024-10", audience="prt")
    with pytest.raises(ValidationError, match="ISO week"):
        report_issue(user=None, week="2023-W53", audience="prt")  # 2023 has 52 weeks
    with pytest.raises(ValidationError, match="audience"):
        report_issue(user=None, week=WEEK, audience="lrt")


def test_latest_issued_for_a_meeting(scene: Scene) -> None:
    assert latest_issued(audience="prt") is None
    first = report_issue(user=None, week="2024-W09", audience="prt")
    second = report_issue(user=None, week=WEEK, audience="prt")
    IssuedReport.objects.filter(pk=first.pk).update(
        issued_at=datetime.datetime(2024, 3, 5, 9, tzinfo=datetime.UTC)
    )
    IssuedReport.objects.filter(pk=second.pk).update(
        issued_at=datetime.datetime(2024, 3, 12, 9, tzinfo=datetime.UTC)
    )
    assert latest_issued(audience="prt", before=D(2024, 3, 11)).week == "2024-W09"
    latest = latest_issued(audience="prt", before=D(2024, 3, 12))
    assert (latest.week, latest.version, latest.audience) == (WEEK, 1, "prt")
    assert latest.content["suppression"]["applied"] is True
    assert latest_issued(audience="prt", before=D(2024, 3, 1)) is None
    assert latest_issued(audience="stuurgroep") is None
