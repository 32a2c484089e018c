"""The optional second factor: a one-time password from an authenticator app (TOTP, django-otp).

Roles listed in the OTP_REQUIRED_ROLES setting must confirm one after logging in; a user
without an authenticator yet enrols it on first log-in (the secret is shown once, to be typed or
scanned into the app, and confirmed with a first code)."""

from typing import Any

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from .selectors import user_organisation_codes


def second_factor_required(*, user: Any) -> bool:
    required = set(settings.OTP_REQUIRED_ROLES)
    if not required or not getattr(user, "is_authenticated", False):
        return False
    return bool(user_organisation_codes(user=user, roles=tuple(required)))


def confirmed_device(*, user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def enrolment_device(*, user: Any) -> TOTPDevice:
    """The user's unconfirmed device to enrol (made once, reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device
