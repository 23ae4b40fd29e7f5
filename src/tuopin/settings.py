"""Django settings. Everything that differs between installs comes from the environment.

Bad values fail fast at start-up with a message naming the variable. See docs/operations.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from tuopin import local_keys

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


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("TUOPIN_DEBUG", default=False)
# Keys: from the environment in production. A single-machine install (`make run`) keeps random
# keys under var/ instead: TUOPIN_LOCAL_KEYS=true creates them once; a key file already there is
# used as it is. Without either, start-up is refused (there is no public development key).
SECRET_KEY = local_keys.secret(
    "TUOPIN_SECRET_KEY", VAR_DIR / "secret.key", create=env_bool("TUOPIN_LOCAL_KEYS", DEBUG)
)
# Key for the keyed hash that looks up ID numbers; separate from SECRET_KEY so that either can
# be rotated alone (`tuopin rotate_id_hash_key` recomputes every Person.id_hash).
ID_HASH_KEY = local_keys.secret(
    "TUOPIN_ID_HASH_KEY", VAR_DIR / "id_hash.key", create=env_bool("TUOPIN_LOCAL_KEYS", DEBUG)
)
if ID_HASH_KEY == SECRET_KEY:
    raise ImproperlyConfigured("TUOPIN_ID_HASH_KEY must differ from TUOPIN_SECRET_KEY")

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

ALLOWED_HOSTS = env_list("TUOPIN_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
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
    "axes",
    "tuopin.core",
    "tuopin.areas",
    "tuopin.accounts",
    "tuopin.registry",
    "tuopin.ledger",
    "tuopin.documents",
    "tuopin.charity",
    "tuopin.insurance",
    "tuopin.selection",
    "tuopin.childcare",
    "tuopin.casework",
    "tuopin.forest",
    "tuopin.commerce",
    "tuopin.farming",
    "tuopin.reports",
    "tuopin.demo",
    "tuopin.server",
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
    "tuopin.core.middleware.DomainErrorPages",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
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

_db_url = os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{VAR_DIR / 'tuopin.sqlite3'}"
try:
    # Connections live a minute and are checked before reuse: after a PostgreSQL restart the
    # next request reconnects instead of failing on a dead connection.
    DATABASES = {
        "default": dj_database_url.parse(_db_url, conn_max_age=60, conn_health_checks=True)
    }
except Exception as exc:  # dj_database_url raises several types
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Every SQLite database, the default one or one named by DATABASE_URL, gets these. WAL lets
    # readers run beside the one writer; IMMEDIATE takes the write lock when a transaction
    # starts, so that two writers queue on the busy timeout instead of one failing with
    # "database is locked" at its first write; a 64 MB page cache keeps bulk imports off the
    # disk for the random-order ID-hash index (the default cache is 2 MB).
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # a pooled SQLite connection buys nothing
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("TUOPIN_SQLITE_BUSY_TIMEOUT", 30),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
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
        # Hashed, compressed names in production (`tuopin serve` collects them first); plain
        # names under DEBUG and in tests, which render pages without collecting.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("TUOPIN_MANIFEST_STATIC", default=not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
STATIC_ROOT = Path(os.environ.get("TUOPIN_STATIC_ROOT", VAR_DIR / "static"))
with contextlib.suppress(OSError):  # whitenoise warns on every start if it is missing
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("TUOPIN_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"

# Uploads and imports (docs/operations.md): what one uploaded file may hold, and how long the
# uploaded files are kept. The command line imports without the size limits.
TUOPIN_UPLOAD_MAX_BYTES = env_int("TUOPIN_UPLOAD_MAX_BYTES", 64 * 1024 * 1024)
TUOPIN_IMPORT_MAX_ROWS = env_int("TUOPIN_IMPORT_MAX_ROWS", 500_000)
TUOPIN_IMPORT_MAX_COLUMNS = env_int("TUOPIN_IMPORT_MAX_COLUMNS", 256)
TUOPIN_IMPORT_MAX_CELL_CHARS = env_int("TUOPIN_IMPORT_MAX_CELL_CHARS", 4096)
TUOPIN_IMPORT_MAX_UNZIPPED_BYTES = env_int("TUOPIN_IMPORT_MAX_UNZIPPED_BYTES", 512 * 1024 * 1024)
TUOPIN_IMPORT_MAX_SHARED_STRINGS_BYTES = env_int(
    "TUOPIN_IMPORT_MAX_SHARED_STRINGS_BYTES", 16 * 1024 * 1024
)
TUOPIN_UPLOAD_RETENTION_DAYS = env_int("TUOPIN_UPLOAD_RETENTION_DAYS", 30)
# The first handler stops storing a file past TUOPIN_UPLOAD_MAX_BYTES (the rest of the body
# is read and discarded); the page then says the file is too large.
FILE_UPLOAD_HANDLERS = [
    "tuopin.core.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Errors go to standard error with their traceback whatever DEBUG says (Django's own default
# sends request errors only to the admins' mail when DEBUG is off, which nobody reads here).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "tuopin": {"handlers": ["console"], "level": os.environ.get("TUOPIN_LOG_LEVEL", "INFO")},
        "django": {"handlers": ["console"], "level": "WARNING"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# Behind HTTPS (see docs/operations.md): TUOPIN_HTTPS=true turns on secure cookies, the SSL
# redirect and HSTS; TUOPIN_PROXY_SSL_HEADER=true trusts X-Forwarded-Proto from the proxy.
_https = env_bool("TUOPIN_HTTPS", default=False)
SESSION_COOKIE_SECURE = env_bool("TUOPIN_SECURE_COOKIES", default=_https)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("TUOPIN_SSL_REDIRECT", default=_https)
SECURE_HSTS_SECONDS = env_int("TUOPIN_HSTS_SECONDS", 31536000 if _https else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("TUOPIN_HSTS_INCLUDE_SUBDOMAINS", default=_https)
SECURE_HSTS_PRELOAD = env_bool("TUOPIN_HSTS_PRELOAD", default=_https)
if env_bool("TUOPIN_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one user name
# from one address, logins for that pair are refused for the cool-off, right password or not.
AXES_ENABLED = env_bool("TUOPIN_LOGIN_THROTTLE", default=True)
AXES_FAILURE_LIMIT = env_int("TUOPIN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("TUOPIN_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("TUOPIN_PROXY_COUNT", 0) or None
AXES_VERBOSE = False

# Green energy (forest): how long a ball of energy waits before it can be collected, how long
# it stays collectable after that, and the share a friend may take (0: friends take nothing).
FOREST_COLLECT_DELAY_HOURS = env_int("TUOPIN_FOREST_COLLECT_DELAY_HOURS", 24)
FOREST_COLLECT_WINDOW_HOURS = env_int("TUOPIN_FOREST_COLLECT_WINDOW_HOURS", 72)
FOREST_FRIEND_SHARE_PERCENT = env_int("TUOPIN_FOREST_FRIEND_SHARE_PERCENT", 20)
# Flash adoptions by API token answered before the full stack and committed in batches
# (forest.door, ADR 0013); off: every adoption goes through Django and django-ninja.
FOREST_FLASH_DOOR = env_bool("TUOPIN_FOREST_FLASH_DOOR", default=True)
# `tuopin serve` puts the flash front (forest.front) on the address, gunicorn behind it.
FOREST_FLASH_FRONT = env_bool("TUOPIN_FOREST_FLASH_FRONT", default=True)
