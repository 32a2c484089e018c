"""A person logs in with a real browser and opens the structure page."""

import pytest

from opvangregie.accounts.constants import Role
from opvangregie.accounts.services import role_assignment_create
from opvangregie.organisations.models import Organisation
from opvangregie.organisations.reference import reference_load
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def coordinator(transactional_db: None) -> None:
    reference_load(region="hollands-midden")
    user = UserFactory(username="coordinator-e2e", password="een-lang-wachtwoord")
    role_assignment_create(
        user=user, role=Role.COORDINATOR, organisation=Organisation.objects.get(code="twov")
    )


def test_log_in_and_open_the_structure(coordinator, server, page) -> None:  # type: ignore[no-untyped-def]

    page.goto(f"{server.url}/organisations/structure/?on=2024-02-01")
    assert "/login/" in page.url
    page.fill("#id_username", "coordinator-e2e")
    page.fill("#id_password", "een-lang-wachtwoord")
    page.click("main button[type=submit]")
    page.wait_for_url("**/organisations/structure/**")

    diagram = page.locator("[data-testid=structure-diagram] svg")
    assert diagram.is_visible()
    assert diagram.bounding_box()["width"] > 600
    assert page.locator("g.box[data-code=stuurgroep-twov]").is_visible()
    assert page.locator("g.box.municipality").count() == 18
    # The NL Design System stylesheet is served and applied.
    background = page.eval_on_selector(
        "header.opv-header", "el => getComputedStyle(el).backgroundColor"
    )
    assert background == "rgb(21, 66, 115)"

    # Another date, through htmx: the old structure replaces the new one in place.
    page.fill("#id_on", "2023-06-01")
    page.locator("#id_on").dispatch_event("change")
    page.wait_for_selector("g.box[data-code=veiligheidsberaad]")
    assert page.locator("g.box[data-code=stuurgroep-twov]").count() == 0
    assert "on=2023-06-01" in page.url

    # A box is a link to the body's page.
    page.click("g.box[data-code=vrbt-hollands-midden] a")
    page.wait_for_url("**/organisations/bodies/vrbt-hollands-midden/**")
    assert (
        page.locator("h1").inner_text() == "(voorbereidend) Regionaal Beleidsteam Hollands Midden"
    )
    assert page.locator("[data-testid=seats] tbody tr").count() == 18
