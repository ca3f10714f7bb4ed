"""Settings for the test suite: the real settings with a throwaway key and site address."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-suite-key-not-secret")
os.environ.setdefault("PARLEY_SITE_URL", "https://parley.test")

from config.settings import *  # noqa: F403

# Tests must not need a prior collectstatic.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the app folders, as in development: no staticfiles/ needed.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared-cache memory: concurrency tests need SQLite's real locking
    # (WAL and the busy timeout), which in-memory shared cache does not have.
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"parley-test-{os.getpid()}.sqlite3")
    }
