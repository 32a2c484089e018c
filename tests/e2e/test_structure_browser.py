"""A person logs in with a real browser and opens the structure page."""

import os
import shutil
from collections.abc import Iterator

import pytest
from django.db import connections
from pytest_django.live_server_helper import LiveServer

from opvangregie.accounts.constants import Role
from opvangregie.accounts.services import role_assignment_create
from opvangregie.organisations.models import Organisation
from opvangregie.organisations.reference import reference_load
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture
def server(transactional_db: None, settings: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """A live server for this test only, stopped (and its connections closed) before the test
    database is dropped — pytest-django's session-wide one outlives it on PostgreSQL."""
    settings.ALLOWED_HOSTS = ["localhost"]  # type: ignore[attr-defined]
    live = LiveServer("localhost")
    yield live
    live.stop()


@pytest.fixture
def page() -> Iterator[object]:
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the test
    # itself are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="nl-NL", viewport={"width": 1400, "height": 1000})
        yield context.new_page()
        context.close()
        browser.close()
        # Connections opened by the test while Playwright's loop ran live in that context.
        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


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
