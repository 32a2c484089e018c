"""Shared fixtures of the browser tests: a live server per test and a page in Debian's chromium."""

import os
import shutil
from collections.abc import Iterator

import pytest
from django.db import connections
from pytest_django.live_server_helper import LiveServer

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
