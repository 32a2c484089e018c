"""Django settings for Opvangregie.

Every setting that differs between machines comes from an environment variable; each one is
documented in ``docs/configuration.md``. Defaults are secure: without ``SECRET_KEY`` the
application refuses to start unless ``DEMO_MODE`` or ``DEBUG`` is on.
"""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BASE_DIR.parent.parent

env = environ.Env()
# A local .env file is read when present (never committed); the environment wins.
environ.Env.read_env(PROJECT_ROOT / ".env", overwrite=False)

# DEMO_MODE: demo users and their printed password exist only when this is on.
DEMO_MODE = env.bool("DEMO_MODE", default=False)
# DEBUG: Django's debug pages. Never on in production.
DEBUG = env.bool("DEBUG", default=False)

# SECRET_KEY: signs sessions and tokens. Required outside demo/debug mode.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if DEMO_MODE or DEBUG:
        SECRET_KEY = "demo-only-insecure-key-do-not-use-in-production"  # noqa: S105 (demo only)
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (see docs/configuration.md)."
        )

_DEMO_KEY = "demo-only-insecure-key-do-not-use-in-production"
# Production (DEMO_MODE off) refuses to start with Django's debug pages or a weak secret key.
if not DEMO_MODE:
    if DEBUG:
        raise ImproperlyConfigured(
            "DEBUG is on outside demo mode. Turn DEBUG off in production (docs/configuration.md)."
        )
    if SECRET_KEY == _DEMO_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "SECRET_KEY is the demo key or shorter than 32 characters (docs/configuration.md)."
        )

# FIELD_ENCRYPTION_KEY: Fernet key (urlsafe base64, 32 bytes) that encrypts BSNs at rest.
# How to generate one: docs/configuration.md.
# In demo/debug mode a key is derived from SECRET_KEY when this is empty.
FIELD_ENCRYPTION_KEY = env.str("FIELD_ENCRYPTION_KEY", default="")

# RETENTION_MONTHS: months after a household's last departure after which `opvangregie
# retention --apply` removes its personal data (names, exact birth date, BSN). Figures remain.
RETENTION_MONTHS = env.int("RETENTION_MONTHS", default=24)

# SUPPRESSION_AUDIENCES: comma-separated report audiences outside the region, whose reports show
# every count of persons or households below SMALL_COUNT_THRESHOLD as "<5" (docs/reports.md).
SUPPRESSION_AUDIENCES = env.list("SUPPRESSION_AUDIENCES", default=["prt"])
# SMALL_COUNT_THRESHOLD: counts from 1 to this number minus one are suppressed.
SMALL_COUNT_THRESHOLD = env.int("SMALL_COUNT_THRESHOLD", default=5)

# ALLOWED_HOSTS: comma-separated host names this instance answers to.
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if (DEMO_MODE or DEBUG) else []
)
# CSRF_TRUSTED_ORIGINS: comma-separated origins (scheme + host) trusted for form posts.
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# DATABASE_URL: where the data lives. Default: an SQLite file in the project folder.
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{PROJECT_ROOT / 'var' / 'opvangregie.sqlite3'}"
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # No JIT compilation: it paid off for none of our queries and cost 10-30 ms on each large
    # one (the dashboard's figures on the national scenario; docs/benchmarks.md).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "django_htmx",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "opvangregie.core",
    "opvangregie.accounts",
    "opvangregie.audit",
    "opvangregie.organisations",
    "opvangregie.capacity",
    "opvangregie.residents",
    "opvangregie.placement",
    "opvangregie.monitoring",
    "opvangregie.finance",
    "opvangregie.governance",
    "opvangregie.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "opvangregie.accounts.role_cache.RoleCacheMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "opvangregie.accounts.middleware.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "opvangregie.api.middleware.ApiVersionMiddleware",
    "opvangregie.audit.middleware.AuditContextMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "opvangregie.urls"
WSGI_APPLICATION = "opvangregie.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "opvangregie.core.context_processors.site",
                "opvangregie.accounts.context_processors.access",
                "opvangregie.finance.context_processors.access",
                "opvangregie.reports.context_processors.navigation",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses log-ins of a locked-out account or address before any password check.
    "axes.backends.AxesStandaloneBackend",
    "opvangregie.accounts.backends.DemoAwareModelBackend",
]

# Lock-out after repeated failed log-ins (django-axes): AXES_FAILURE_LIMIT failures of one user
# name from one address lock that combination for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# OTP_REQUIRED_ROLES: comma-separated roles (e.g. coordinator,municipal_officer) whose holders
# must confirm a one-time password (TOTP app) after logging in. Empty: the second factor is
# optional.
OTP_REQUIRED_ROLES = env.list("OTP_REQUIRED_ROLES", default=[])
OTP_TOTP_ISSUER = "Opvangregie"

# Single sign-on through OpenID Connect (optional): on when OIDC_RP_CLIENT_ID is set.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED:
    OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
    OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
    OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email profile")
    AUTHENTICATION_BACKENDS.append("opvangregie.accounts.oidc.RoleMappingOIDCBackend")
# OIDC_ROLES_CLAIM: the claim that lists a user's roles as "role:organisation-code" values
# (e.g. "municipal_officer:GM0546"); the roles are synchronised at every log-in.
OIDC_ROLES_CLAIM = env.str("OIDC_ROLES_CLAIM", default="roles")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Dutch first, English available.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# STATIC_ROOT: where collectstatic gathers files for serving.
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(PROJECT_ROOT / "var" / "static")))
# Front-end packages are installed by npm at setup (node_modules, never committed).
NODE_MODULES = Path(env.str("NODE_MODULES", default=str(PROJECT_ROOT / "node_modules")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/utrecht", NODE_MODULES / "@utrecht" / "component-library-css" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# MEDIA_ROOT: where uploaded documents (agenda documents of meetings) are stored; they are
# served only through views that check access, never directly.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(PROJECT_ROOT / "var" / "media")))
MEDIA_URL = "/media/"

# EMAIL_BACKEND: how notices are sent (default: printed on the console, for the demo); e.g.
# django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST/EMAIL_PORT/EMAIL_HOST_USER/
# EMAIL_HOST_PASSWORD/EMAIL_USE_TLS. DEFAULT_FROM_EMAIL: the sender of notices.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="opvangregie@localhost")

# Security: secure defaults; relaxed only for plain-HTTP local demo and debug runs.
_LOCAL = DEMO_MODE or DEBUG
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not _LOCAL)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not _LOCAL)
SESSION_COOKIE_HTTPONLY = True
# SESSION_COOKIE_AGE: seconds after log-in at which a session expires (default 8 hours, a
# working day); it also ends when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp): scripts only from this site (no inline scripts: charts
# read their data from JSON elements); inline style attributes are allowed for bar widths.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "opvangregie.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "opvangregie.api.exceptions.problem_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": None,
}
API_VERSION = "1.0.0"
SPECTACULAR_SETTINGS = {
    "TITLE": "Opvangregie API",
    "DESCRIPTION": (
        "Regional coordination of the reception of displaced persons from Ukraine. "
        "Follows the NL API Design Rules: no trailing slashes, API-Version header, "
        "application/problem+json errors."
    ),
    "VERSION": API_VERSION,
    "CONTACT": {"name": "Opvangregie", "url": "https://opvangregie.example.org"},
    "LICENSE": {"name": "EUPL-1.2"},
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "DepartureReasonEnum": "opvangregie.residents.constants.DepartureReason",
        "MeetingStateEnum": "opvangregie.governance.constants.MeetingState",
        "RunStateEnum": "opvangregie.placement.constants.RunState",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    # LOG_LEVEL: level of the application's own log lines.
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes reports every log-in at INFO; lock-outs (WARNING) are what matters.
    "loggers": {"axes": {"level": "WARNING"}},
}
