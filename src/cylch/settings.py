"""Settings for every environment, read from environment variables (see the README's configuration table)."""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("CYLCH_HOME", Path.cwd()))
VAR_DIR = Path(os.environ.get("CYLCH_VAR_DIR", PROJECT_DIR / "var"))


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


DEBUG = _flag("CYLCH_DEBUG")
# The fallback key is for a laptop demo only; `cylch check --deploy` warns while it is in use (cylch.core.W001).
DEVELOPMENT_SECRET_KEY = "cylch-development-only-secret-key-never-use-in-production"  # noqa: S105 - public by design
SECRET_KEY = os.environ.get("CYLCH_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = [h for h in os.environ.get("CYLCH_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CYLCH_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    # Cylch's apps, lowest layer first (the layers are pinned by import-linter in pyproject.toml)
    "cylch.core",
    "cylch.accounts",
    "cylch.notifications",
    "cylch.people",
    "cylch.chronology",
    "cylch.audit",
    "cylch.access",
    "cylch.linkage",
    "cylch.feeds",
    "cylch.concerns",
    "cylch.records",
    "cylch.risk",
    "cylch.meetings",
    "cylch.reviews",
    "cylch.thematic",
    "cylch.assurance",
    "cylch.home",
    "cylch.backup",
    "cylch.retention",
    "cylch.synthetic",
]

MIDDLEWARE = [
    "cylch.core.middleware.ProxyClientAddressMiddleware",  # first: everything after sees the client's address
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "cylch.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cylch.accounts.middleware.SessionLifetimeMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "cylch.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cylch.core.middleware.NoStoreMiddleware",
    # Last, as django-axes asks: it swaps a locked-out sign-in's response for the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cylch.urls"
WSGI_APPLICATION = "cylch.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cylch.home.context_processors.service",
                "cylch.home.context_processors.navigation",
            ],
            "string_if_invalid": "",
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cylch.sqlite3'}"),
        conn_max_age=int(os.environ.get("CYLCH_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker and the web server share the file without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side parameters, and statements a connection runs often prepared once and reused (psycopg's
    # prepare_threshold): PostgreSQL parses and plans an intake's thirty-odd statements once per connection,
    # not once per submission. Set CYLCH_DB_PREPARE_THRESHOLD=off behind a transaction-mode pooler (PgBouncer
    # without max_prepared_statements), which cannot keep a prepared statement between transactions.
    _prepare = os.environ.get("CYLCH_DB_PREPARE_THRESHOLD", "5")
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True,
        "prepare_threshold": None if _prepare.lower() in {"off", "none", ""} else int(_prepare),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.Practitioner"
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2 first (new and changed passwords); the others only verify hashes stored before it, upgraded on sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# django-axes checks every sign-in first; the OpenID Connect backend acts only on a provider's callback.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "cylch.accounts.oidc.PractitionerOIDCBackend",
]
# Lockout after repeated failed sign-ins, counted per account and, separately, per address (a guessing
# campaign across many accounts); a wrong two-factor code counts as a failure too.
AXES_FAILURE_LIMIT = int(os.environ.get("CYLCH_SIGN_IN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("CYLCH_SIGN_IN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "cylch.accounts.views.locked_out"
AXES_ENABLE_ADMIN = False  # failed sign-ins are on the audit chain; `cylch axes_reset_username NAME` unlocks
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins need no second log
AXES_VERBOSE = False
# Two-factor sign-in (TOTP, recovery codes) for every role. `cylch check --deploy` refuses it switched off.
CYLCH_REQUIRE_TWO_FACTOR = _flag("CYLCH_REQUIRE_TWO_FACTOR", default=True)
OTP_TOTP_ISSUER = os.environ.get("CYLCH_SERVICE_NAME", "Cylch")
# A session ends after this long without a request, and in any case this long after signing in.
CYLCH_SESSION_IDLE_SECONDS = int(os.environ.get("CYLCH_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_COOKIE_AGE = int(os.environ.get("CYLCH_SESSION_SECONDS", str(12 * 60 * 60)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _flag("CYLCH_SECURE_COOKIES")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTPS, switched on by the environment behind TLS (the README lists the production environment).
SECURE_SSL_REDIRECT = _flag("CYLCH_SSL_REDIRECT")
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # load balancers often probe over plain HTTP inside the network
SECURE_HSTS_SECONDS = int(os.environ.get("CYLCH_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("CYLCH_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = _flag("CYLCH_HSTS_PRELOAD")
if _flag("CYLCH_TRUST_X_FORWARDED_PROTO"):
    # Only behind a proxy that always sets or strips X-Forwarded-Proto: otherwise a client could claim HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies stand in front (each appends to X-Forwarded-For); 0 trusts none of it.
CYLCH_TRUSTED_PROXY_COUNT = int(os.environ.get("CYLCH_TRUSTED_PROXY_COUNT", "0"))
# Everything from Cylch's own origin and nothing inline (GOV.UK Frontend starts from a static file); the API
# documentation widens it for Redoc (cylch.core.views.api_docs).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    }
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("cy", _("Welsh"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "cylch_language"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("CYLCH_STATIC_ROOT", PROJECT_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if _flag("CYLCH_PLAIN_STATIC"):
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("CYLCH_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "cylch.accounts.authentication.PractitionerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # A token call also needs the scope its view names (cylch.accounts.scopes); the web session does not.
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "cylch.accounts.api_permissions.TokenHasScope",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["cylch.accounts.throttles.TokenRateThrottle"],
    # JSON bounded in size and depth (a deep body raised RecursionError); forms as DRF's defaults.
    "DEFAULT_PARSER_CLASSES": [
        "cylch.core.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "cylch.core.api_errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cylch API",
    "DESCRIPTION": "Multi-agency child safeguarding: concerns, people and health interoperability.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Redoc from our own static files (drf-spectacular-sidecar), never a CDN: Cylch runs on closed networks.
    "REDOC_DIST": "SIDECAR",
    # The description needs sign-in like every page: it maps the service for an attacker, and integrators have
    # a sign-in or a token.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Every operation documents the errors any call may get (cylch.core.api_schema), so none is a surprise.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cylch.core.api_schema.common_error_responses",
    ],
}

# Need-to-know: roles that see every record's detail besides the front door (e.g. "board_officer").
# API tokens: how long a new one lasts, and calls allowed per token (DRF's "N/second|minute|hour|day").
CYLCH_API_TOKEN_DAYS = int(os.environ.get("CYLCH_API_TOKEN_DAYS", "90"))
CYLCH_API_TOKEN_RATE = os.environ.get("CYLCH_API_TOKEN_RATE", "600/min")
CYLCH_API_SOURCE_RECORD_RATE = os.environ.get("CYLCH_API_SOURCE_RECORD_RATE", "120/min")
CYLCH_FULL_VIEW_ROLES = [r for r in os.environ.get("CYLCH_FULL_VIEW_ROLES", "").split(",") if r]
CYLCH_BREAK_GLASS_HOURS = int(os.environ.get("CYLCH_BREAK_GLASS_HOURS", "24"))
CYLCH_ACCESS_REQUEST_DAYS = int(os.environ.get("CYLCH_ACCESS_REQUEST_DAYS", "30"))
# The audit log's HMAC key, kept outside the database; empty derives one from SECRET_KEY (development only).
CYLCH_AUDIT_KEY = os.environ.get("CYLCH_AUDIT_KEY", "")
CYLCH_AUDIT_RETIRED_KEYS = [k for k in os.environ.get("CYLCH_AUDIT_RETIRED_KEYS", "").split(",") if k.strip()]
# Where the chain's anchors go besides the database (cylch.audit.anchors): an append-only file (empty: VAR_DIR's
# audit-anchors.log; in production, another volume) and optionally syslog ("host:port" over UDP, or a socket path).
CYLCH_AUDIT_ANCHOR_FILE = os.environ.get("CYLCH_AUDIT_ANCHOR_FILE", "")
CYLCH_AUDIT_SYSLOG = os.environ.get("CYLCH_AUDIT_SYSLOG", "")
# Retention periods in years from birth per rule (cylch.retention), e.g. "child=25,looked_after=75" (the defaults).
CYLCH_RETENTION_YEARS = {
    rule.strip(): int(years)
    for rule, _, years in (item.partition("=") for item in os.environ.get("CYLCH_RETENTION_YEARS", "").split(","))
    if rule.strip()
}

# /health/ answers 503 once the oldest task ready to run has waited longer than this (the worker is down or behind).
CYLCH_HEALTH_MAX_QUEUE_SECONDS = int(os.environ.get("CYLCH_HEALTH_MAX_QUEUE_SECONDS", "600"))

# What the front door's decision page also checks, from the capabilities above it (each a function taking
# `children={person id: name}` and returning `cylch.concerns.selectors.DecisionCheck`s): concerns cannot import them.
CYLCH_DECISION_CHECKS = [
    "cylch.risk.selectors.decision_checks_alerts",
    "cylch.meetings.selectors.decision_checks_meetings",
]

# Periodic chains the worker starts (each a function taking `after=`; see cylch.core.periodic).
CYLCH_PERIODIC_SCHEDULERS = [
    "cylch.concerns.tasks.sweep_schedule",
    "cylch.audit.tasks.chain_seal_schedule",
    "cylch.risk.tasks.rescan_schedule",  # nightly: risk factors, Was Not Brought follow-ups, every rule
    "cylch.meetings.tasks.chase_schedule",  # overdue plan actions: owner, then lead practitioner, then chair
    "cylch.reviews.tasks.action_chase_schedule",  # overdue practice-review actions: owner, then the board
    "cylch.assurance.tasks.chase_schedule",  # late 12Cs returns and overdue actions: weekly, then the board too
]

# Sign-in through an agency's OpenID Connect provider: on when CYLCH_OIDC_CLIENT_ID is set. A provider's user
# signs in as the practitioner with the same email address, or with the username in CYLCH_OIDC_USERNAME_CLAIM;
# nobody is created. Two-factor sign-in still follows, as after a password.
OIDC_RP_CLIENT_ID = os.environ.get("CYLCH_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("CYLCH_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("CYLCH_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("CYLCH_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("CYLCH_OIDC_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("CYLCH_OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("CYLCH_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_CREATE_USER = False
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc-callback"
LOGIN_REDIRECT_URL_FAILURE = "/sign-in/"
CYLCH_OIDC_USERNAME_CLAIM = os.environ.get("CYLCH_OIDC_USERNAME_CLAIM", "")
CYLCH_OIDC_PROVIDER_NAME = os.environ.get("CYLCH_OIDC_PROVIDER_NAME", "")

EMAIL_BACKEND = os.environ.get("CYLCH_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("CYLCH_FROM_EMAIL", "cylch@example.invalid")

SERVICE_NAME = os.environ.get("CYLCH_SERVICE_NAME", "Cylch")
# The address messages link to (an email is read away from the request that queued it).
SERVICE_URL = os.environ.get("CYLCH_SERVICE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CYLCH_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Production refuses to start (every process: web, worker, commands) with a setting that is only safe on a laptop:
# `cylch check --deploy` names these too, but nothing runs it before gunicorn starts.
CYLCH_ENVIRONMENT = os.environ.get("CYLCH_ENVIRONMENT", "development")
if CYLCH_ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured(f"CYLCH_ENVIRONMENT must be development or production, not {CYLCH_ENVIRONMENT!r}")
if CYLCH_ENVIRONMENT == "production":
    _unsafe = [
        reason
        for unsafe, reason in (
            (SECRET_KEY == DEVELOPMENT_SECRET_KEY, "CYLCH_SECRET_KEY is the development key"),
            (not CYLCH_AUDIT_KEY, "CYLCH_AUDIT_KEY is unset, so the audit key would be derived from the secret key"),
            (DEBUG, "CYLCH_DEBUG is on"),
            (not CYLCH_REQUIRE_TWO_FACTOR, "CYLCH_REQUIRE_TWO_FACTOR is off"),
        )
        if unsafe
    ]
    if _unsafe:
        raise ImproperlyConfigured("Cylch refuses to start in production: " + "; ".join(_unsafe) + ".")
