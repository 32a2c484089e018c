import shutil

import pytest
from django.db import connection

from opvangregie.organisations.reference import reference_load

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_postgres = connection.vendor == "postgresql"
    skip_pg = pytest.mark.skip(
        reason="needs PostgreSQL: run with DATABASE_URL=postgres://… (the SQLite run skips it)"
    )
    skip_e2e = pytest.mark.skip(
        reason="needs Debian's chromium (apt-get install chromium); .ci/run installs it"
    )
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)
        if "e2e" in item.keywords and CHROMIUM is None:
            item.add_marker(skip_e2e)


def pytest_report_header(config: pytest.Config) -> str:
    return (
        f"database: {connection.vendor}"
        f"{' (PostgreSQL-only tests will be skipped)' if connection.vendor != 'postgresql' else ''}"
        f"; browser: {CHROMIUM or 'none (browser tests will be skipped)'}"
    )


@pytest.fixture
def reference(db: None) -> None:
    """The Hollands Midden reference data, loaded through the real loader."""
    reference_load(region="hollands-midden")


@pytest.fixture
def demo_mode(settings: pytest.FixtureRequest) -> None:
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
