"""Governance in a browser: the secretary of an RRT records a measurable agreement and sees the
progress computed from the figures on its page."""

import datetime

import pytest
from pytest_django.live_server_helper import LiveServer

from opvangregie.accounts.constants import Role
from opvangregie.accounts.services import role_assignment_create
from opvangregie.capacity.reference import reference_load_all
from opvangregie.core.dates import today
from opvangregie.governance.models import Agreement
from opvangregie.organisations.models import Body, Organisation
from tests.accounts.factories import UserFactory
from tests.capacity.factories import make_location

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "een-lang-wachtwoord"


@pytest.fixture
def secretary(transactional_db: None) -> None:
    """The secretary of the RRT Holland Rijnland; 8 beds opened in Leiden a month ago."""
    reference_load_all(region="hollands-midden")
    role_assignment_create(
        user=UserFactory(username="secretaris-e2e", password=PASSWORD),
        role=Role.RRT_SECRETARY,
        organisation=Organisation.objects.get(code="holland-rijnland"),
    )
    make_location(beds=8, municipality="GM0546", opens_on=today() - datetime.timedelta(days=30))


def test_record_a_measurable_agreement_and_see_its_progress(
    secretary: None,
    server: LiveServer,
    page,  # type: ignore[no-untyped-def]
) -> None:
    page.goto(f"{server.url}/governance/agreements/")
    page.fill("#id_username", "secretaris-e2e")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    form = page.locator("[data-testid=agreement-form]")
    form.wait_for()
    rrt = Body.objects.get(code="rrt-holland-rijnland")
    page.select_option("#id_body", str(rrt.pk))
    page.fill("#id_title", "Tien extra plaatsen in Leiden")
    page.fill("#id_owner", "Wethouder opvang Leiden")
    form.get_by_label("Leiden", exact=True).check()
    page.fill("#id_start_date", (today() - datetime.timedelta(days=60)).isoformat())
    page.fill("#id_deadline", (today() + datetime.timedelta(days=60)).isoformat())
    page.select_option("#id_metric", "realised_places")
    page.fill("#id_target", "10")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/governance/agreements/*/")
    agreement = Agreement.objects.get()
    assert page.url.endswith(f"/governance/agreements/{agreement.uuid}/")
    # 8 of the 10 places realised since the start, computed from the locations.
    progress = page.locator("[data-testid=progress]").inner_text()
    assert progress.startswith("8 van 10 (80"), progress
    facts = page.locator("[data-testid=agreement]").inner_text()
    assert "Wethouder opvang Leiden" in facts
    assert "op schema" in facts
