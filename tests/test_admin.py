"""Administrators maintain the registry through the admin: every page opens, forms save."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from opvangregie.organisations.models import ResponsibilityRegime
from tests.accounts.factories import UserFactory


@pytest.fixture
def admin_client_(client: Client, reference: None) -> Client:
    user = UserFactory(username="beheerder", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def _request(client: Client) -> object:
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = UserFactory(username="beheerder")
    return request


def test_every_changelist_and_add_page_opens(admin_client_: Client) -> None:
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert admin_client_.get(changelist).status_code == 200, changelist
        add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
        # Some models are written only through their services: the admin offers no add form.
        expected = 200 if model_admin.has_add_permission(_request(admin_client_)) else 403
        assert admin_client_.get(add).status_code == expected, add


def test_confirming_the_twoek_date_in_the_admin(admin_client_: Client) -> None:
    regime = ResponsibilityRegime.objects.get(code="twoek")
    url = reverse("admin:organisations_responsibilityregime_change", args=[regime.pk])
    response = admin_client_.post(
        url,
        {
            "code": regime.code,
            "name": regime.name,
            "holder": regime.holder,
            "legal_basis": regime.legal_basis,
            "in_force_from": "2024-07-01",
            "in_force_confirmed": "on",
            "source": "Stb. 2024, besluit inwerkingtreding",
            "note": "",
        },
    )
    assert response.status_code == 302
    regime.refresh_from_db()
    assert regime.in_force_confirmed is True
    assert regime.source.startswith("Stb.")
