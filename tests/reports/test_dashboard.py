"""The dashboard: figures at the levels a role may see, drill-down, charts drawn without inline
scripts."""

import json
import re
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from opvangregie.accounts.constants import Role
from opvangregie.capacity.models import Location
from tests.accounts.factories import user_with_role
from tests.monitoring.test_query_count import populate
from tests.reports.scenario import Scene

URL = reverse("reports:dashboard")


@pytest.fixture(autouse=True)
def english(client: Client) -> Iterator[None]:
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def test_a_coordinator_drills_down_to_the_locations(client: Client, scene: Scene) -> None:
    client.force_login(user_with_role(Role.COORDINATOR, "twov"))
    top = client.get(URL, {"on": "2024-03-10"}).content.decode()
    assert "Veiligheidsregio Hollands Midden" in top
    assert "level=housing_region&amp;parent=vrhm" in top
    for chart in ("chart-occupancy", "chart-flows", "chart-targets", "chart-free"):
        assert f'data-chart="{chart}"' in top
    assert "<script>" not in top
    housing = client.get(URL, {"on": "2024-03-10", "level": "housing_region", "parent": "vrhm"})
    text = housing.content.decode()
    assert "Midden-Holland" in text
    assert "level=municipality&amp;parent=midden-holland" in text
    gouda = client.get(
        URL, {"on": "2024-03-10", "level": "municipality", "parent": "midden-holland"}
    ).content.decode()
    assert "Gouda" in gouda
    assert "Alphen aan den Rijn" not in gouda
    locations = client.get(
        URL, {"on": "2024-03-10", "level": "location", "parent": "GM0513"}
    ).content.decode()
    assert "Gouda gastgezin" in locations
    # 22 + 4 beds in Gouda on the 10th, 2 persons.
    assert ">22<" in locations
    # The flows chart of Gouda's locations is Gouda's: S (2) came in, nobody left; the region
    # had 16 arrivals and 1 departure.
    assert _series(locations, "chart-flows") == {"inflow": 2, "outflow": 0}
    assert _series(top, "chart-flows") == {"inflow": 16, "outflow": 1}


def _series(page: str, chart: str) -> dict[str, int]:
    """The sum of each series of a chart, from its JSON on the page."""
    match = re.search(rf'<script id="{chart}" type="application/json">(.*?)</script>', page)
    assert match is not None
    config = json.loads(match[1])
    return {d["label"]: sum(d["data"]) for d in config["data"]["datasets"]}


def test_sight_follows_the_role(client: Client, scene: Scene) -> None:
    client.force_login(user_with_role(Role.STEERING_GROUP_MEMBER, "vrhm"))
    page = client.get(URL, {"on": "2024-03-10", "level": "location", "parent": "GM0513"})
    assert "Gouda gastgezin" not in page.content.decode()  # no locations for the steering group
    client.force_login(user_with_role(Role.MUNICIPAL_OFFICER, "GM0484"))
    own = client.get(URL, {"on": "2024-03-10", "level": "municipality"}).content.decode()
    assert "Alphen aan den Rijn" in own
    assert "Gouda" not in own
    client.force_login(user_with_role(Role.PROVINCE, "pv-zuid-holland"))
    assert client.get(URL).status_code == 403
    client.force_login(user_with_role(Role.ADMINISTRATOR, "vrhm"))
    assert client.get(URL).status_code == 403


def test_a_bad_date_shows_today(client: Client, scene: Scene) -> None:
    client.force_login(user_with_role(Role.COORDINATOR, "twov"))
    page = client.get(URL, {"on": "2024-13-45"}).content.decode()
    assert "Showing today instead." in page


def _page_queries(client: Client, params: dict[str, str]) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(context.captured_queries), response.content.decode()


@pytest.mark.parametrize("role", [Role.STEERING_GROUP_MEMBER, Role.COORDINATOR])
def test_the_dashboard_takes_as_many_queries_for_twice_the_locations(
    client: Client, reference: None, role: str
) -> None:
    client.force_login(user_with_role(role, "twov" if role == Role.COORDINATOR else "vrhm"))
    params = {"on": "2024-03-01"}
    populate(10)
    client.get(URL, params)  # warm the per-process caches (content types, translations)
    locations = Location.objects.count()
    few, page = _page_queries(client, params)
    assert 'data-chart="chart-occupancy"' in page
    populate(10)
    assert Location.objects.count() == locations + 11
    many, page = _page_queries(client, params)
    assert many == few
    drill, page = _page_queries(client, params | {"level": "housing_region", "parent": "vrhm"})
    assert drill == few
    assert "Midden-Holland" in page
