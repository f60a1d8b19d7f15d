"""Settings for the LAA Portal, read from the environment.

Every variable is listed in the README. Development defaults apply only when DEBUG is on;
with DEBUG off the portal refuses to start on a missing or development secret.
"""

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from laa_portal.sso_settings import sso_providers_from_environ

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# Files the running portal writes (embedded database, broker folders, generated files).
VAR_DIR = Path(os.environ.get("LAA_VAR_DIR", BASE_DIR / "var"))

DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production-0123456789"
SECRET_KEY = os.environ.get("SECRET_KEY", "")

# Commands that only read the code (never a request, a session or a signature) may run
# without the production secret, so that `manage.py makemigrations --check` works anywhere.
_CODE_ONLY_COMMANDS = {"makemigrations", "showmigrations", "sqlmigrate"}
_COMMAND = sys.argv[1] if len(sys.argv) > 1 and sys.argv[0].endswith("manage.py") else ""
if not DEBUG and not SECRET_KEY and _COMMAND in _CODE_ONLY_COMMANDS:
    SECRET_KEY = secrets.token_urlsafe(64)
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
elif not DEBUG and (SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY is a development key or shorter than 50 characters; "
        "generate a long random one for production."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the portal's host when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    # Django's form templates, found by the project's template engine (FORM_RENDERER).
    "django.forms",
    "rules",
    "simple_history",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_forms_gds",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "core",
    "accounts",
    "indicators",
    "agreements",
    "negotiations",
    "ambition",
    "partners",
    "health",
    "notifications",
    "freedoms",
    "signoff",
    "jobs",
    "dashboards",
    "performance",
    "people",
    "portal",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "laa_portal.sessions.SessionRefreshMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A session of a person whose access was removed ends at its next request.
    "laa_portal.sessions.EndSessionOfRemovedAccessMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # A person who has a second factor proves it before any page; one whose role needs one
    # sets it up first (accounts/twofactor/middleware.py).
    "accounts.twofactor.middleware.SecondFactorMiddleware",
    "laa_portal.middleware.RefuseNulBytesMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "laa_portal.caching.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "laa_portal.urls"
WSGI_APPLICATION = "laa_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
            ],
        },
    },
]

if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'laa_portal.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database is shared by the web server, worker and beat: wait for a
    # writer rather than fail, and take the write lock when a transaction begins.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 30, "transaction_mode": "IMMEDIATE"}
    )
    # The test suite's embedded stack keeps its test database in a file (not in memory), so
    # that a worker process and the live server's threads share it.
    if os.environ.get("DATABASE_TEST_NAME"):
        DATABASES["default"]["TEST"] = {"NAME": os.environ["DATABASE_TEST_NAME"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and authentication -------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "accounts.backends.UserWithOrganisationBackend",
]
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

# Sessions end after a period of inactivity: a request renews the session's expiry when the
# last renewal was more than a minute ago (laa_portal/sessions.py), not on every request.
SESSION_ENGINE = "laa_portal.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Login throttling (django-axes): lock a user name from one address after repeated failures.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_USERNAME_FORM_FIELD = "username"
# One count per address however it is spelt (accounts/security.py).
AXES_USERNAME_CALLABLE = "accounts.security.lockout_username"
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_address"
# How many proxies in front of the portal append the client's address to X-Forwarded-For
# (1 behind the README's TLS proxy). 0 trusts no header: the address is the connection's.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# --- Production hardening ---------------------------------------------------------------

SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    # Only behind a proxy that sets this header itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline script or style anywhere: GOV.UK Frontend and htmx are loaded as files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Internationalisation ---------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"

# Forms draw their widgets with the project's template engine, so that the project's
# templates/django/forms/ can draw a select's options without a template per option.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# --- E-mail -----------------------------------------------------------------------------

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# The portal's address as people reach it, for links in e-mails.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# How long the link in an invitation to the portal may be used.
INVITATION_EXPIRY_DAYS = env_int("INVITATION_EXPIRY_DAYS", 7)
if INVITATION_EXPIRY_DAYS < 1:
    raise ImproperlyConfigured("INVITATION_EXPIRY_DAYS must be 1 or more.")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "LAA Portal <no-reply@laa-portal.invalid>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background jobs --------------------------------------------------------------------

# Without a CELERY_BROKER_URL the portal uses Kombu's filesystem transport, so that a
# development machine runs a real worker and beat with no Redis server.
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    for folder in ("queue", "processed", "control"):
        (BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # Exchange tables too, which would otherwise land in the working directory.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# Every call to the broker is bounded: a broker that accepts connections but never answers
# (a hung Redis) costs a request at most a few seconds, never a web thread for good.
BROKER_TIMEOUT = env_int("BROKER_TIMEOUT", 3)
# After a failed publish a web process stops trying for this long; rows not sent meanwhile
# are sent by beat's redispatch tasks.
BROKER_RETRY_AFTER = env_int("BROKER_RETRY_AFTER", 30)
if not CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        {
            "socket_connect_timeout": BROKER_TIMEOUT,
            "socket_timeout": BROKER_TIMEOUT,
            "max_retries": 1,
            "interval_start": 0,
            "interval_step": 0.5,
            "interval_max": 1,
        }
    )
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# How often beat looks for jobs and notifications to send again (seconds).
REDISPATCH_INTERVAL_SECONDS = 60
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "health.tasks.record_worker_heartbeat", "schedule": 30.0},
    "daily-digests": {
        "task": "notifications.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    "request-reminders": {
        "task": "freedoms.tasks.send_request_reminders",
        "schedule": crontab(hour=6, minute=45),
    },
    "milestone-reminders": {
        "task": "negotiations.tasks.send_milestone_reminders",
        "schedule": crontab(hour=6, minute=30),
    },
    "weekly-summaries": {
        "task": "dashboards.tasks.send_weekly_summaries",
        # Hourly through Monday's working day: a run sends only what earlier runs did not,
        # so an e-mail that failed at 07:15 is tried again within the day.
        "schedule": crontab(day_of_week=1, hour="7-17", minute=15),
    },
    "job-redispatch": {
        "task": "jobs.tasks.redispatch_jobs",
        "schedule": float(REDISPATCH_INTERVAL_SECONDS),
    },
    "notification-redispatch": {
        "task": "notifications.tasks.redispatch_notifications",
        "schedule": float(REDISPATCH_INTERVAL_SECONDS),
    },
    # Housekeeping at a quiet hour: the request log's old rows (API_REQUEST_LOG_DAYS), then
    # sessions that have lapsed and the rows saying whose they were.
    "prune-api-requests": {
        "task": "api.tasks.prune_api_requests",
        "schedule": crontab(hour=3, minute=10),
    },
    "prune-lapsed-sessions": {
        "task": "accounts.tasks.prune_lapsed_sessions",
        "schedule": crontab(hour=3, minute=20),
    },
}
# Background jobs people wait on (PDFs, exports): a run holds its job for this many seconds
# and a heartbeat renews the hold every third of it while the run is alive; a hold that
# lapses means the worker died, and beat's redispatch sends the job to another worker.
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 60)
# Tries of one job before it is marked failed.
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 3)
# A waiting job whose message went this many seconds ago is sent again (the broker may
# have lost it).
JOB_REDISPATCH_SECONDS = env_int("JOB_REDISPATCH_SECONDS", 600)
# An immediate notification not sent within this many seconds of its message going (the
# broker lost it, or it was never sent because the broker was away) is sent again.
NOTIFICATION_REDISPATCH_SECONDS = env_int("NOTIFICATION_REDISPATCH_SECONDS", 300)
# How recent a worker's heartbeat must be for /healthz to call the worker alive.
WORKER_HEARTBEAT_MAX_AGE = timedelta(seconds=env_int("WORKER_HEARTBEAT_MAX_AGE", 120))

# --- Second factor (django-otp, passkeys) ----------------------------------------------

# Passkeys are bound to a host name (never an IP address) and the browser checks the
# page's origin, so on a development machine passkeys work at http://localhost only.
_PASSKEY_BASE_URL = PORTAL_BASE_URL.replace("://127.0.0.1", "://localhost")
OTP_WEBAUTHN_RP_ID = os.environ.get(
    "OTP_WEBAUTHN_RP_ID", urlsplit(_PASSKEY_BASE_URL).hostname or "localhost"
)
OTP_WEBAUTHN_RP_NAME = "LAA Portal"
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("OTP_WEBAUTHN_ALLOWED_ORIGINS", [_PASSKEY_BASE_URL])
# A passkey is a second factor after the password, never a way in on its own.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# The name authenticator apps show beside the code.
OTP_TOTP_ISSUER = "LAA Portal"
# The data administration site never shows a person's authenticator key or recovery codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Roles that must set up a second factor before reaching any page (accounts/twofactor):
# those who see confidential material. Off for the demo (DEBUG on) unless set.
_TWO_FACTOR_ROLES = {"coordinator", "partner", "negotiator", "official", "admin"}
TWO_FACTOR_REQUIRED_ROLES = env_list(
    "TWO_FACTOR_REQUIRED_ROLES", [] if DEBUG else ["negotiator", "official", "admin"]
)
if set(TWO_FACTOR_REQUIRED_ROLES) - _TWO_FACTOR_ROLES:
    raise ImproperlyConfigured(
        f"TWO_FACTOR_REQUIRED_ROLES must list roles among {', '.join(sorted(_TWO_FACTOR_ROLES))}, "
        f"not {os.environ.get('TWO_FACTOR_REQUIRED_ROLES')!r}"
    )

# --- Single sign-on (OpenID Connect, accounts/sso) --------------------------------------

# Organisations with an identity provider, each for its e-mail domains: SSO_PROVIDERS names
# them, SSO_<NAME>_ISSUER, _CLIENT_ID, _CLIENT_SECRET, _DOMAINS (and _LABEL) describe each
# (laa_portal/sso_settings.py). None by default.
SSO_PROVIDERS = sso_providers_from_environ(os.environ)
# Seconds a call to an identity provider (discovery, keys, token) may take.
SSO_TIMEOUT = env_int("SSO_TIMEOUT", 10)

# --- Read API (api/: Django REST framework, drf-spectacular) ----------------------------

# Requests one API token (or one person signed in) may make in a period: "600/minute".
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "600/minute")
# Days the read API's request log keeps each request; older rows are pruned each night
# (beat's "prune-api-requests"). Throttling counts from the log, so at least a day.
API_REQUEST_LOG_DAYS = env_int("API_REQUEST_LOG_DAYS", 90)
if API_REQUEST_LOG_DAYS < 1:
    raise ImproperlyConfigured("API_REQUEST_LOG_DAYS must be 1 or more.")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "api.authentication.ReadOnlySessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.ApiCursorPagination",
    "EXCEPTION_HANDLER": "api.problems.problem_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "LAA Portal read API",
    "DESCRIPTION": (
        "Rounds, national indicators, areas, agreements and their versions and targets, "
        "freedoms and flexibilities requests, the register of decisions, the agreed targets "
        "dataset and a change feed. Read-only; each token reads with its owner's reach."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Demo data --------------------------------------------------------------------------

DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "demo-password")

# --- Logging ----------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
