"""Settings, read from the environment with safe local defaults (no secret lives in the repository)."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"{name} must be a boolean, got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw is None else int(raw)


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated list; blanks are dropped."""
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    raw = env_str(name, default)
    if raw not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {raw!r}")
    return raw


# Deployment mode (docs/security.md). Unset means production, so a server started without its configuration
# refuses to run instead of running on a known key; `make run` says demo, the test settings development.
KHAMRAP_ENV = env_choice("KHAMRAP_ENV", ("production", "demo", "development"), "production")
PRODUCTION = KHAMRAP_ENV == "production"
DEBUG = env_bool("DEBUG", False)

# JSON fixtures and backups keep times to the microsecond (khamrap/core/exact_json.py).
SERIALIZATION_MODULES = {"json": "khamrap.core.exact_json"}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "axes",
    "csp",
    "django_tasks_db",
    "khamrap.core",
    "khamrap.accounts",
    "khamrap.orgs",
    "khamrap.frameworks",
    "khamrap.plans",
    "khamrap.notifications",
    "khamrap.workbook",
    "khamrap.tracking",
    "khamrap.library",
    "khamrap.review",
    "khamrap.negotiations",
    "khamrap.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "khamrap.core.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "khamrap.core.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF: an oversized body is refused before anything reads it.
    "khamrap.core.middleware.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "khamrap.core.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "khamrap.urls"
# Widgets written in Python, the same HTML as Django's templates: the plan page has hundreds of inputs.
FORM_RENDERER = "khamrap.core.form_renderer.QuickRenderer"
WSGI_APPLICATION = "khamrap.wsgi.application"

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
                "khamrap.site.context_processors.current_year",
                "khamrap.site.context_processors.deployment",
                "khamrap.notifications.context_processors.unread_notifications",
            ],
            "builtins": ["khamrap.core.templatetags.thai"],
        },
    }
]

DATA_DIR = Path(env_str("KHAMRAP_DATA_DIR", str(PROJECT_DIR / "var")))
(DATA_DIR / "static").mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'khamrap.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,  # a kept connection is checked before reuse (a restarted PostgreSQL)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Many web workers and the task worker share one file. WAL lets readers go on while one writes;
    # IMMEDIATE transactions take the write lock at BEGIN, so a writer waits (up to the busy timeout)
    # instead of failing with "database is locked" when a deferred read lock cannot be upgraded.
    # On SQLite this lock is what serialises the services (select_for_update is a no-op there).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("KHAMRAP_SQLITE_TIMEOUT", 20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Bangkok"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("KHAMRAP_MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads: the workbook and action-plan limits are enforced by the services too.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
KHAMRAP_MAX_WORKBOOK_BYTES = env_int("KHAMRAP_MAX_WORKBOOK_BYTES", 5 * 1024 * 1024)
KHAMRAP_MAX_ATTACHMENT_BYTES = env_int("KHAMRAP_MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024)
KHAMRAP_MAX_BULK_UPLOAD_BYTES = env_int("KHAMRAP_MAX_BULK_UPLOAD_BYTES", 200 * 1024 * 1024)
# Bodies are capped while they stream in (khamrap/core/uploads.py): each upload page by its own limit, named
# here by URL name; every other URL by the largest of the three.
KHAMRAP_UPLOAD_LIMITS = {
    "plan-workbook-upload": "KHAMRAP_MAX_WORKBOOK_BYTES",
    "plan-attachments": "KHAMRAP_MAX_ATTACHMENT_BYTES",
    "bulk-import": "KHAMRAP_MAX_BULK_UPLOAD_BYTES",
}
FILE_UPLOAD_HANDLERS = [
    "khamrap.core.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Email: Django's console backend (the message printed) unless EMAIL_HOST names an SMTP server.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "khamrap@localhost")
# The site's address, for the links in emails (a notification stores only its path).
KHAMRAP_SITE_URL = env_str("KHAMRAP_SITE_URL", "http://127.0.0.1:8000")

TASKS = {"default": {"BACKEND": env_str("KHAMRAP_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Static files (the Thai font, CSS, htmx) are served by the app itself through WhiteNoise; never a CDN.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG


# --- Deployment: key, hosts and HTTPS (docs/security.md) ------------------------------------------------------


def local_secret_key(path: Path) -> str:
    """The demo's or developer's own key: made once on this machine under var/, never in the repository."""
    if not path.exists():
        spare = path.with_name(f".{path.name}.{os.getpid()}")
        spare.touch(mode=0o600)
        spare.write_text(secrets.token_urlsafe(64) + "\n")
        try:
            os.link(spare, path)  # atomic: when two processes race, the first key wins
        except FileExistsError:
            pass
        finally:
            spare.unlink()
    return path.read_text().strip()


def weak_secret_key(key: str) -> bool:
    """Django's own test (check --deploy, security.W009)."""
    return len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-")


SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY", "")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    problems = [
        *(["SECRET_KEY: a random key of at least 50 characters"] if weak_secret_key(SECRET_KEY) else []),
        *(["ALLOWED_HOSTS: the site's host names, comma-separated"] if not ALLOWED_HOSTS else []),
        *(["DEBUG: must be off (DEBUG=0); debug locally with KHAMRAP_ENV=development"] if DEBUG else []),
    ]
    if problems:
        raise ImproperlyConfigured(
            "Khamrap refuses to start in production (KHAMRAP_ENV=production, the default) until these are set:\n"
            + "".join(f"  - {problem}\n" for problem in problems)
            + "A key: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'. "
            "The local demo is `make run`. See docs/security.md."
        )
else:
    SECRET_KEY = env_str("SECRET_KEY", "") or local_secret_key(DATA_DIR / "secret_key")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

# Production is served over HTTPS only. With KHAMRAP_BEHIND_PROXY (the default) TLS ends at a reverse proxy that
# sets X-Forwarded-Proto and appends the client's address to X-Forwarded-For; it must overwrite both headers.
KHAMRAP_BEHIND_PROXY = PRODUCTION and env_bool("KHAMRAP_BEHIND_PROXY", True)
if KHAMRAP_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = PRODUCTION
SECURE_HSTS_SECONDS = env_int("KHAMRAP_HSTS_SECONDS", 365 * 24 * 3600) if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION  # only a directive: nothing happens until someone submits the domain
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Headers: scripts, styles, fonts and images come from the site itself, never inline (docs/security.md) -----
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
KHAMRAP_PERMISSIONS_POLICY = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"

# --- Sign-in: lockout after repeated failures, short sessions ---------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# One username from one address: after this many wrong passwords in a row it is locked for a while, whatever
# the password then; the administrator unlocks it earlier (ผู้ดูแลระบบ → Access attempts, or axes_reset_username).
AXES_FAILURE_LIMIT = env_int("KHAMRAP_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("KHAMRAP_LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "khamrap.site.views.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "khamrap.core.security.client_ip"
AXES_ENABLE_ADMIN = False  # registered for the OPDC administrator role in khamrap/core/admin.py
# Idle sessions end after KHAMRAP_SESSION_IDLE_MINUTES; every session after KHAMRAP_SESSION_MAX_HOURS.
SESSION_COOKIE_AGE = env_int("KHAMRAP_SESSION_IDLE_MINUTES", 120) * 60
SESSION_SAVE_EVERY_REQUEST = True
KHAMRAP_SESSION_MAX_AGE = env_int("KHAMRAP_SESSION_MAX_HOURS", 8) * 3600
