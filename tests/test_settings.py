import json
import os
import subprocess
import sys
import uuid

import pytest

from config.settings import BASE_DIR, database_settings, local_secret_key

SQLITE_ONLY_OPTIONS = {"transaction_mode", "timeout", "init_command"}


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
    env.setdefault("DJANGO_SECRET_KEY", "a-key-for-this-test")
    result = settings_process(
        f"import json; from django.conf import settings; print(json.dumps(settings.{name}))", **env
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_settings_refuse_to_start_with_debug_off_and_no_secret_key():
    result = settings_process("print('started')")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert "started" not in result.stdout


def test_settings_start_with_debug_off_and_a_secret_key():
    result = settings_process("print('started')", DJANGO_SECRET_KEY="a-key-for-this-test")
    assert (result.returncode, result.stdout) == (0, "started\n"), result.stderr


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
    assert cache["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_redis_url_selects_the_redis_cache():
    cache = setting("CACHES['default']", REDIS_URL="redis://cache.example:6379/2")
    assert cache == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
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
        DJANGO_SECRET_KEY="a-key-for-this-test",
        REDIS_URL=redis_url,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["RedisCache", "stored in redis"]


def test_allowed_hosts_are_read_from_the_environment():
    hosts = setting("ALLOWED_HOSTS", DJANGO_ALLOWED_HOSTS="parley.example, www.parley.example")
    assert hosts == ["parley.example", "www.parley.example"]


def test_allowed_hosts_are_empty_in_production_unless_set():
    assert setting("ALLOWED_HOSTS") == []


def test_debug_allows_only_the_local_hosts_by_default():
    hosts = setting("ALLOWED_HOSTS", DJANGO_DEBUG="1")
    assert hosts == ["127.0.0.1", "localhost", "[::1]"]
