"""Parley's settings, read from the environment with safe local defaults."""

import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


DEBUG = env_flag("DJANGO_DEBUG")


def local_secret_key(path):
    """Return the git-ignored key of this checkout, generating it on first use."""
    from django.core.management.utils import get_random_secret_key

    if not path.exists():
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # A predictable key would let anyone forge sessions and password-reset links.
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off; refusing to start without it."
        )
    SECRET_KEY = local_secret_key(BASE_DIR / ".secret_key")

# A host name or a bracketed IPv6 address, then an optional port: nothing else is an origin.
ORIGIN_HOST = re.compile(r"(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?")


def site_origin(url):
    """The origin url names ("https://parley.example"), or ImproperlyConfigured if it is more."""
    try:
        parts = urlsplit(url.strip())
        is_origin = (
            parts.scheme in {"http", "https"}
            and ORIGIN_HOST.fullmatch(parts.netloc.lower()) is not None
            and parts.path in {"", "/"}
            and not (parts.query or parts.fragment)
            and parts.port != 0
        )
    except ValueError:  # urlsplit's verdict on a broken IPv6 address or a port past 65535
        is_origin = False
    if not is_origin:
        raise ImproperlyConfigured(
            "PARLEY_SITE_URL must be the site's public origin (http or https, a host, an optional "
            f"port; no path, query or login), e.g. https://parley.example, not {url!r}."
        )
    return f"{parts.scheme}://{parts.netloc.lower()}"


# Every full URL Parley writes (canonical links, mails, exports) starts here, never with a
# request's Host header, which a visitor chooses and a cache or a mail would repeat to others.
PARLEY_SITE_URL = os.environ.get("PARLEY_SITE_URL", "")
if not PARLEY_SITE_URL:
    if not DEBUG:
        raise ImproperlyConfigured(
            "PARLEY_SITE_URL must be set when DJANGO_DEBUG is off, e.g. https://parley.example; "
            "refusing to start without it."
        )
    PARLEY_SITE_URL = "http://127.0.0.1:8000"  # where `make run` serves
PARLEY_SITE_URL = site_origin(PARLEY_SITE_URL)

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # First, so that its createsuperuser (which refuses look-alike names) replaces auth's.
    "accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "mptt",
    "articles",
    "forum",
    "reading",
    "search",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "django_tasks_rq",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    # Above the kept pages, so that they carry its header too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.database_outage.DatabaseOutageMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # An anonymous discussion page kept whole is served here, before sessions and the rest.
    "forum.rendering.responses.KeptPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as axes asks: it turns a login refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "notifications.context_processors.inbox",
                "config.context_processors.site",
            ],
        },
    },
]


# Seconds a worker keeps its database connection between requests: opening one (and, on SQLite,
# setting its pragmas) cost more than serving a kept page. Checked before reuse, so a connection
# the server dropped is opened again instead of failing a request.
CONN_MAX_AGE = 60


def database_settings(url):
    database = dj_database_url.parse(
        url,
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", CONN_MAX_AGE),
        conn_health_checks=True,
    )
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at
        # BEGIN, so two posting requests queue instead of failing mid-transaction.
        database["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return database


DATABASES = {
    "default": database_settings(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Seconds to wait for Redis: it answers in a millisecond when it is up, and when its host is
# gone a request must not hang on redis-py's default of 5 s per command before it falls back
# (forum/cache_failures.py).
REDIS_TIMEOUT = 1

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "config.caches.RedisServerCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
        }
    }
else:
    # Each worker's own memory. Django's default of 300 entries is less than one 1,000-post
    # page's trees and its readers' kept pages: past it the cache culls, and readers taking
    # turns would each find theirs culled. Entries expire (a reader's page in 5 minutes).
    CACHES = {
        "default": {
            "BACKEND": "config.caches.LocalMemoryCache",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    }

# The task queue (django-tasks): the database by default, so `make run` needs nothing more;
# RQ on Redis where REDIS_URL is set, unless PARLEY_TASK_QUEUE says "db".
PARLEY_TASK_QUEUE = os.environ.get("PARLEY_TASK_QUEUE") or (
    "rq" if os.environ.get("REDIS_URL") else "db"
)
if PARLEY_TASK_QUEUE not in {"db", "rq"}:
    raise ImproperlyConfigured(f"PARLEY_TASK_QUEUE must be db or rq, not {PARLEY_TASK_QUEUE!r}.")
TASKS = {
    "default": {
        "BACKEND": {
            "db": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
        }[PARLEY_TASK_QUEUE],
        "QUEUES": ["default"],
    }
}
RQ_QUEUES = {
    "default": {
        "URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
        "DEFAULT_TIMEOUT": 600,
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Served at the site's root by whitenoise: /favicon.ico, which browsers ask for unbidden.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploads (articles' lead images, members' avatars), served by the site itself under MEDIA_URL
# (config/urls.py).
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

SESSION_COOKIE_SECURE = not DEBUG and env_flag("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HTTPS, each off unless set: they break a site served over plain HTTP (or, for the redirect,
# behind a proxy Django cannot yet tell terminates TLS). docs/security.md gives production values.
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("DJANGO_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_flag("DJANGO_HSTS_PRELOAD")
SECURE_SSL_REDIRECT = env_flag("DJANGO_SSL_REDIRECT")
if proxy_ssl_header := os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "").strip():
    # The header a TLS-terminating proxy sets to "https", as Django names it in request.META.
    SECURE_PROXY_SSL_HEADER = (f"HTTP_{proxy_ssl_header.upper().replace('-', '_')}", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
# For SMTP set DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and these;
# each default below is Django's own.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# How many reverse proxies in front of Parley append to X-Forwarded-For; 0 trusts none of it
# and rate limits use REMOTE_ADDR.
PARLEY_TRUSTED_PROXY_COUNT = env_int("PARLEY_TRUSTED_PROXY_COUNT", 0)

# Login throttling (django-axes): failures are counted per account and per client address.
# In the database, not the cache: the throttle holds while Redis is down.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Ten: room for a forgetful person, too few for guessing; loose enough for one address shared
# by an office, since axes has one limit for both.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)  # a lockout always ends: nobody is locked out for good
# Attempts during a lockout neither count nor extend it, so nobody can keep a victim locked.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A success clears the account's failures through accounts.signals, not this (see there).
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "forum.antispam.client_ip"  # the address the post rate limits use
AXES_USERNAME_CALLABLE = "accounts.throttle.attempted_username"
AXES_LOCKOUT_CALLABLE = "accounts.views.login_locked_out"
# The throttle needs only failed attempts; a log of every login's address is data we never use.
AXES_DISABLE_ACCESS_LOG = True
