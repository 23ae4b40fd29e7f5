"""Django settings. Everything that differs between installs comes from the environment.

Bad values fail fast at start-up with a message naming the variable. See docs/operations.md.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("TUOPIN_HOME", Path.cwd())).resolve()
VAR_DIR = PROJECT_DIR / "var"


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("TUOPIN_DEBUG", default=False)
_secret = os.environ.get("TUOPIN_SECRET_KEY", "")
if not _secret:
    if not DEBUG and env_bool("TUOPIN_REQUIRE_SECRET", default=False):
        raise ImproperlyConfigured("TUOPIN_SECRET_KEY must be set in production")
    _secret = "insecure-dev-key-only-for-local-use-" + "0" * 16  # noqa: S105 - dev only
SECRET_KEY = _secret
# Key for the keyed hash that looks up ID numbers. Changing it needs every Person.id_hash
# recomputed (there is no command for that yet): set it once, before the first import.
ID_HASH_KEY = os.environ.get("TUOPIN_ID_HASH_KEY", SECRET_KEY)

# The public ledger: its name in checkpoints (C2SP origin) and the Ed25519 signing key file.
LEDGER_ORIGIN = os.environ.get("TUOPIN_LEDGER_ORIGIN", "tuopin.example/ledger")
LEDGER_KEY_FILE = Path(os.environ.get("TUOPIN_LEDGER_KEY_FILE", VAR_DIR / "ledger.key"))

# Background work (enrollment runs from the operator's page): Django's Tasks API. "immediate"
# runs a task in the request (tests, the one-process demo); "database" queues it for
# `tuopin db_worker`.
_tasks = os.environ.get("TUOPIN_TASKS", "immediate").strip()
if _tasks not in {"immediate", "database"}:
    raise ImproperlyConfigured(f"TUOPIN_TASKS must be immediate or database, not {_tasks!r}")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if _tasks == "database"
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}

ALLOWED_HOSTS = env_list("TUOPIN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("TUOPIN_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "tuopin.core",
    "tuopin.areas",
    "tuopin.accounts",
    "tuopin.registry",
    "tuopin.ledger",
    "tuopin.charity",
    "tuopin.insurance",
    "tuopin.reports",
    "tuopin.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "tuopin.core.nul_bytes.RefuseNulBytes",  # after CSRF: see its docstring
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tuopin.urls"
WSGI_APPLICATION = "tuopin.wsgi.application"

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
            ],
        },
    },
]

_db_url = os.environ.get("DATABASE_URL", "").strip()
if _db_url:
    try:
        DATABASES = {"default": dj_database_url.parse(_db_url, conn_max_age=60)}
    except Exception as exc:  # dj_database_url raises several types
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "tuopin.sqlite3"),
            "OPTIONS": {
                # WAL for concurrent readers; a 64 MB page cache so that bulk imports do not
                # thrash the random-order ID-hash index (the default cache is 2 MB).
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("TUOPIN_MANIFEST_STATIC", default=False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
STATIC_ROOT = Path(os.environ.get("TUOPIN_STATIC_ROOT", VAR_DIR / "static"))
with contextlib.suppress(OSError):  # whitenoise warns on every start if it is missing
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("TUOPIN_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "tuopin": {"handlers": ["console"], "level": os.environ.get("TUOPIN_LOG_LEVEL", "INFO")},
    },
}

if not DEBUG:
    SESSION_COOKIE_HTTPONLY = True
    CSRF_COOKIE_HTTPONLY = False
