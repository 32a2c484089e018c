import datetime

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from opvangregie.accounts.constants import Role
from opvangregie.capacity.models import Location
from opvangregie.residents.services import stay_intake
from tests.accounts.factories import user_with_role
from tests.capacity.factories import make_location
from tests.residents.factories import make_household

D = datetime.date
pytestmark = pytest.mark.usefixtures("reference")


def _login(client: Client, role: str, organisation: str) -> Client:
    client.force_login(user_with_role(role, organisation))
    return client


@pytest.fixture
def coordinator(client: Client) -> Client:
    return _login(client, Role.COORDINATOR, "twov")


def test_location_list_shows_figures_and_bars(coordinator: Client) -> None:
    location = make_location(beds=10, municipality="GM0513", name="Kazerne Gouda")
    stay_intake(household=make_household(4), location=location, on=D(2024, 2, 1))
    page = coordinator.get(reverse("capacity:list"), {"on": "2024-02-01"}).content.decode()
    assert "Kazerne Gouda" in page
    assert 'aria-label="40,0%"' in page
    assert "Locaties en bezetting" in page


def test_location_list_exports_csv_and_xlsx(coordinator: Client) -> None:
    make_location(beds=10, municipality="GM0513", name="Kazerne Gouda")
    csv_response = coordinator.get(reverse("capacity:list"), {"on": "2024-02-01", "format": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv")
    text = csv_response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("external_id,name,type,municipality")
    assert "Kazerne Gouda" in text
    xlsx = coordinator.get(reverse("capacity:list"), {"on": "2024-02-01", "format": "xlsx"})
    import io

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["B1"].value == "name"
    assert sheet["B2"].value == "Kazerne Gouda"
    assert sheet["H2"].value == 10


def test_location_detail_and_capacity_change_with_dutch_error(coordinator: Client) -> None:
    location = make_location(beds=4)
    stay_intake(household=make_household(3), location=location, on=D(2024, 2, 1))
    detail = coordinator.get(reverse("capacity:detail", args=[location.uuid]), {"on": "2024-02-01"})
    assert detail.status_code == 200
    assert 'id="history-data"' in detail.content.decode()
    url = reverse("capacity:capacity_change", args=[location.uuid])
    refused = coordinator.post(
        url, {"valid_from": "2024-03-01", "beds": "2", "blocked_beds": "0"}, HTTP_HX_REQUEST="true"
    )
    assert refused.status_code == 200
    assert "Verplaats eerst bewoners" in refused.content.decode()
    accepted = coordinator.post(
        url, {"valid_from": "2024-03-01", "beds": "8", "blocked_beds": "0"}, HTTP_HX_REQUEST="true"
    )
    assert accepted.status_code == 204
    assert accepted["HX-Redirect"] == reverse("capacity:detail", args=[location.uuid])
    assert location.capacity.count() == 2


def test_status_change_form(coordinator: Client) -> None:
    location = make_location(beds=4)
    url = reverse("capacity:status_change", args=[location.uuid])
    bad = coordinator.post(url, {"status": "planned", "effective_date": "2024-03-01"})
    assert "kan niet van" in bad.content.decode()
    good = coordinator.post(url, {"status": "closing", "effective_date": "2024-03-01"})
    assert good.status_code == 302


def test_create_location_form(coordinator: Client) -> None:
    response = coordinator.post(
        reverse("capacity:create"),
        {
            "name": "Paviljoen Noord",
            "type": "municipal",
            "municipality": "GM0546",
            "beds": "30",
            "blocked_beds": "40",
            "opens_on": "2024-04-01",
            "status": "open",
        },
    )
    assert response.status_code == 200
    assert "Er zijn meer bedden geblokkeerd dan de locatie heeft." in response.content.decode()
    response = coordinator.post(
        reverse("capacity:create"),
        {
            "name": "Paviljoen Noord",
            "type": "municipal",
            "municipality": "GM0546",
            "beds": "30",
            "blocked_beds": "0",
            "opens_on": "2024-04-01",
            "status": "open",
            "features": ["wheelchair_accessible"],
        },
    )
    assert response.status_code == 302
    assert Location.objects.get(name="Paviljoen Noord").features.count() == 1


def test_officer_cannot_change_another_municipality(client: Client) -> None:
    location = make_location(beds=4, municipality="GM0513")
    _login(client, Role.MUNICIPAL_OFFICER, "GM0546")
    url = reverse("capacity:capacity_change", args=[location.uuid])
    assert client.post(url, {"valid_from": "2024-03-01", "beds": "8"}).status_code == 403
    detail = client.get(reverse("capacity:detail", args=[location.uuid])).content.decode()
    assert "Capaciteit wijzigen" not in detail


def test_municipality_panel_shows_locations_and_targets(coordinator: Client) -> None:
    from opvangregie.capacity.reference import reference_load_all

    reference_load_all(region="hollands-midden")
    make_location(beds=12, municipality="GM0513", name="Kazerne Gouda")
    url = reverse("capacity:municipality_panel", args=["GM0513"])
    page = coordinator.get(url, {"on": "2024-02-01"}).content.decode()
    assert "Kazerne Gouda" in page
    assert "duurzame asielopvangplekken" in page


def test_location_list_query_count_is_flat(
    coordinator: Client, django_assert_max_num_queries: object
) -> None:
    for _ in range(10):
        make_location(beds=5)
    # Flat: independent of the number of locations (the menu asks for the roles per item).
    with django_assert_max_num_queries(15):  # type: ignore[operator]
        coordinator.get(reverse("capacity:list"))


def test_targets_page_shows_the_broad_task_and_exports(coordinator: Client) -> None:
    from opvangregie.capacity.reference import reference_load_all

    reference_load_all(region="hollands-midden")
    make_location(beds=12, municipality="GM0513", name="Kazerne Gouda")
    page = coordinator.get(reverse("capacity:targets"), {"on": "2024-02-01"}).content.decode()
    assert "Taakstelling en voortgang" in page
    assert "Gouda" in page
    response = coordinator.get(reverse("capacity:targets"), {"on": "2024-02-01", "format": "csv"})
    lines = response.content.decode("utf-8-sig").splitlines()
    gouda = next(line for line in lines if line.startswith("GM0513"))
    # Ukrainian target not entered, 12 realised, asylum target from the 2,200 places, no
    # status-holder task.
    assert gouda.split(",")[3:] == ["", "12", "200", ""]
