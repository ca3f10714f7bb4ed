import json
import os
import re
import secrets
import subprocess
import sys
import uuid
import warnings

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from config.settings import BASE_DIR, database_settings, local_secret_key, site_origin

SQLITE_ONLY_OPTIONS = {"transaction_mode", "timeout", "init_command"}
# What production must set, and nothing else.
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "a-key-for-this-test",
    "PARLEY_SITE_URL": "https://parley.example",
}


def settings_process(code, *, cwd=BASE_DIR, **env):
    """Run code after django.setup() with config.settings and only the given environment."""
    clean_env = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(BASE_DIR),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        cwd=cwd,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def setting(name, **env):
    result = settings_process(
        f"import json; from django.conf import settings; print(json.dumps(settings.{name}))",
        **{**PRODUCTION_ENV, **env},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_settings_refuse_to_start_with_debug_off_and_no_secret_key():
    result = settings_process("print('started')")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert "started" not in result.stdout


def test_settings_start_with_debug_off_a_secret_key_and_a_site_url():
    result = settings_process("print('started')", **PRODUCTION_ENV)
    assert (result.returncode, result.stdout) == (0, "started\n"), result.stderr


def test_settings_refuse_to_start_with_debug_off_and_no_site_url():
    result = settings_process("print('started')", DJANGO_SECRET_KEY="a-key-for-this-test")
    assert result.returncode != 0
    assert "PARLEY_SITE_URL must be set when DJANGO_DEBUG is off" in result.stderr
    assert "started" not in result.stdout


def test_settings_refuse_to_start_with_a_site_url_that_is_not_an_origin():
    result = settings_process(
        "print('started')", **{**PRODUCTION_ENV, "PARLEY_SITE_URL": "https://parley.example/news"}
    )
    assert result.returncode != 0
    assert "PARLEY_SITE_URL must be the site's public origin" in result.stderr
    assert "'https://parley.example/news'" in result.stderr
    assert "started" not in result.stdout


def test_debug_serves_the_site_at_the_local_address_by_default():
    result = settings_process(
        "from django.conf import settings; print(settings.PARLEY_SITE_URL)", DJANGO_DEBUG="1"
    )
    assert (result.returncode, result.stdout) == (0, "http://127.0.0.1:8000\n"), result.stderr


def test_the_site_url_is_read_from_the_environment():
    assert setting("PARLEY_SITE_URL", PARLEY_SITE_URL="https://parley.example:8443") == (
        "https://parley.example:8443"
    )


@pytest.mark.parametrize(
    "url, origin",
    [
        ("https://parley.example/", "https://parley.example"),
        ("HTTPS://Parley.Example", "https://parley.example"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("http://[::1]:8000", "http://[::1]:8000"),
        ("http://intranet", "http://intranet"),
    ],
)
def test_a_site_url_is_kept_as_its_origin(url, origin):
    assert site_origin(url) == origin


@pytest.mark.parametrize(
    "url",
    [
        "",
        "parley.example",
        "//parley.example",
        "ftp://parley.example",
        "https://",
        "https://parley.example/forum/",
        "https://parley.example/?page=2",
        "https://parley.example/#top",
        "https://editor:secret@parley.example",
        "https://parley example",
        "https://parley.example:99999",
        "https://parley.example:0",
        "https://parley.example:port",
        "http://[::1",
    ],
)
def test_a_site_url_that_is_not_an_origin_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="must be the site's public origin"):
        site_origin(url)


def test_the_local_secret_key_is_generated_once_and_private(tmp_path):
    path = tmp_path / ".secret_key"
    key = local_secret_key(path)
    assert len(key) >= 50
    assert local_secret_key(path) == key
    assert path.stat().st_mode & 0o777 == 0o600


def test_sqlite_gets_wal_an_immediate_transaction_mode_and_a_busy_timeout():
    options = database_settings("sqlite:////tmp/parley.sqlite3")["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] > 0
    assert "journal_mode=WAL" in options["init_command"]


def test_postgresql_gets_none_of_the_sqlite_options():
    database = database_settings("postgres://parley@db.example:5432/parley")
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert SQLITE_ONLY_OPTIONS.isdisjoint(database.get("OPTIONS", {}))


@pytest.mark.parametrize("cwd", [BASE_DIR, "/", BASE_DIR / "templates"])
def test_the_default_database_is_at_the_project_root_whatever_the_working_directory(cwd):
    database = setting("DATABASES['default']", cwd=cwd)
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(BASE_DIR / "db.sqlite3")


def test_the_cache_is_local_memory_without_redis_url():
    cache = setting("CACHES['default']")
    assert cache["BACKEND"] == "config.caches.LocalMemoryCache"


def test_redis_url_selects_the_redis_cache():
    cache = setting("CACHES['default']", REDIS_URL="redis://cache.example:6379/2")
    assert cache == {
        "BACKEND": "config.caches.RedisServerCache",
        "LOCATION": "redis://cache.example:6379/2",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }


def test_the_redis_cache_stores_and_returns_a_value(redis_url):
    key = f"parley-test-{uuid.uuid4().hex}"
    result = settings_process(
        "from django.core.cache import caches\n"
        "cache = caches['default']\n"
        "print(type(cache).__name__)\n"
        f"cache.set({key!r}, 'stored in redis', 30)\n"
        f"print(cache.get({key!r}))\n"
        f"cache.delete({key!r})",
        **PRODUCTION_ENV,
        REDIS_URL=redis_url,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["RedisServerCache", "stored in redis"]


def test_allowed_hosts_are_read_from_the_environment():
    hosts = setting("ALLOWED_HOSTS", DJANGO_ALLOWED_HOSTS="parley.example, www.parley.example")
    assert hosts == ["parley.example", "www.parley.example"]


def test_allowed_hosts_are_empty_in_production_unless_set():
    assert setting("ALLOWED_HOSTS") == []


def test_debug_allows_only_the_local_hosts_by_default():
    hosts = setting("ALLOWED_HOSTS", DJANGO_DEBUG="1")
    assert hosts == ["127.0.0.1", "localhost", "[::1]"]


def test_passwords_are_hashed_with_pbkdf2_outside_the_test_suite():
    assert setting("PASSWORD_HASHERS")[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"


# HTTPS


HTTPS_SETTINGS = [
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
]


def https_settings(**env):
    result = settings_process(
        "import json; from django.conf import settings\n"
        f"print(json.dumps([getattr(settings, name) for name in {HTTPS_SETTINGS!r}]))",
        **{**PRODUCTION_ENV, **env},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_https_settings_are_off_unless_set():
    assert https_settings() == [0, False, False, False, None]


def test_https_settings_are_read_from_the_environment():
    values = https_settings(
        DJANGO_HSTS_SECONDS="3600",
        DJANGO_HSTS_INCLUDE_SUBDOMAINS="1",
        DJANGO_HSTS_PRELOAD="1",
        DJANGO_SSL_REDIRECT="1",
        DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
    )
    assert values == [3600, True, True, True, ["HTTP_X_FORWARDED_PROTO", "https"]]


SECURITY_DOC = BASE_DIR / "docs" / "security.md"
PRODUCTION_HEADING = "## Production settings that `check --deploy` accepts"
HTTPS_VARIABLES = {
    "DJANGO_SSL_REDIRECT",
    "DJANGO_SECURE_PROXY_SSL_HEADER",
    "DJANGO_HSTS_SECONDS",
    "DJANGO_HSTS_INCLUDE_SUBDOMAINS",
}


def documented_production_environment():
    """The variables docs/security.md exports in its production block, with a fresh key."""
    text = SECURITY_DOC.read_text()
    block = text[text.index(PRODUCTION_HEADING) :].split("```sh\n", 1)[1].split("```", 1)[0]
    exported = dict(re.findall(r"^export (\w+)=(.*)$", block, flags=re.MULTILINE))
    assert "DJANGO_SECRET_KEY" in exported
    # The block generates the key in the shell; the test makes its own.
    exported["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    # Required with debug off once the site-URL branch is merged; harmless before.
    exported["PARLEY_SITE_URL"] = "https://parley.example"
    return exported


def deploy_check_warnings(environment):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=BASE_DIR,
        env={"PATH": os.environ["PATH"], "PYTHONPATH": str(BASE_DIR), **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return set(re.findall(r"^\?: \((\S+)\)", result.stderr + result.stdout, flags=re.MULTILINE))


def test_check_deploy_with_the_documented_production_settings_leaves_only_explained_warnings():
    warnings = deploy_check_warnings(documented_production_environment())

    assert warnings == {"security.W021"}
    explained = SECURITY_DOC.read_text().split(PRODUCTION_HEADING)[1]
    assert all(f"**{warning}**" in explained for warning in warnings)


def test_without_the_https_settings_check_deploy_warns_about_hsts_and_the_redirect():
    environment = documented_production_environment()
    for name in HTTPS_VARIABLES:
        del environment[name]

    assert deploy_check_warnings(environment) == {"security.W004", "security.W008"}


# Longer than memcached allows, and with spaces: Django warns of such keys unless told not to.
ODD_KEY = "discussion: a key with spaces, " + "long " * 60


def stores_odd_key_without_warning(backend, location=""):
    config = {"default": {"BACKEND": backend, "LOCATION": location}}
    with override_settings(CACHES=config), warnings.catch_warnings():
        warnings.simplefilter("error")
        cache = caches.create_connection("default")
        cache.set(ODD_KEY, "kept", 30)
        assert cache.get(ODD_KEY) == "kept"
        cache.delete(ODD_KEY)


def test_the_local_memory_cache_takes_any_key_without_a_warning():
    stores_odd_key_without_warning("config.caches.LocalMemoryCache")


def test_the_redis_cache_takes_any_key_without_a_warning(redis_url):
    stores_odd_key_without_warning("config.caches.RedisServerCache", redis_url)
