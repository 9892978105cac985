"""Amparo settings. Everything comes from the environment; docs/settings.md lists every variable."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from django.utils.translation import gettext_lazy as _

from amparo.config.env import (
    env_bool,
    env_int,
    env_list,
    env_str,
    redis_channel_layer,
    secret_key_for,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DATA_DIR = Path(env_str("AMPARO_DATA_DIR", str(Path.cwd() / "amparo-data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = secret_key_for(DATA_DIR)
DEBUG = env_bool("AMPARO_DEBUG", False)

PUBLIC_URL = env_str("AMPARO_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
_public = urlparse(PUBLIC_URL)
HTTPS = _public.scheme == "https"

ALLOWED_HOSTS = env_list(
    "AMPARO_ALLOWED_HOSTS", [_public.hostname or "127.0.0.1", "127.0.0.1", "localhost"]
)
CSRF_TRUSTED_ORIGINS = env_list("AMPARO_CSRF_TRUSTED_ORIGINS", [PUBLIC_URL])

# Amparo's apps come first: where two catalogues translate the same text, the app listed first
# wins, and the desk's words ("Buscar", "Excluir"…) must not give way to the Django admin's.
INSTALLED_APPS = [
    "amparo.core",
    "amparo.accounts",
    "amparo.crm",
    "amparo.tickets",
    "amparo.jobs",
    "amparo.webhooks",
    "amparo.api",
    "amparo.backoffice",
    "amparo.portal",
    "amparo.desk",
    "amparo.inbox",
    "amparo.search",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "amparo.core.streaming.AsyncFileStreamingMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "amparo.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "amparo.api.idempotency.IdempotencyMiddleware",
    "amparo.core.middleware.UserPreferencesMiddleware",
    "amparo.accounts.middleware.SessionActivityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "amparo.config.urls"
WSGI_APPLICATION = "amparo.config.wsgi.application"
ASGI_APPLICATION = "amparo.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "amparo.core.context_processors.branding",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    # Under ASGI every request may run on another thread of the sync pool, and persistent
    # connections pile up per thread (seen: 70+ idle connections and "too many clients" 500s at
    # concurrency 8), so connections are closed after each request unless configured otherwise.
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("AMPARO_DB_CONN_MAX_AGE", 0)
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "amparo.sqlite3"),
            # Tests use a file, not Django's in-memory default, so that the real worker processes
            # the job tests start can open the same database; one per test process, so runs
            # sharing a data directory never clobber each other (pytest-xdist adds a suffix).
            "TEST": {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")},
            "OPTIONS": {
                # IMMEDIATE makes writers queue on busy_timeout instead of failing mid-transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA cache_size=-64000;"
                    "PRAGMA mmap_size=268435456;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and channel layer ---------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    CHANNEL_LAYERS = {
        "default": redis_channel_layer(REDIS_URL, env_str("AMPARO_REDIS_PREFIX", "amparo"))
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Background jobs -----------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "mail", "webhooks", "periodic"],
        "ENQUEUE_ON_COMMIT": False,
    }
}
# A worker that has not beaten its heart for this long is dead; its running job runs again.
JOBS_HEARTBEAT_TIMEOUT = env_int("AMPARO_JOBS_HEARTBEAT_TIMEOUT", 60)
# A job whose worker died this many times is marked failed instead of run again (poison job).
JOBS_MAX_LOST_RUNS = env_int("AMPARO_JOBS_MAX_LOST_RUNS", 3)
# Finished job results, periodic-run and dead-worker rows older than this are pruned.
JOBS_RETENTION_DAYS = env_int("AMPARO_JOBS_RETENTION_DAYS", 14)

# --- Auth ----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/account/login/"
LOGIN_REDIRECT_URL = "/"
# Sign-in lockout (docs/settings.md, "Agent sign-in"): failures within the window, per typed
# email and per client IP, lock sign-in for LOGIN_LOCKOUT_SECONDS.
LOGIN_MAX_FAILURES = env_int("AMPARO_LOGIN_MAX_FAILURES", 5)
LOGIN_MAX_FAILURES_PER_IP = env_int("AMPARO_LOGIN_MAX_FAILURES_PER_IP", 30)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("AMPARO_LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)
LOGIN_LOCKOUT_SECONDS = env_int("AMPARO_LOGIN_LOCKOUT_SECONDS", 15 * 60)
PASSWORD_RESET_TIMEOUT = env_int("AMPARO_PASSWORD_RESET_SECONDS", 3 * 24 * 3600)
# Uploaded logos above this are refused (docs/settings.md, "Management pages").
BRANDING_LOGO_MAX_BYTES = env_int("AMPARO_LOGO_MAX_BYTES", 512 * 1024)

# --- Internationalisation ------------------------------------------------------------------------
LANGUAGE_CODE = env_str("AMPARO_LANGUAGE", "pt-br")
LANGUAGES = [("pt-br", _("Portuguese (Brazil)")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("AMPARO_TIME_ZONE", "America/Sao_Paulo")
USE_I18N = True
USE_TZ = True
PHONE_DEFAULT_REGION = env_str("AMPARO_PHONE_REGION", "BR")

# --- Files ---------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = Path(env_str("AMPARO_MEDIA_DIR", str(DATA_DIR / "media")))
# Only the company logo is served from here (backoffice.views.logo); attachments have their
# own permission-checked view.
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
ATTACHMENT_MAX_BYTES = env_int("AMPARO_ATTACHMENT_MAX_BYTES", 25 * 1024 * 1024)
# Request bodies above this are refused with 413 before they are parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("AMPARO_MAX_BODY_BYTES", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Customer portal (docs/settings.md, "Customer portal") ------------------------------------
# "priority=hours" pairs or one number for every priority; the SLA policies will replace this.
EXPECTED_RESPONSE_HOURS = env_str(
    "AMPARO_EXPECTED_RESPONSE_HOURS", "urgent=2,high=8,normal=24,low=48"
)
PORTAL_LINK_MINUTES = env_int("AMPARO_PORTAL_LINK_MINUTES", 30)
PORTAL_SIGNIN_PER_ADDRESS_HOUR = env_int("AMPARO_PORTAL_SIGNIN_PER_ADDRESS_HOUR", 5)
PORTAL_SIGNIN_PER_IP_HOUR = env_int("AMPARO_PORTAL_SIGNIN_PER_IP_HOUR", 30)
PORTAL_SUBMIT_PER_IP_HOUR = env_int("AMPARO_PORTAL_SUBMIT_PER_IP_HOUR", 10)
PORTAL_MAX_FILES = env_int("AMPARO_PORTAL_MAX_FILES", 5)

# --- Security ------------------------------------------------------------------------------------
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env_int("AMPARO_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("AMPARO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
SECURE_SSL_REDIRECT = HTTPS and env_bool("AMPARO_SSL_REDIRECT", False)
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Outbound HTTP (webhooks, provider APIs) refuses loopback, private and link-local targets
# unless this is set; tests and trusted internal deployments set it.
OUTBOUND_ALLOW_PRIVATE = env_bool("AMPARO_OUTBOUND_ALLOW_PRIVATE", False)

# --- Email ---------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("AMPARO_FROM_EMAIL", "suporte@localhost")
EMAIL_BACKEND = env_str("AMPARO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("AMPARO_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = env_int("AMPARO_SMTP_PORT", 25)
EMAIL_HOST_USER = env_str("AMPARO_SMTP_USER", "")
EMAIL_HOST_PASSWORD = env_str("AMPARO_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env_bool("AMPARO_SMTP_STARTTLS", False)
EMAIL_USE_SSL = env_bool("AMPARO_SMTP_SSL", False)
EMAIL_TIMEOUT = 30
# Inbound mail (docs/email.md): larger mail is quarantined (smtpd refuses it at SIZE).
MAIL_MAX_BYTES = env_int("AMPARO_MAIL_MAX_BYTES", 40 * 1024 * 1024)
# More than MAIL_FLOOD_LIMIT mails from one sender within the window are quarantined (0: off).
MAIL_FLOOD_LIMIT = env_int("AMPARO_MAIL_FLOOD_LIMIT", 20)
MAIL_FLOOD_WINDOW_SECONDS = env_int("AMPARO_MAIL_FLOOD_WINDOW_SECONDS", 300)
# Attempts of an outgoing mail on temporary SMTP errors before it is marked failed.
MAIL_SEND_ATTEMPTS = env_int("AMPARO_MAIL_SEND_ATTEMPTS", 6)
# Seconds between IMAP polls of a mailbox that offers no IDLE (or when IDLE is off).
MAIL_POLL_SECONDS = env_int("AMPARO_MAIL_POLL_SECONDS", 60)
# Provider inbound webhooks (django-anymail, /inbox/email/inbound/<provider>/): the basic-auth
# "user:password" every provider posts with, and the signing keys of those that sign.
ANYMAIL = {
    name: value
    for name, value in {
        "WEBHOOK_SECRET": env_str("AMPARO_MAIL_WEBHOOK_SECRET", ""),
        "MAILGUN_WEBHOOK_SIGNING_KEY": env_str("AMPARO_MAILGUN_WEBHOOK_SIGNING_KEY", ""),
        "MAILERSEND_INBOUND_SECRET": env_str("AMPARO_MAILERSEND_INBOUND_SECRET", ""),
        "RESEND_INBOUND_SECRET": env_str("AMPARO_RESEND_INBOUND_SECRET", ""),
        "POSTAL_WEBHOOK_KEY": env_str("AMPARO_POSTAL_WEBHOOK_KEY", ""),
    }.items()
    if value
}

# --- API -----------------------------------------------------------------------------------------
NINJA_PAGINATION_MAX_LIMIT = 200
API_PAGE_SIZE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("AMPARO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
