"""The steering group opens the dashboard in a browser, picks another date and sees that day's
figures; the charts are drawn by charts.js under the strict CSP (no inline scripts)."""

import pytest
from pytest_django.live_server_helper import LiveServer

from opvangregie.accounts.constants import Role
from opvangregie.accounts.services import role_assignment_create
from opvangregie.organisations.models import Organisation
from opvangregie.organisations.reference import reference_load
from tests.accounts.factories import UserFactory
from tests.reports import scenario

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "een-lang-wachtwoord"
REGION = "Veiligheidsregio Hollands Midden"


@pytest.fixture
def scene(transactional_db: None) -> scenario.Scene:
    reference_load(region="hollands-midden")
    role_assignment_create(
        user=UserFactory(username="stuurgroep-e2e", password=PASSWORD),
        role=Role.STEERING_GROUP_MEMBER,
        organisation=Organisation.objects.get(code="vrhm"),
    )
    return scenario.build()


def _occupied(page) -> str:  # type: ignore[no-untyped-def]
    """The region's "occupied" cell (the fourth column of the units table)."""
    row = page.locator("[data-testid=units] tbody tr", has_text=REGION)
    return str(row.locator("td").nth(3).inner_text())


def test_pick_a_date_and_see_its_figures(scene, server: LiveServer, page) -> None:  # type: ignore[no-untyped-def]
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{server.url}/reports/dashboard/?on=2024-03-03")
    page.fill("#id_username", "stuurgroep-e2e")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=units]")
    # Sunday 2024-03-03: 11 persons in the region (tests/reports/scenario.py).
    assert page.input_value("#id_on") == "2024-03-03"
    assert _occupied(page) == "11"

    page.fill("#id_on", "2024-03-10")
    page.click("form.opv-datebar button[type=submit]")
    page.wait_for_url("**on=2024-03-10**")
    # A week later R (3) and S (2) came in and one person of Q left: 15.
    assert _occupied(page) == "15"
    # charts.js drew the occupancy chart from its JSON (it marks a canvas it drew).
    chart = page.locator("canvas[data-chart=chart-occupancy]")
    chart.wait_for()
    page.wait_for_function(
        "document.querySelector('canvas[data-chart=chart-occupancy]').dataset.drawn === '1'"
    )
    assert (
        page.evaluate(
            "Chart.getChart(document.querySelector('canvas[data-chart=chart-occupancy]'))"
            ".data.datasets[1].data.at(-1)"
        )
        == 15
    )
    assert page.locator("canvas[data-chart][data-drawn='1']").count() == 4
    assert blocked == []
