"""The report pages: who sees which audience, the preview, issuing, a version with its changes,
downloads, and a stored report that fails its checksum."""

import datetime
import json
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from opvangregie.accounts.constants import Role
from opvangregie.reports.models import IssuedReport
from opvangregie.reports.selectors import canonical_json
from opvangregie.reports.services import report_issue
from opvangregie.residents.services import stay_depart
from tests.accounts.factories import user_with_role
from tests.reports.scenario import WEEK, Scene


@pytest.fixture
def en(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def test_coordinator_previews_issues_and_reads_a_version(en: Client, scene: Scene) -> None:
    en.force_login(user_with_role(Role.COORDINATOR, "twov"))
    page = en.get(reverse("reports:list")).content.decode()
    assert 'data-testid="issue-form"' in page
    preview = en.get(reverse("reports:preview"), {"week": WEEK, "audience": "stuurgroep"})
    text = preview.content.decode()
    assert "Weekly report Steering group TWOV, week 2024-W10" in text
    assert "Gouda +12 places, 6 above target." in text
    assert 'data-chart="chart-targets"' in text
    assert "<script>" not in text  # no inline scripts (CSP)
    response = en.post(
        reverse("reports:issue"), {"issue-week": WEEK, "issue-audience": "stuurgroep"}
    )
    report = IssuedReport.objects.get()
    assert response["Location"] == reverse("reports:detail", args=[report.uuid])
    detail = en.get(response["Location"]).content.decode()
    assert "Version 1, issued" in detail
    assert "This is the first version." in detail
    stay_depart(household=scene.s, on=datetime.date(2024, 3, 8), reason="other")
    en.post(reverse("reports:issue"), {"issue-week": WEEK, "issue-audience": "stuurgroep"})
    second = IssuedReport.objects.get(version=2)
    detail = en.get(reverse("reports:detail", args=[second.uuid])).content.decode()
    assert 'data-testid="changes"' in detail
    assert "Gouda" in detail
    pdf = en.get(reverse("reports:download", args=[second.uuid, "pdf"]))
    assert pdf.content.startswith(b"%PDF-")
    assert pdf["Content-Disposition"].endswith('-v2.pdf"')


def test_each_role_sees_its_own_audiences(en: Client, scene: Scene) -> None:
    reports = {
        a: report_issue(user=None, week=WEEK, audience=a)
        for a in ("stuurgroep", "rrt-holland-rijnland", "rrt-midden-holland", "prt")
    }
    cases = [
        (
            Role.STEERING_GROUP_MEMBER,
            "vrhm",
            {"stuurgroep", "rrt-holland-rijnland", "rrt-midden-holland", "prt"},
        ),
        (Role.RRT_SECRETARY, "holland-rijnland", {"rrt-holland-rijnland"}),
        (Role.RRT_MEMBER, "GM0513", {"rrt-midden-holland"}),
        (Role.PROVINCE, "pv-zuid-holland", {"prt"}),
    ]
    for role, organisation, expected in cases:
        en.force_login(user_with_role(role, organisation))
        page = en.get(reverse("reports:list")).content.decode()
        for audience, report in reports.items():
            url = reverse("reports:detail", args=[report.uuid])
            assert (url in page) == (audience in expected), (role, audience)
            assert en.get(url).status_code == (200 if audience in expected else 404)
        issue = en.post(reverse("reports:issue"), {"issue-week": WEEK, "issue-audience": "prt"})
        assert issue.status_code in (302, 403)
    assert IssuedReport.objects.count() == 4
    en.force_login(user_with_role(Role.MUNICIPAL_OFFICER, "GM0513"))
    assert en.get(reverse("reports:list")).status_code == 403
    assert en.get(reverse("reports:preview"), {"week": WEEK, "audience": "prt"}).status_code == 403


def test_a_province_member_cannot_preview_another_audience(en: Client, scene: Scene) -> None:
    en.force_login(user_with_role(Role.PROVINCE, "pv-zuid-holland"))
    page = en.get(reverse("reports:preview"), {"week": WEEK, "audience": "stuurgroep"})
    assert "Weekly report Steering group" not in page.content.decode()
    assert (
        en.get(
            reverse("reports:preview_download", args=["csv"]),
            {"week": WEEK, "audience": "stuurgroep"},
        ).status_code
        == 404
    )
    ok = en.get(
        reverse("reports:preview_download", args=["csv"]), {"week": WEEK, "audience": "prt"}
    )
    assert b"<5" in ok.content


def test_a_tampered_report_is_flagged_and_not_given_out(en: Client, scene: Scene) -> None:
    report = report_issue(user=None, week=WEEK, audience="stuurgroep")
    document = json.loads(report.document)
    document["content"]["waiting"]["persons"] = 0
    IssuedReport.objects.filter(pk=report.pk).update(document=canonical_json(document))
    en.force_login(user_with_role(Role.COORDINATOR, "twov"))
    page = en.get(reverse("reports:detail", args=[report.uuid]))
    assert page.status_code == 409
    assert 'data-testid="tampered"' in page.content.decode()
    assert en.get(reverse("reports:download", args=[report.uuid, "csv"])).status_code == 409
