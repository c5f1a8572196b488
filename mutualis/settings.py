"""Django settings, read from the environment with safe production defaults.

Production is the default: DEBUG is off unless MUTUALIS_DEBUG=1, a SECRET_KEY must be given, and
cookies, HSTS and the SSL redirect are on. The demo and the tests opt into development settings.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from mutualis.accounts import proconnect_config

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("MUTUALIS_DEBUG", False)
# Demo mode: the lived-in demo data set may be loaded, and 2FA is never forced.
DEMO = env_bool("MUTUALIS_DEMO", False)
TESTING = env_bool("MUTUALIS_TESTING", False)

SECRET_KEY = os.environ.get("MUTUALIS_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or DEMO or TESTING:
        SECRET_KEY = "dev-only-insecure-key-never-use-in-production-" + "x" * 20
    else:
        raise ImproperlyConfigured(
            "MUTUALIS_SECRET_KEY doit être défini en production (ou MUTUALIS_DEBUG=1 pour développer)."
        )

ALLOWED_HOSTS = env_list("MUTUALIS_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or DEMO else "")
CSRF_TRUSTED_ORIGINS = env_list("MUTUALIS_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    # floor 1
    "mutualis.core",
    # floor 2
    "mutualis.territory",
    "mutualis.programme",
    "mutualis.accounts",
    # floor 3
    "mutualis.membership",
    "mutualis.contributions",
    "mutualis.cyber",
    "mutualis.awareness",
    "mutualis.information",
    "mutualis.purchasing",
    "mutualis.support",
    "mutualis.inventory",
    "mutualis.continuity",
    # floor 4
    "mutualis.reviews",
    "mutualis.dashboards",
    "mutualis.api",
    "mutualis.demo",
    "mutualis.operations",
    # django-ninja's templates and its Swagger UI assets, served from our static files: /api/docs
    # loads nothing from a CDN, which the CSP would block (after our apps: `api` overrides the page).
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mutualis.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "mutualis.core.middleware.PlausibleTextMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mutualis.core.ratelimit.RateLimitMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "mutualis.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "mutualis.core.uploads.UploadFailureMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mutualis.urls"
WSGI_APPLICATION = "mutualis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mutualis.dashboards.navigation.navigation",
                "mutualis.programme.context_processors.programmes",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite by default, tuned so that two server workers never meet "database is locked": WAL lets
# readers run beside a writer, IMMEDIATE transactions take the write lock up front instead of
# failing on upgrade, and the busy timeout waits for it.
SQLITE_PATH = Path(os.environ.get("MUTUALIS_SQLITE_PATH", BASE_DIR / "var" / "mutualis.sqlite3"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            # Keep the connection for the worker's life: opening it and running the PRAGMAs below
            # on every request cost as much as a simple page's queries.
            "CONN_MAX_AGE": None,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts, authentication ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = int(os.environ.get("MUTUALIS_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours: a locked account unlocks by itself after 15 minutes
# Locked by account *and* address, the address read as the rate limits read it (behind the proxy:
# X-Forwarded-For, see below), so that a stranger failing on a mayor's account locks only himself.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "mutualis.core.ratelimit.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Coordinators must use TOTP two-factor authentication: on in production, off in the demo.
MUTUALIS_REQUIRE_2FA_FOR_COORDINATORS = env_bool(
    "MUTUALIS_REQUIRE_2FA_FOR_COORDINATORS", not (DEBUG or DEMO or TESTING)
)
OTP_TOTP_ISSUER = "Mutualis"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français"))]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["mutualis.core.formats"]

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("MUTUALIS_STATIC_ROOT", BASE_DIR / "var" / "static"))
MEDIA_ROOT = Path(os.environ.get("MUTUALIS_MEDIA_ROOT", BASE_DIR / "var" / "media"))
# No MEDIA_URL is routed: uploaded files are only served by views that check permissions.
# MUTUALIS_STORAGE=s3 puts uploads on S3-compatible object storage (django-storages, the `s3`
# extra) so that several app servers share them; the bucket stays private and every file is
# still served through a permission-checked view (never a public bucket URL).
MUTUALIS_STORAGE = os.environ.get("MUTUALIS_STORAGE", "local")
if MUTUALIS_STORAGE == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("MUTUALIS_S3_BUCKET", ""),
            "endpoint_url": os.environ.get("MUTUALIS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MUTUALIS_S3_REGION") or None,
            "access_key": os.environ.get("MUTUALIS_S3_ACCESS_KEY_ID", ""),
            "secret_key": os.environ.get("MUTUALIS_S3_SECRET_ACCESS_KEY", ""),
            "location": os.environ.get("MUTUALIS_S3_PREFIX", "media"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if not _default_storage["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("MUTUALIS_STORAGE=s3 demande MUTUALIS_S3_BUCKET.")
elif MUTUALIS_STORAGE == "local":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured("MUTUALIS_STORAGE vaut « local » ou « s3 ».")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In development and tests WhiteNoise serves straight from the apps' static folders.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG or TESTING
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
MUTUALIS_MAX_UPLOAD_BYTES = int(os.environ.get("MUTUALIS_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
# Scanned deliberations (PDF without text layer) are read by OCR in the scheduled job
# `read_scanned_deliberations`, at most this many seconds per document. The demo has no cron, so
# there the upload reads them in the request. Uploads never confirmed are removed after N days.
MUTUALIS_OCR_TIMEOUT_SECONDS = int(os.environ.get("MUTUALIS_OCR_TIMEOUT_SECONDS", "300"))
MUTUALIS_OCR_IN_REQUEST = env_bool("MUTUALIS_OCR_IN_REQUEST", DEMO and not TESTING)
MUTUALIS_PENDING_UPLOAD_DAYS = int(os.environ.get("MUTUALIS_PENDING_UPLOAD_DAYS", "7"))

# --- Cache ----------------------------------------------------------------------------------
# Per-process memory by default. Several app servers must share one cache for the rate limits:
# MUTUALIS_CACHE=database (then `mutualis createcachetable`) works on the PostgreSQL they share.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "mutualis_cache"}
        if os.environ.get("MUTUALIS_CACHE", "memory") == "database"
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"}
    ),
}
# (limit, window in seconds) per rule, see mutualis.core.ratelimit.
MUTUALIS_RATE_LIMITS = {
    "login": (int(os.environ.get("MUTUALIS_LOGIN_RATE_LIMIT", "30")), 600),
    "password_reset": (int(os.environ.get("MUTUALIS_PASSWORD_RESET_RATE_LIMIT", "5")), 3600),
    "api": (int(os.environ.get("MUTUALIS_API_RATE_LIMIT", "300")), 60),
}

# --- Email ----------------------------------------------------------------------------------
# In production every message goes to the outbox table, in the sender's transaction, and
# `mutualis send_outbox` (run by the scheduler) hands it to the "delivery" mailer with retries.
# MUTUALIS_EMAIL_BACKEND configures that delivery mailer (SMTP in production).
MUTUALIS_EMAIL_OUTBOX = env_bool("MUTUALIS_EMAIL_OUTBOX", not (DEBUG or DEMO or TESTING))
_email_backend = os.environ.get(
    "MUTUALIS_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG or DEMO or TESTING
    else "django.core.mail.backends.smtp.EmailBackend",
)
_email_options = {}
if _email_backend.endswith("smtp.EmailBackend"):
    _email_options = {
        "host": os.environ.get("MUTUALIS_EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("MUTUALIS_EMAIL_PORT", "25")),
        "username": os.environ.get("MUTUALIS_EMAIL_HOST_USER", ""),
        "password": os.environ.get("MUTUALIS_EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("MUTUALIS_EMAIL_USE_TLS", False),
        "timeout": 20,
    }
MAILERS = {"delivery": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
MAILERS["default"] = (
    {"BACKEND": "mutualis.operations.mail.OutboxBackend"}
    if MUTUALIS_EMAIL_OUTBOX
    else MAILERS["delivery"]
)
# Attempts before a message is marked failed (it stays visible and can be retried by hand).
MUTUALIS_OUTBOX_MAX_ATTEMPTS = int(os.environ.get("MUTUALIS_OUTBOX_MAX_ATTEMPTS", "8"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "MUTUALIS_FROM_EMAIL", "Mutualis <ne-pas-repondre@mutualis.localhost>"
)
MUTUALIS_SITE_URL = os.environ.get("MUTUALIS_SITE_URL", "http://127.0.0.1:8000")

# --- Security -------------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
# Sign-in with ProConnect (OpenID Connect), off unless MUTUALIS_OIDC_* configure it: adds its
# backend beside the two above and the provider to the CSP's form-action (docs/proconnect.md).
globals().update(
    proconnect_config.from_environment(os.environ, backends=AUTHENTICATION_BACKENDS, csp=SECURE_CSP)
)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10
CSRF_COOKIE_HTTPONLY = True
_https = not (DEBUG or DEMO or TESTING)
SESSION_COOKIE_SECURE = env_bool("MUTUALIS_SECURE_COOKIES", _https)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("MUTUALIS_SSL_REDIRECT", _https)
SECURE_HSTS_SECONDS = int(os.environ.get("MUTUALIS_HSTS_SECONDS", 31536000 if _https else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
# Behind our reverse proxies, the client's scheme and address are read from their headers: the
# address as the right-most of X-Forwarded-For not added by one of the MUTUALIS_TRUSTED_PROXIES
# (their number, 1 for a single nginx); never from the header when not behind a proxy.
MUTUALIS_BEHIND_PROXY = env_bool("MUTUALIS_BEHIND_PROXY", False)
MUTUALIS_TRUSTED_PROXIES = int(os.environ.get("MUTUALIS_TRUSTED_PROXIES", "1"))
if MUTUALIS_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Logging and error reporting ------------------------------------------------------------
# Mutualis' own loggers at INFO, libraries at WARNING: weasyprint's progress and fontTools' font
# subsetting write dozens of INFO lines per PDF. MUTUALIS_LOG_LEVEL, when set, sets both.
_log_level = os.environ.get("MUTUALIS_LOG_LEVEL", "")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "mutualis.core.middleware.RequestIdFilter"}},
    "formatters": {
        "structured": {
            "format": "%(asctime)s level=%(levelname)s logger=%(name)s "
            "request_id=%(request_id)s %(message)s"
        },
        "json": {"()": "mutualis.core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": os.environ.get("MUTUALIS_LOG_FORMAT", "structured"),
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": _log_level or "WARNING"},
    "loggers": {
        "mutualis": {"level": _log_level or "INFO"},
        "django.db.backends": {"level": "INFO"},
    },
}

# Error reporting to Sentry (or a compatible service such as GlitchTip) when SENTRY_DSN is set;
# sentry-sdk is an optional extra (`pip install mutualis[sentry]`), imported only then.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    try:
        import sentry_sdk
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError as error:
        raise ImproperlyConfigured(
            "SENTRY_DSN est défini mais sentry-sdk n'est pas installé : pip install 'mutualis[sentry]'."
        ) from error
    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,  # no names, addresses or cookies leave the platform
        traces_sample_rate=0.0,
    )

# --- Operations -----------------------------------------------------------------------------
# /healthz fails when the scheduler's heartbeat is older than this (minutes; 0 = not checked:
# the demo and the tests have no cron).
MUTUALIS_SCHEDULER_MAX_SILENCE_MINUTES = int(
    os.environ.get(
        "MUTUALIS_SCHEDULER_MAX_SILENCE_MINUTES", "0" if DEBUG or DEMO or TESTING else "30"
    )
)
# Days between a coordinator deactivating an account and its contact details being erased.
MUTUALIS_ERASE_CONTACT_DETAILS_AFTER_DAYS = int(
    os.environ.get("MUTUALIS_ERASE_CONTACT_DETAILS_AFTER_DAYS", "30")
)
# Days the sign-in journal (django-axes access logs) is kept.
MUTUALIS_ACCESS_LOG_DAYS = int(os.environ.get("MUTUALIS_ACCESS_LOG_DAYS", "180"))

# --- Mutualis -------------------------------------------------------------------------------
# The programme file loaded by the demo; an operator points this at its own.
MUTUALIS_DEFAULT_PROGRAMME_FILE = Path(
    os.environ.get("MUTUALIS_PROGRAMME_FILE", BASE_DIR / "programmes" / "sicoval-2024.toml")
)
MUTUALIS_PAGE_SIZE = 50
