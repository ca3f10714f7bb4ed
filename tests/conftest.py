import os
import socket
from pathlib import Path

import pytest
import redis
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
# Real exports other projects wrote: ../shared beside the clone, as on CI; PARLEY_SHARED names
# another place (a worktree that is not beside it).
SHARED = Path(os.environ.get("PARLEY_SHARED") or Path(__file__).resolve().parents[2] / "shared")
# Tests that need something outside Python: under CI=true their skips are failures.
SERVICE_MARKERS = ("browser", "postgres")


def in_ci():
    return os.environ.get("CI", "").lower() == "true"


def unavailable(reason):
    """Skip a test whose service or browser is missing, or fail it under CI=true."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: a missing service fails instead of skipping)")
    pytest.skip(reason)


def pytest_collection_modifyitems(config, items):
    """Mark browser tests by their fixture; skip PostgreSQL tests on any other database."""
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    for item in items:
        if "chromium_browser" in item.fixturenames:
            item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("postgres") and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs DATABASE_URL=postgres://..."))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a test that needs PostgreSQL or a browser fails instead of skipping."""
    outcome = yield
    report = outcome.get_result()
    marked = any(item.get_closest_marker(name) for name in SERVICE_MARKERS)
    if report.skipped and marked and in_ci() and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which counts as a failure: {reason}"


@pytest.fixture(scope="session")
def corpus_imports():
    """The folder of real comment exports (../shared/corpus/imports), or a skip saying why."""
    folder = SHARED / "corpus" / "imports"
    if not folder.is_dir():
        unavailable(f"{folder} is missing: the real exports live in ../shared beside the clone")
    return folder


@pytest.fixture
def ci():
    return in_ci()


@pytest.fixture(scope="session")
def chromium_browser():
    """Debian's Chromium, headless, driven by Playwright's sync API."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed")
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing: apt-get install chromium")
    # Playwright's sync API runs an event loop in this thread, and Django refuses ORM calls
    # from a thread with a running loop; the tests' own ORM calls are synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(chromium_browser):
    """A fresh browser tab with its own cookies."""
    context = chromium_browser.new_context()
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="session")
def redis_url():
    """A reachable Redis: REDIS_URL, or the local default."""
    url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        unavailable(f"Redis at {url} is not reachable: {error}")
    return url


@pytest.fixture
def closed_port():
    """A port on 127.0.0.1 that nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters and one-time tokens live in the cache: no test inherits them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
