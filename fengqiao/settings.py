"""Project settings, read from the environment.

Production defaults are safe: DEBUG is off unless FENGQIAO_DEBUG=1, and the secret key and
the personal-data encryption key must be given unless DEBUG is on.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FENGQIAO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("FENGQIAO_DEBUG")

SECRET_KEY = os.environ.get("FENGQIAO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "FENGQIAO_SECRET_KEY must be set (or FENGQIAO_DEBUG=1 for local development)."
        )
    SECRET_KEY = "dev-only-insecure-key-change-me"

# Key for personal data encrypted at rest (Fernet, 32 url-safe base64 bytes).
FIELD_ENCRYPTION_KEY = os.environ.get("FENGQIAO_FIELD_KEY", "")
if not FIELD_ENCRYPTION_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "FENGQIAO_FIELD_KEY must be set: generate one with `python -c 'from "
            "cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`."
        )
    FIELD_ENCRYPTION_KEY = base64.urlsafe_b64encode(
        hashlib.sha256(("field:" + SECRET_KEY).encode()).digest()
    ).decode()
# Key for the keyed hashes (HMAC) that make encrypted values searchable by exact match.
FIELD_HASH_KEY = (
    os.environ.get("FENGQIAO_HASH_KEY", "")
    or hashlib.sha256(("hash:" + FIELD_ENCRYPTION_KEY).encode()).hexdigest()
)

ALLOWED_HOSTS = env_list("FENGQIAO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if DEBUG:
    ALLOWED_HOSTS += ["testserver", "[::1]"]
CSRF_TRUSTED_ORIGINS = env_list("FENGQIAO_CSRF_TRUSTED_ORIGINS")
# The citizen-facing address in receipts, QR codes, posters and SMS. Unset: the address of the
# request, and for the task worker the one last seen on a request (fengqiao.notifications.links).
PUBLIC_BASE_URL = os.environ.get("FENGQIAO_PUBLIC_URL", "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "django_otp",  # security (issue 18)
    "django_otp.plugins.otp_totp",  # security (issue 18)
    "fengqiao.core",
    "fengqiao.regions",
    "fengqiao.org",
    "fengqiao.cases",
    "fengqiao.routing",
    "fengqiao.intake",
    "fengqiao.deadlines",
    "fengqiao.supervision",
    "fengqiao.followup",
    "fengqiao.mediation",
    "fengqiao.notifications",
    "fengqiao.security",  # issue 18
    "fengqiao.grid",
    "fengqiao.participation",
    "fengqiao.integrations",
    "fengqiao.open311",
    "fengqiao.centers",
    "fengqiao.analytics",
    "fengqiao.workbench",
    "fengqiao.portal",
    "fengqiao.api",
    "fengqiao.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # security (issue 18)
    "fengqiao.notifications.links.PublicOriginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "fengqiao.security.middleware.SessionGuardMiddleware",  # security (issue 18)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "fengqiao.urls"
WSGI_APPLICATION = "fengqiao.wsgi.application"

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
            ],
        },
    }
]

# Database: SQLite by default (embedded, no server); PostgreSQL through DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
CONN_MAX_AGE = int(os.environ.get("FENGQIAO_CONN_MAX_AGE", "600"))
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
        )
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("FENGQIAO_SQLITE_PATH", str(VAR_DIR / "fengqiao.sqlite3")),
            "OPTIONS": {
                # IMMEDIATE: a write transaction takes the lock at BEGIN, so that two writers
                # queue instead of failing with "database is locked" half-way.
                "transaction_mode": "IMMEDIATE",
                # Busy timeout: seconds a writer waits for the lock before "database is
                # locked" (the task worker and scheduler then try again: core/worker.py).
                "timeout": float(os.environ.get("FENGQIAO_SQLITE_TIMEOUT", "20")),
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache (throttling, one-time form tokens, lockouts) must be shared by every web worker:
# Redis where FENGQIAO_CACHE_URL names one (several hosts), else files on this host.
CACHE_URL = os.environ.get("FENGQIAO_CACHE_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
AUTH_USER_MODEL = "org.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # security (issue 18): classes, no reuse; expiry and the rest in fengqiao/security.
    {"NAME": "fengqiao.security.passwords.ComplexityValidator"},
    {"NAME": "fengqiao.security.passwords.HistoryValidator"},
]
# --- security (issue 18): fengqiao/security, docs/security.md ---
AUTHENTICATION_BACKENDS = [
    "fengqiao.security.login.LockoutBackend",  # refuses locked accounts and addresses
    "django.contrib.auth.backends.ModelBackend",
]
FENGQIAO_AUDIT_KEY = os.environ.get("FENGQIAO_AUDIT_KEY", "")  # default: derived from SECRET_KEY
# Roles that must sign in with a TOTP second factor ("superuser" names superusers too).
FENGQIAO_OTP_REQUIRED_ROLES = env_list(
    "FENGQIAO_OTP_REQUIRED_ROLES", "" if DEBUG else "admin,auditor"
)
FENGQIAO_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("FENGQIAO_PASSWORD_MAX_AGE_DAYS", "90"))
FENGQIAO_SESSION_IDLE_MINUTES = int(os.environ.get("FENGQIAO_SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = int(os.environ.get("FENGQIAO_SESSION_HOURS", "12")) * 3600
OTP_TOTP_ISSUER = "Fengqiao"
# --- end security ---
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"

# Language and time: Chinese first, times stored in UTC and shown in China Standard Time.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("FENGQIAO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("FENGQIAO_MEDIA_ROOT", VAR_DIR / "media"))
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
WHITENOISE_USE_FINDERS = DEBUG

# Attachments: limits on size and type.
ATTACHMENT_MAX_BYTES = int(os.environ.get("FENGQIAO_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
ATTACHMENT_ALLOWED_TYPES = {
    "image/jpeg": [".jpg", ".jpeg"],
    "image/png": [".png"],
    "image/webp": [".webp"],
    "application/pdf": [".pdf"],
    "audio/mpeg": [".mp3"],
    "audio/mp4": [".m4a"],
    "video/mp4": [".mp4"],
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": [".docx"],
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [".xlsx"],
    "text/plain": [".txt"],
}
DATA_UPLOAD_MAX_MEMORY_SIZE = ATTACHMENT_MAX_BYTES + 1024 * 1024

# Background work: Django's tasks framework with the database backend.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("FENGQIAO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Benchmark-only baseline endpoints (bench/README.md); never on in production.
FENGQIAO_BENCH = env_bool("FENGQIAO_BENCH")

# Policies and after-commit handlers that higher apps plug into the case core.
FENGQIAO_DEADLINE_POLICY = "fengqiao.deadlines.policy.dispatch_deadlines"
# "queue": handlers run in the task worker, queued in the transaction that wrote the event
# (never lost; requests do not wait for them). "inline": right after commit, in-process.
FENGQIAO_CASE_EVENT_DELIVERY = os.environ.get("FENGQIAO_CASE_EVENT_DELIVERY", "queue")
FENGQIAO_CASE_EVENT_HANDLERS: list[str] = [
    "fengqiao.followup.handlers.notify_applicant",
    "fengqiao.followup.handlers.open_visit_task",
    "fengqiao.deadlines.services.on_case_event",
    "fengqiao.supervision.rules.on_case_event",
    "fengqiao.routing.handlers.on_case_event",
    "fengqiao.analytics.rollups.on_case_event",
    "fengqiao.integrations.handlers.on_case_event",
    "fengqiao.centers.services.on_case_event",
]
# Periodic jobs run by the scheduler beside the task worker: (name, task, seconds).
FENGQIAO_PERIODIC_JOBS = [
    ("centers_sweep", "fengqiao.centers.tasks.sweep_centers_task", 3600),
    ("deadline_sweep", "fengqiao.deadlines.tasks.sweep_deadlines_task", 300),
    ("supervision_sweep", "fengqiao.supervision.tasks.sweep_supervision_task", 300),
    ("calendar_reminder", "fengqiao.deadlines.tasks.remind_missing_calendar_task", 3600),
    ("notify_retry", "fengqiao.notifications.tasks.retry_outbound_task", 60),
    ("followup_sweep", "fengqiao.followup.tasks.followup_sweep_task", 3600),
    ("grid_visit_sweep", "fengqiao.grid.tasks.sweep_missed_visits_task", 3600),
    ("webhook_retry", "fengqiao.integrations.tasks.retry_deliveries_task", 60),
    ("stability_index", "fengqiao.analytics.tasks.compute_index_task", 600),
    ("early_warning", "fengqiao.analytics.tasks.warning_scan_task", 86400),
    ("monthly_report", "fengqiao.analytics.tasks.monthly_report_task", 86400),
]
# Notifications: senders by dotted path (LogBackend for development, HttpGatewayBackend for
# production) and the gateways' URL, token, timeout and extra JSON fields.
FENGQIAO_SMS_BACKEND = os.environ.get(
    "FENGQIAO_SMS_BACKEND", "fengqiao.notifications.backends.LogBackend"
)
FENGQIAO_SMS_GATEWAY = {
    "URL": os.environ.get("FENGQIAO_SMS_GATEWAY_URL", ""),
    "TOKEN": os.environ.get("FENGQIAO_SMS_GATEWAY_TOKEN", ""),
    "TIMEOUT": float(os.environ.get("FENGQIAO_SMS_GATEWAY_TIMEOUT", "10")),
    "EXTRA": os.environ.get("FENGQIAO_SMS_GATEWAY_EXTRA", ""),  # a JSON object
}
FENGQIAO_EMAIL_BACKEND = os.environ.get(
    "FENGQIAO_EMAIL_BACKEND", "fengqiao.notifications.backends.LogBackend"
)
FENGQIAO_EMAIL_GATEWAY = {
    "URL": os.environ.get("FENGQIAO_EMAIL_GATEWAY_URL", ""),
    "TOKEN": os.environ.get("FENGQIAO_EMAIL_GATEWAY_TOKEN", ""),
    "TIMEOUT": float(os.environ.get("FENGQIAO_EMAIL_GATEWAY_TIMEOUT", "10")),
    "EXTRA": os.environ.get("FENGQIAO_EMAIL_GATEWAY_EXTRA", ""),  # a JSON object
}
# Seconds to wait before the 1st, 2nd, ... retry of a failed SMS/e-mail (the last repeats).
FENGQIAO_NOTIFY_RETRY_BACKOFF = (60, 300, 900, 3600, 6 * 3600)
# Visits back (回访): the limit in working days, the days after which an unreached case is
# archived, and the size of each center's monthly random sample.
FENGQIAO_VISIT_DAYS = int(os.environ.get("FENGQIAO_VISIT_DAYS", "5"))
FENGQIAO_VISIT_UNREACHED_DAYS = int(os.environ.get("FENGQIAO_VISIT_UNREACHED_DAYS", "10"))
FENGQIAO_VISIT_SAMPLE_SIZE = int(os.environ.get("FENGQIAO_VISIT_SAMPLE_SIZE", "30"))

# Security headers for production.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("FENGQIAO_SECURE_COOKIES", not DEBUG and bool(DATABASE_URL))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = int(os.environ.get("FENGQIAO_HSTS_SECONDS", "0"))
SECURE_SSL_REDIRECT = env_bool("FENGQIAO_SSL_REDIRECT")
if os.environ.get("FENGQIAO_BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FENGQIAO_LOG_LEVEL", "WARNING")},
    "loggers": {
        "fengqiao": {"level": os.environ.get("FENGQIAO_LOG_LEVEL", "INFO"), "propagate": True},
    },
}
