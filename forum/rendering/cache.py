"""The shared fragments in Django's cache, under keys that change with every announced write.

A thread's version is a column of its row, changed inside every write's transaction (see
bump_versions), so every worker reads the new version with the thread itself and never serves a
fragment older than the last commit. The key also carries the code's version, so a deploy never
serves old markup, and only the parameters a page understands, so a random query string cannot
force a render. A cache that fails is logged and read around: pages are slower, never wrong.
"""

import hashlib
import secrets
import time
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from .. import conf
from ..cache_failures import CACHE_FAILURES, log_cache_failure
from ..events import Write
from ..models import ReaderVersion, Thread, TreeVersion

FRAGMENT_SECONDS = 24 * 60 * 60  # keys change with every write: this only frees memory
RENDER_LOCK_SECONDS = 10  # a render that crashed holds back the others this long at most
WAIT_STEP_SECONDS = 0.02
WAIT_STEPS = 100  # two seconds: readers who lose the race wait this long for the winner's HTML
# Counted per process: the benchmark and the tests read them to see a render really ran.
stats = Counter()


def _code_version():
    """A digest of what shapes a page: every template, the code that renders discussions, and
    the static files' manifest (a page names its stylesheet and script by their hashed names)."""
    base = Path(settings.BASE_DIR)
    sources = sorted(
        [*(base / "templates").rglob("*.html"), *(base / "forum" / "rendering").glob("*.py")]
    )
    sources += [base / "forum" / name for name in ("discussions.py", "shown_posts.py")]
    # The posts' avatars are drawn by accounts' code: a change of colours re-renders them too.
    sources += [base / "accounts" / "avatars.py"]
    # Written by collectstatic before the server starts; absent where pages name unhashed files.
    manifest = Path(settings.STATIC_ROOT or base) / "staticfiles.json"
    digest = hashlib.sha256()
    for source in [*sources, *filter(Path.exists, [manifest])]:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


CODE_VERSION = _code_version()


def page_rules():
    """The forum's settings that shape a page: part of every key a page is kept under."""
    return (conf.settings.MAX_DEPTH, conf.settings.TOP_LEVEL_PER_PAGE)


def fragment_key(thread, *parts):
    """The cache key of a fragment of this thread at its current version."""
    fields = [CODE_VERSION, thread.pk, thread.version, *page_rules(), *parts]
    return "discussion:" + ":".join(str(field) for field in fields)


def tree_keys(versions, audience, sort, starter_pk):
    """The cache key of each tree's fragment at its version ({tree_id: version} gives {tree_id:
    key}), for an audience and a sort order.

    With the discussion's starter, whose posts wear a badge: when the opening post's author is
    gone (deleted by them, their account deleted, split off), every tree renders again."""
    # The fields all the trees share are joined once: reading a setting costs more than the rest
    # of a key, and a page has fifty.
    shared = ":".join(
        str(field) for field in [conf.settings.MAX_DEPTH, audience, sort, starter_pk]
    )
    return {
        tree_id: f"tree:{CODE_VERSION}:{tree_id}:{version}:{shared}"
        for tree_id, version in versions.items()
    }


def cached(key, render):
    """The value under key, rendered (by one process at a time) and stored on a miss."""
    value = read(key)
    if value is not None:
        stats["hits"] += 1
        return value
    lock = f"{key}:rendering"
    if not _add(lock):
        # Another process is rendering this very fragment: wait for it rather than pile on.
        for _step in range(WAIT_STEPS):
            time.sleep(WAIT_STEP_SECONDS)
            value = read(key)
            if value is not None:
                stats["hits"] += 1
                return value
    stats["misses"] += 1
    value = render()
    store(key, value)
    _delete(lock)
    return value


def bump_versions(sender, change, **kwargs):
    """A receiver of events.writing: the threads' pages change with the write's commit."""
    # Random rather than counted: a database rebuilt under the same cache (thread 1, version 2
    # again, with other posts) must not find the old database's fragments.
    version = secrets.randbits(62)
    if change.threads:
        Thread.objects.filter(pk__in=change.threads).update(version=version)
    # Rows only for what was ever written: a tree or an account without one is at version 0.
    _set_versions(TreeVersion, "tree_id", change.trees, version)
    # A ban, or joining or leaving the moderators: what the accounts' own pages show. An
    # account being deleted has no pages left to change.
    if change.write != Write.ACCOUNT_DELETED:
        _set_versions(ReaderVersion, "user_id", change.users, version)


def _set_versions(model, key, pks, version):
    """Give each of these pks' rows of model this version, adding the rows missing."""
    if pks:
        model.objects.bulk_create(
            [model(**{key: pk, "version": version}) for pk in pks],
            update_conflicts=True,
            unique_fields=[model._meta.pk.name],
            update_fields=["version"],
        )


def read_many(keys):
    """{key: value} of the keys the cache holds; nothing if it fails."""
    try:
        return cache.get_many(keys)
    except CACHE_FAILURES as error:
        log_cache_failure(error, "the trees are rendered without it")
        return {}


def store_many(values):
    """Keep each value under its key for a day; a failing cache only logs."""
    if not values:
        return
    try:
        cache.set_many(values, FRAGMENT_SECONDS)
    except CACHE_FAILURES as error:
        log_cache_failure(error, "the rendered trees are not kept")


def read(key):
    """The value under key, or None if there is none or the cache fails."""
    try:
        return cache.get(key)
    except CACHE_FAILURES as error:
        log_cache_failure(error, "the page is rendered without it")
        return None


def _add(key):
    try:
        return cache.add(key, 1, RENDER_LOCK_SECONDS)
    except CACHE_FAILURES as error:
        log_cache_failure(error, "the page is rendered without waiting for another render")
        return True


def store(key, value, timeout=FRAGMENT_SECONDS):
    """Keep value under key for a day, or timeout seconds; a failing cache only logs."""
    try:
        cache.set(key, value, timeout)
    except CACHE_FAILURES as error:
        log_cache_failure(error, "the rendered page is not kept")


def _delete(key):
    try:
        cache.delete(key)
    except CACHE_FAILURES as error:
        log_cache_failure(error, "a render lock is left to expire")
