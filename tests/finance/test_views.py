"""The finance pages: who sees what, submitting, exports."""

import datetime
import io
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from opvangregie.finance.models import CostEntry, CostStatement, Declaration, PersonIncome
from opvangregie.residents.services import stay_intake
from tests.residents.factories import make_household

from .conftest import Scene

D = datetime.date
Q1 = "?from=2024-01-01&to=2024-03-31"


def _declaration_url(code: str = "GM0513") -> str:
    return reverse("finance:declaration", args=[code])


def test_the_finance_officer_sees_and_submits_the_declaration(client: Client, scene: Scene) -> None:
    client.force_login(scene.gouda_finance)
    page = client.get(_declaration_url() + Q1).content.decode()
    # 10 places x 91 days x EUR 61
    assert "55.510,00" in page  # Dutch number format
    assert 'data-testid="lines"' in page
    assert "Kazerne Gouda" in page
    response = client.post(
        reverse("finance:declaration_submit", args=["GM0513"]),
        {"first_day": "2024-01-01", "last_day": "2024-03-31", "reason": ""},
    )
    declaration = Declaration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("finance:declaration_detail", args=[declaration.uuid])
    detail = client.get(response["Location"]).content.decode()
    assert declaration.checksum in detail
    assert 'data-testid="intact"' in detail
    # The nav offers the finance pages to a finance officer.
    assert reverse("finance:overview") in detail


def test_a_refused_submission_is_reported_and_stores_nothing(client: Client, scene: Scene) -> None:
    client.force_login(scene.gouda_finance)
    response = client.post(
        reverse("finance:declaration_submit", args=["GM0513"]),
        {"first_day": "2026-01-01", "last_day": "2026-01-31"},
        follow=True,
    )
    assert response.status_code == 200
    assert "utrecht-alert--error" in response.content.decode()
    assert not Declaration.objects.exists()


def test_the_municipal_officer_sees_but_may_not_submit(client: Client, scene: Scene) -> None:
    client.force_login(scene.gouda_officer)
    page = client.get(_declaration_url() + Q1)
    assert page.status_code == 200
    assert reverse("finance:declaration_submit", args=["GM0513"]) not in page.content.decode()
    response = client.post(
        reverse("finance:declaration_submit", args=["GM0513"]),
        {"first_day": "2024-01-01", "last_day": "2024-03-31"},
    )
    assert response.status_code == 403
    assert not Declaration.objects.exists()


def test_other_roles_and_municipalities_are_refused(client: Client, scene: Scene) -> None:
    client.force_login(scene.rrt)
    assert client.get(reverse("finance:overview")).status_code == 403
    assert client.get(_declaration_url()).status_code == 403
    assert reverse("finance:overview") not in client.get(reverse("home")).content.decode()
    client.force_login(scene.leiden_finance)
    assert client.get(_declaration_url()).status_code == 403
    assert client.get(reverse("finance:allowances", args=["GM0513"])).status_code == 403
    assert client.get(reverse("finance:costs")).status_code == 403
    overview = client.get(reverse("finance:overview") + Q1).content.decode()
    assert 'data-code="GM0546"' in overview
    assert 'data-code="GM0513"' not in overview


def test_amounts_per_household_only_for_finance_officers_and_coordinators(
    client: Client, scene: Scene
) -> None:
    household = make_household(2, external_id="HH-GOUDA")
    stay_intake(household=household, location=scene.kazerne, on=D(2022, 10, 1))
    url = reverse("finance:allowances", args=["GM0513"]) + "?month=2022-10"
    for user in (scene.gouda_finance, scene.coordinator):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert 'data-testid="households-table"' in page
        assert "HH-GOUDA" in page
        assert "520,00" in page  # 2 persons x EUR 260, the whole month
    client.force_login(scene.gouda_officer)
    page = client.get(url).content.decode()
    assert 'data-testid="totals-only"' in page
    assert "HH-GOUDA" not in page
    assert "520,00" in page  # the total
    csv = client.get(url + "&format=csv").content.decode("utf-8-sig")
    assert csv.splitlines() == [
        "municipality,month,households,allowance,contribution",
        "GM0513,2022-10,1,520.00,0.00",
    ]
    client.force_login(scene.gouda_finance)
    csv = client.get(url + "&format=csv").content.decode("utf-8-sig").splitlines()
    assert csv[1].startswith("GM0513,2022-10,")
    assert "HH-GOUDA,31,2,0,520.00,0.00" in csv[1]
    assert csv[-1].endswith("total,,,,520.00,0.00")


def test_the_declaration_exports_to_xlsx_and_sisa(client: Client, scene: Scene) -> None:
    client.force_login(scene.coordinator)
    response = client.get(_declaration_url() + Q1 + "&format=xlsx")
    assert response["Content-Disposition"] == (
        'attachment; filename="declaratie-GM0513-2024-01-01-2024-03-31.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("municipality", "municipality_name", "location")
    assert rows[1][3] == "Kazerne Gouda"
    assert (rows[1][9], rows[1][13]) == (910, "55510.00")
    assert rows[-1][3] == "total"
    sisa = client.get(_declaration_url() + Q1 + "&format=csv&layout=sisa").content.decode(
        "utf-8-sig"
    )
    assert "municipal_reception_place_days,910" in sisa
    assert "total_amount,55510.00" in sisa


def test_a_bad_period_falls_back_to_the_last_quarter(client: Client, scene: Scene) -> None:
    client.force_login(scene.coordinator)
    page = client.get(_declaration_url() + "?from=2024-13-01&to=2024-03-31").content.decode()
    assert 'id="id_period_error"' in page
    assert 'value="2024-10-01"' in page


def test_the_coordinator_enters_costs_and_submits_the_statement(
    client: Client, scene: Scene
) -> None:
    client.force_login(scene.coordinator)
    url = reverse("finance:costs") + Q1
    response = client.post(
        url,
        {
            "incurred_on": "2024-02-01",
            "category": "transport",
            "description": "Bus CNO - Gouda",
            "amount": "123.45",
            "document_reference": "FAC-2024-17",
        },
    )
    assert response.status_code == 302
    assert CostEntry.objects.get().amount == Decimal("123.45")
    page = client.get(url).content.decode()
    assert "FAC-2024-17" in page
    assert "123,45" in page
    response = client.post(
        reverse("finance:cost_statement_submit"),
        {"first_day": "2024-01-01", "last_day": "2024-03-31"},
    )
    statement = CostStatement.objects.get()
    assert response["Location"] == reverse("finance:cost_statement_detail", args=[statement.uuid])
    detail = client.get(response["Location"]).content.decode()
    assert statement.checksum in detail
    assert "FAC-2024-17" in detail


def test_an_invalid_cost_is_refused_on_the_form(client: Client, scene: Scene) -> None:
    client.force_login(scene.coordinator)
    response = client.post(
        reverse("finance:costs"),
        {"incurred_on": "2024-02-01", "category": "staff", "description": "x", "amount": "0"},
    )
    assert response.status_code == 400
    assert not CostEntry.objects.exists()


def test_the_rates_page_lists_the_reference_rates(client: Client, scene: Scene) -> None:
    client.force_login(scene.gouda_officer)
    page = client.get(reverse("finance:rates")).content.decode()
    for amount in ("100,00", "83,00", "61,00", "44,00", "210,00", "92,00", "244,22", "992,80"):
        assert amount in page


def test_a_correction_shows_the_difference(client: Client, scene: Scene) -> None:
    client.force_login(scene.gouda_finance)
    submit = reverse("finance:declaration_submit", args=["GM0513"])
    client.post(submit, {"first_day": "2024-01-01", "last_day": "2024-03-31"})
    household = make_household(1)
    stay_intake(household=household, location=scene.gastgezin, on=D(2024, 3, 1))
    PersonIncome.objects.create(person=household.persons.get(), valid_from=D(2024, 3, 1))
    response = client.post(
        submit, {"first_day": "2024-01-01", "last_day": "2024-03-31", "reason": "Gastgezin"}
    )
    second = Declaration.objects.get(version=2)
    detail = client.get(response["Location"]).content.decode()
    assert 'data-testid="differences"' in detail
    assert "Gastgezin Gouda" in detail
    assert 'data-testid="total-change">92,00<' in detail  # 31 days of March x 92 / 31
    first = client.get(reverse("finance:declaration_detail", args=[second.previous.uuid]))
    assert reverse("finance:declaration_detail", args=[second.uuid]) in first.content.decode()


def test_the_admin_refuses_overlapping_rates(client: Client, scene: Scene) -> None:
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory(username="beheerder", is_staff=True, is_superuser=True))
    url = reverse("admin:finance_standardrate_add")
    form = {
        "code": "nieuw-2024",
        "kind": "municipal_reception",
        "amount": "70.00",
        "valid_from": "2024-06-01",
        "valid_to": "",
        "source": "",
        "note": "",
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert "normbedrag-gemeentelijk-2024" in response.content.decode()
    form["valid_from"] = "2026-01-01"
    assert client.post(url, form).status_code == 302
