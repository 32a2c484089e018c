"""A coordinator checks the occupancy, opens a location and moves a household, in a browser."""

import datetime

import pytest
from pytest_django.live_server_helper import LiveServer

from opvangregie.accounts.constants import Role
from opvangregie.accounts.services import role_assignment_create
from opvangregie.capacity.reference import reference_load_all
from opvangregie.organisations.models import Organisation
from opvangregie.residents.models import Household
from opvangregie.residents.services import stay_intake
from tests.accounts.factories import UserFactory
from tests.capacity.factories import make_location
from tests.residents.factories import make_household

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def household(transactional_db: None) -> Household:
    reference_load_all(region="hollands-midden")
    user = UserFactory(username="coordinator-e2e", password="een-lang-wachtwoord")
    role_assignment_create(
        user=user, role=Role.COORDINATOR, organisation=Organisation.objects.get(code="twov")
    )
    make_location(
        beds=3, municipality="GM0513", name="Kazerne Gouda", opens_on=datetime.date(2024, 1, 1)
    )
    household = make_household(2)
    from opvangregie.capacity.models import Location

    stay_intake(
        household=household,
        location=Location.objects.get(external_id="cno-nieuwe-sloot"),
        on=datetime.date(2024, 2, 1),
    )
    return household


def _login(page, server: LiveServer, next_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server.url}{next_url}")
    page.fill("#id_username", "coordinator-e2e")
    page.fill("#id_password", "een-lang-wachtwoord")
    page.click("main button[type=submit]")


def test_occupancy_and_a_move_with_a_clear_refusal(household, server, page) -> None:  # type: ignore[no-untyped-def]
    _login(page, server, "/locations/?on=2024-02-01")
    page.wait_for_selector("[data-testid=locations]")
    row = page.locator("[data-testid=locations] tr", has_text="CNO Nieuwe Sloot")
    assert "2" in row.locator("td").nth(5).inner_text()
    page.goto(f"{server.url}/residents/households/{household.uuid}/")
    page.select_option("#id_move-location", label="Kazerne Gouda (Gouda)")
    page.fill("#id_move-on", "2024-02-03")
    page.click("#move-form button[type=submit]")
    page.wait_for_url("**/residents/households/**")
    page.wait_for_selector("[data-testid=stays] >> text=Kazerne Gouda")
    assert page.locator("[data-testid=stays] tbody tr").count() == 4
    # A second household of two does not fit the one bed left: the form says so, in place.
    other = make_household(2)
    from opvangregie.capacity.models import Location

    stay_intake(
        household=other,
        location=Location.objects.get(external_id="cno-nieuwe-sloot"),
        on=datetime.date(2024, 2, 1),
    )
    page.goto(f"{server.url}/residents/households/{other.uuid}/")
    page.select_option("#id_move-location", label="Kazerne Gouda (Gouda)")
    page.fill("#id_move-on", "2024-02-03")
    page.click("#move-form button[type=submit]")
    alert = page.locator("#move-form .utrecht-alert--error")
    alert.wait_for()
    assert "heeft geen plaats voor 2" in alert.inner_text()
