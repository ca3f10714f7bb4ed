"""Fixtures built through the loader, in a throwaway database so they come out byte for byte."""

from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, ConnectionHandler, connections

from articles.models import Article
from forum.models import Post, Thread

from .loader import load

SCRATCH_DATABASE = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}


def build_fixture(records, *, source):
    """Load records into an empty database and return its articles, threads and posts as JSON.

    Primary keys and tree ids then start at 1 whatever the real database holds, so the same
    records always give the same text.
    """
    with scratch_database():
        summary = load(records, source=source)
        if summary.skipped:
            reasons = "; ".join(f"{s.external_id}: {s.reason}" for s in summary.skipped)
            raise ValueError(f"the fixture would leave posts out: {reasons}")
        # The page cache's versions are random: a fixture's threads start at the unwritten 0.
        Thread.objects.update(version=0, roots_version=0, roots_score_version=0)
        objects = [
            *Article.objects.order_by("pk"),
            *Thread.objects.order_by("pk"),
            *Post.objects.order_by("pk"),
        ]
        text = serializers.serialize("json", objects, indent=2, sort_keys=True)
    return text + "\n"


@contextmanager
def scratch_database():
    """Point the default connection at a fresh, migrated in-memory SQLite database meanwhile."""
    original = connections[DEFAULT_DB_ALIAS]
    scratch = ConnectionHandler({DEFAULT_DB_ALIAS: SCRATCH_DATABASE})[DEFAULT_DB_ALIAS]
    connections[DEFAULT_DB_ALIAS] = scratch
    try:
        call_command("migrate", verbosity=0, interactive=False)
        yield
    finally:
        scratch.close()
        connections[DEFAULT_DB_ALIAS] = original
        # Migrating filled the content-type cache with the scratch database's rows.
        ContentType.objects.clear_cache()
