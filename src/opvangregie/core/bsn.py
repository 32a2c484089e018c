"""The citizen service number (BSN): validation by the eleven test, encryption at rest.

A BSN is stored encrypted (Fernet, key from ``FIELD_ENCRYPTION_KEY``) beside a keyed hash that
lets the database refuse a BSN twice without ever holding it in clear. It is never shown in
full, logged, put in a URL or exported.
"""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _


def normalise(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit())
    return digits.zfill(9) if len(digits) == 8 else digits


def is_valid(value: str) -> bool:
    """Nine digits that pass the eleven test (elfproef) for BSNs."""
    digits = normalise(value)
    if len(digits) != 9 or digits == "000000000" or len(value.strip()) > 11:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    total -= int(digits[8])
    return total % 11 == 0


def validate(value: str) -> str:
    if not is_valid(value):
        raise ValidationError(_("This is not a valid BSN (it fails the eleven test)."))
    return normalise(value)


def _key() -> bytes:
    key = getattr(settings, "FIELD_ENCRYPTION_KEY", "")
    if key:
        return key.encode() if isinstance(key, str) else key
    if settings.DEMO_MODE or settings.DEBUG:
        digest = hashlib.sha256(f"bsn:{settings.SECRET_KEY}".encode()).digest()
        return base64.urlsafe_b64encode(digest)
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY is not set (see docs/configuration.md).")


def encrypt(bsn: str) -> str:
    return Fernet(_key()).encrypt(bsn.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return Fernet(_key()).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured("The BSN cannot be decrypted with this key.") from exc


def lookup_hash(bsn: str) -> str:
    """A keyed hash: equal BSNs give equal hashes; the hash gives nothing away."""
    return hmac.new(_key(), f"bsn:{bsn}".encode(), hashlib.sha256).hexdigest()


def masked(bsn: str) -> str:
    return "*****" + bsn[-4:]
