"""Settings for the test suite: the real settings, with test-only defaults for the secrets."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("DEMO_MODE", "0")
# A test-only key for the BSN encryption.
os.environ.setdefault("FIELD_ENCRYPTION_KEY", "48UciQS132P99vtWPlf1W2MgitGlJw8mRgoWl78XlFE=")

from .settings import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests find static files through the finders; WhiteNoise only needs its root to exist.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = PROJECT_ROOT / "var" / "static-test"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
