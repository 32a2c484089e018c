"""Log-in and hardening: lock-out, Content Security Policy, second factor, single sign-on roles,
and a production mode that refuses unsafe settings."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from opvangregie.accounts.constants import Role
from opvangregie.accounts.models import RoleAssignment
from opvangregie.accounts.oidc import roles_from_claims, roles_synchronise
from tests.accounts.factories import UserFactory, user_with_role

pytestmark = pytest.mark.usefixtures("reference")
PASSWORD = "een-lang-wachtwoord"


def _login(client: Client, username: str, password: str) -> int:
    return client.post(reverse("login"), {"username": username, "password": password}).status_code


def test_an_account_is_locked_after_five_failures(client: Client) -> None:
    user = UserFactory(username="doelwit")
    for _ in range(5):
        assert _login(client, user.username, "fout-wachtwoord-1") in (200, 429)
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Te veel mislukte pogingen" in response.content.decode()
    # Another account from the same address is not locked.
    other = UserFactory(username="ander")
    assert _login(client, other.username, PASSWORD) == 302


def test_every_page_carries_a_strict_content_security_policy(client: Client) -> None:
    client.force_login(user_with_role(Role.COORDINATOR, "twov"))
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy


def test_no_template_has_an_inline_script() -> None:
    """The policy allows no inline script; a template with one would break in the browser."""
    root = Path(__file__).resolve().parents[2] / "src" / "opvangregie"
    offenders = []
    for template in root.rglob("templates/**/*.html"):
        for tag in re.findall(r"<script\b[^>]*>", template.read_text(encoding="utf-8")):
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{template.relative_to(root)}: {tag}")
        if re.search(r"\son[a-z]+=\"", template.read_text(encoding="utf-8")):
            offenders.append(f"{template.relative_to(root)}: inline event handler")
    assert offenders == []


@override_settings(OTP_REQUIRED_ROLES=["coordinator"])
def test_a_role_with_personal_data_enrols_and_confirms_a_second_factor(client: Client) -> None:
    coordinator = user_with_role(Role.COORDINATOR, "twov")
    client.force_login(coordinator)
    response = client.get(reverse("residents:search"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("second_factor"))
    api = client.get("/api/v1/households")
    assert api.status_code == 403
    assert api["Content-Type"] == "application/problem+json"
    page = client.get(reverse("second_factor"))
    assert 'data-testid="secret"' in page.content.decode()
    device = TOTPDevice.objects.get(user=coordinator)
    assert not device.confirmed
    wrong = client.post(reverse("second_factor"), {"token": "000000", "next": "/residents/"})
    assert "Deze code klopt niet" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down the next try after a failure
    token = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    confirmed = client.post(reverse("second_factor"), {"token": token, "next": "/residents/"})
    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/residents/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("residents:search")).status_code == 200
    # A role without personal data is not asked.
    client.force_login(user_with_role(Role.STEERING_GROUP_MEMBER, "vrhm"))
    assert client.get(reverse("home")).status_code == 200


def test_single_sign_on_roles_follow_the_claim(db: None) -> None:
    assert roles_from_claims(
        {"roles": ["municipal_officer:GM0546", "wizard:GM0546", "coordinator:twov", "x"]}
    ) == {("municipal_officer", "GM0546"), ("coordinator", "twov")}
    user = UserFactory(username="sso")
    roles_synchronise(user=user, claims={"roles": ["municipal_officer:GM0546"]})
    roles_synchronise(
        user=user,
        claims={"roles": ["municipal_officer:GM0513", "municipal_officer:twov"]},  # not a city
    )
    held = set(
        RoleAssignment.objects.filter(user=user, valid_to__isnull=True).values_list(
            "role", "organisation__code"
        )
    )
    assert held == {("municipal_officer", "GM0513")}


def _settings(**env: str) -> subprocess.CompletedProcess[str]:
    import os

    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEMO_MODE", "DEBUG"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import opvangregie.settings"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_debug_and_a_weak_or_demo_secret_key() -> None:
    assert "DEBUG is on outside demo mode" in _settings(DEBUG="1", SECRET_KEY="x" * 50).stderr
    assert "shorter than 32" in _settings(SECRET_KEY="short").stderr
    demo_key = "demo-only-insecure-key-do-not-use-in-production"
    assert "demo key" in _settings(SECRET_KEY=demo_key).stderr
    assert _settings(DEMO_MODE="1", DEBUG="1").returncode == 0
