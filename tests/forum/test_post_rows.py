"""The discussion's reads written in SQL give what the ORM's would."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Case, F, When

from forum import discussions, shown_posts
from forum.models import Post, TreeVersion
from forum.post_rows import outline_rows, tree_rows, tree_versions
from tests.factories import make_post, make_thread


@pytest.fixture
def thread():
    thread = make_thread()
    first = make_post(thread)
    reply = make_post(thread, parent=first)
    make_post(thread, parent=reply)
    make_post(thread)
    # Written out of order, edited, and a microsecond from midnight: the dates must survive.
    Post.objects.filter(pk=first.pk).update(
        created_at=datetime(2024, 3, 31, 23, 59, 59, 999999, tzinfo=UTC),
        edited_at=datetime(2024, 4, 1, 0, 0, 1, tzinfo=UTC),
    )
    return thread


@pytest.mark.django_db
def test_outlines_are_the_orms_rows_in_the_order_the_posts_were_written(thread):
    columns = discussions.OUTLINE_COLUMNS
    posts = Post.objects.order_by("created_at", "pk").values_list(*columns)
    tree_ids = sorted({row[2] for row in posts.filter(thread=thread)})

    assert outline_rows(columns, thread_id=thread.pk) == list(posts.filter(thread=thread))
    assert outline_rows(columns, tree_ids=tree_ids[:1]) == list(
        posts.filter(tree_id__in=tree_ids[:1])
    )
    assert outline_rows(columns, thread_id=thread.pk, roots_only=True) == list(
        posts.filter(thread=thread, level=0)
    )
    assert outline_rows(columns, tree_ids=[]) == []


@pytest.mark.django_db
def test_trees_are_the_orms_rows_in_tree_order_with_the_same_aware_dates(thread):
    columns = shown_posts.POST_ROW_COLUMNS
    tree_ids = sorted(set(thread.posts.values_list("tree_id", flat=True)))
    expected = Post.objects.filter(tree_id__in=tree_ids).order_by("tree_id", "lft")

    rows = tree_rows(columns, tree_ids, bodies_to_level=1)

    assert [tuple(row) for row in rows] == list(
        expected.annotate(shown_body=Case(When(level__lte=1, then=F("body_html")))).values_list(
            *[name if name != "body_html" else "shown_body" for name in columns]
        )
    )
    dates = [row[columns.index("created_at")] for row in rows]
    assert all(date.utcoffset() is not None for date in dates)
    assert datetime(2024, 3, 31, 23, 59, 59, 999999, tzinfo=UTC) in dates
    assert datetime(2024, 4, 1, 0, 0, 1, tzinfo=UTC) in [
        row[columns.index("edited_at")] for row in rows
    ]


@pytest.mark.django_db
def test_trees_below_the_level_come_without_their_bodies(thread):
    columns = shown_posts.POST_ROW_COLUMNS
    tree_ids = set(thread.posts.values_list("tree_id", flat=True))

    rows = tree_rows(columns, tree_ids, bodies_to_level=1)

    bodies = {row[columns.index("level")]: row[columns.index("body_html")] for row in rows}
    assert bodies[2] is None
    assert bodies[0] and bodies[1]
    assert tree_rows(columns, [], bodies_to_level=1) == []


@pytest.mark.django_db
def test_tree_versions_are_read_for_the_trees_that_have_one(thread):
    first, second = sorted(set(thread.posts.values_list("tree_id", flat=True)))
    TreeVersion.objects.filter(tree_id__in=[first, second]).delete()
    TreeVersion.objects.create(tree_id=first, version=2**62)

    assert tree_versions([first, second]) == {first: 2**62}
    assert tree_versions([]) == {}


@pytest.mark.django_db
def test_dates_kept_in_another_zone_by_sqlite_are_read_as_the_orm_reads_them(monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite keeps dates in the database's zone (DATABASES TIME_ZONE)")
    # As if DATABASES named the zone: the ORM writes and reads dates in it from here on.
    monkeypatch.setattr(connection, "timezone", ZoneInfo("America/New_York"))
    thread = make_thread()
    post = make_post(thread)
    # A summer date and a winter one: the zone's offset differs between them.
    Post.objects.filter(pk=post.pk).update(
        created_at=datetime(2024, 7, 1, 12, 30, tzinfo=UTC),
        edited_at=datetime(2024, 12, 1, 8, 0, 0, 5, tzinfo=UTC),
    )
    columns = shown_posts.POST_ROW_COLUMNS

    (row,) = tree_rows(columns, [post.tree_id], bodies_to_level=0)

    created, edited = row[columns.index("created_at")], row[columns.index("edited_at")]
    assert (created, edited) == (
        datetime(2024, 7, 1, 12, 30, tzinfo=UTC),
        datetime(2024, 12, 1, 8, 0, 0, 5, tzinfo=UTC),
    )
    assert (created.utcoffset(), edited.utcoffset()) == (timedelta(hours=-4), timedelta(hours=-5))
