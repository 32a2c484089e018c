"""Placement in a browser: the TWOV computes and sends, Gouda accepts, the TWOV approves."""

import datetime

import pytest
from pytest_django.live_server_helper import LiveServer

from opvangregie.accounts.constants import Role
from opvangregie.accounts.services import role_assignment_create
from opvangregie.capacity.models import Location
from opvangregie.capacity.reference import reference_load_all
from opvangregie.organisations.models import Organisation
from opvangregie.residents.models import Household, Stay
from opvangregie.residents.services import stay_intake
from tests.accounts.factories import UserFactory
from tests.capacity.factories import make_location
from tests.residents.factories import make_household

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "een-lang-wachtwoord"


@pytest.fixture
def household(transactional_db: None) -> Household:
    reference_load_all(region="hollands-midden")
    for username, role, organisation in (
        ("coordinator-e2e", Role.COORDINATOR, "twov"),
        ("gouda-e2e", Role.MUNICIPAL_OFFICER, "GM0513"),
    ):
        role_assignment_create(
            user=UserFactory(username=username, password=PASSWORD),
            role=role,
            organisation=Organisation.objects.get(code=organisation),
        )
    make_location(beds=3, municipality="GM0513", name="Kazerne Gouda")
    household = make_household(2, external_id="HH-E2E")
    stay_intake(
        household=household,
        location=Location.objects.get(external_id="cno-nieuwe-sloot"),
        on=datetime.date(2024, 2, 1),
    )
    return household


def _login(page, server: LiveServer, username: str, next_url: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto(f"{server.url}{next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")


def test_compute_send_accept_approve(household, server, page) -> None:  # type: ignore[no-untyped-def]
    _login(page, server, "coordinator-e2e", "/placement/")
    page.wait_for_selector("[data-testid=run-form]")
    page.fill("#id_on", "2024-02-02")
    page.fill("#id_time_limit", "10")
    page.click("[data-testid=run-form] button[type=submit]")
    page.wait_for_url("**/placement/runs/**")
    line = page.locator("[data-testid=line]", has_text="HH-E2E")
    assert "Naar Kazerne Gouda in Gouda" in line.inner_text()
    page.click("[data-testid=send]")
    page.wait_for_selector("[data-testid=state] >> text=verstuurd naar de gemeenten")
    run_url = page.url

    _login(page, server, "gouda-e2e", "/placement/")
    page.click("[data-testid=runs] a")
    page.click("[data-testid=line] a >> text=HH-E2E")
    # Declining without a reason is refused on the page.
    page.select_option("#id_response-answer", "decline")
    page.click("[data-testid=response-form] button[type=submit]")
    page.wait_for_selector("text=Geef een reden voor het afwijzen.")
    page.select_option("#id_response-answer", "accept")
    page.click("[data-testid=response-form] button[type=submit]")
    page.wait_for_selector("[data-testid=response] >> text=geaccepteerd")

    _login(page, server, "coordinator-e2e", run_url.removeprefix(server.url))
    page.fill("#id_approve-on", "2024-02-03")
    page.click("[data-testid=approve-form] button[type=submit]")
    page.wait_for_selector("text=1 huishouden(s) geplaatst.")
    assert set(
        Stay.objects.filter(person__household=household, end_date__isnull=True).values_list(
            "location__name", flat=True
        )
    ) == {"Kazerne Gouda"}
