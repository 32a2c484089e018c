import pytest
from django.test import Client
from django.urls import reverse

from opvangregie.accounts.constants import Role
from opvangregie.accounts.models import User
from opvangregie.accounts.services import role_assignment_create
from opvangregie.organisations.models import Organisation
from tests.accounts.factories import UserFactory


@pytest.fixture
def coordinator(reference: None) -> User:
    user = UserFactory(username="coordinator-test")
    role_assignment_create(
        user=user, role=Role.COORDINATOR, organisation=Organisation.objects.get(code="twov")
    )
    return user


@pytest.fixture
def logged_in(client: Client, coordinator: User) -> Client:
    client.force_login(coordinator)
    return client


def test_pages_need_a_login(client: Client, reference: None) -> None:
    response = client.get(reverse("organisations:structure"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_dutch_by_default(client: Client, db: None) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'lang="nl"' in response.content.decode()
    assert "Inloggen" in response.content.decode()


def test_home_shows_roles_and_responsibility(logged_in: Client) -> None:
    page = logged_in.get(reverse("home")).content.decode()
    assert "coördinator (TWOV)" in page
    assert "Tijdelijke Werkorganisatie Opvang Vluchtelingen" in page


def test_structure_page_draws_the_bodies_of_the_date(logged_in: Client) -> None:
    page = logged_in.get(reverse("organisations:structure"), {"on": "2024-02-01"}).content.decode()
    assert "<svg" in page
    for label in ("LRT", "PRT Zuid-Holland", "RRT Holland Rijnland", "Stuurgroep", "TWOV"):
        assert f">{label}</text>" in page
    assert "Veiligheidsberaad" not in page
    assert 'data-code="GM0513"' in page
    assert "Gemeenten van Holland Rijnland" in page


def test_structure_page_for_2023_shows_the_old_bodies(logged_in: Client) -> None:
    page = logged_in.get(reverse("organisations:structure"), {"on": "2023-06-01"}).content.decode()
    assert ">Veiligheidsberaad</text>" in page
    assert ">(v)RBT</text>" in page
    assert ">Stuurgroep</text>" not in page


def test_bad_date_shows_a_dutch_error_and_today(logged_in: Client) -> None:
    response = logged_in.get(reverse("organisations:structure"), {"on": "gisteren"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "is geen geldige datum" in page
    assert 'aria-invalid="true"' in page


def test_htmx_request_gets_only_the_panel(logged_in: Client) -> None:
    response = logged_in.get(
        reverse("organisations:structure"), {"on": "2024-02-01"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "<svg" in page
    assert "<html" not in page


def test_english_is_available(logged_in: Client) -> None:
    response = logged_in.get(
        reverse("organisations:structure"), {"on": "2024-02-01"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    page = response.content.decode()
    assert 'lang="en"' in page
    assert "Structure of the regional coordination" in page


def test_municipality_page(logged_in: Client) -> None:
    url = reverse("organisations:municipality", args=["GM0546"])
    page = logged_in.get(url, {"on": "2024-08-01"}).content.decode()
    assert "Leiden" in page
    assert "college van B&amp;W van Leiden" in page
    assert "RRT Holland Rijnland" in page
    before = logged_in.get(url, {"on": "2023-12-01"}).content.decode()
    assert "burgemeester van Leiden" in before


def test_unknown_municipality_is_404(logged_in: Client) -> None:
    url = reverse("organisations:municipality", args=["GM9999"])
    assert logged_in.get(url).status_code == 404


def test_body_page_lists_seats(logged_in: Client) -> None:
    url = reverse("organisations:body", args=["stuurgroep-twov"])
    page = logged_in.get(url, {"on": "2024-02-01"}).content.decode()
    assert "burgemeester Spies" in page
    assert "Voorzitter RRT Midden-Holland" in page
    assert "Manager TWOV" in page


def test_body_page_warns_outside_its_period(logged_in: Client) -> None:
    url = reverse("organisations:body", args=["stuurgroep-twov"])
    page = logged_in.get(url, {"on": "2023-02-01"}).content.decode()
    assert "bestond niet op" in page


def test_organisation_page_of_a_housing_region(logged_in: Client) -> None:
    url = reverse("organisations:organisation", args=["midden-holland"])
    page = logged_in.get(url).content.decode()
    assert "5 deelnemende gemeenten" in page
    assert "Gouda" in page


def test_organisation_page_of_a_municipality_redirects(logged_in: Client) -> None:
    url = reverse("organisations:organisation", args=["GM0513"])
    response = logged_in.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:municipality", args=["GM0513"])


def test_organisation_list(logged_in: Client) -> None:
    page = logged_in.get(reverse("organisations:list")).content.decode()
    assert "18 gemeenten" in page
    assert "Zuidplas" in page


def test_list_pages_query_count_stays_flat(
    logged_in: Client, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        logged_in.get(reverse("organisations:structure"), {"on": "2024-02-01"})
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        logged_in.get(reverse("organisations:list"))
