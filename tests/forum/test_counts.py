"""A thread's post count and last activity stay what a full recount gives after every kind of
write, though no write recounts them; manage.py recount_threads finds and mends wrong ones."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum import moderation, services
from forum.models import Post, Thread
from tests.factories import make_moderator, make_post, make_thread, make_user

pytestmark = pytest.mark.django_db

Status = Post.Status
START = timezone.now() - timedelta(days=2)


def recounted(thread):
    """(published posts, last activity) from the posts, as a reader of the table would count."""
    published = Post.objects.filter(thread=thread, status=Status.PUBLISHED)
    dates = sorted(published.values_list("created_at", flat=True))
    return len(dates), dates[-1] if dates else Thread.objects.get(pk=thread.pk).created_at


def kept(thread):
    return tuple(
        Thread.objects.filter(pk=thread.pk).values_list("post_count", "last_activity_at")[0]
    )


@pytest.fixture
def scene():
    """A thread whose newest post is a member's reply, with a held post and a second tree."""
    thread, author, mod = make_thread("Counted"), make_user("author"), make_moderator("mod")
    first = make_post(thread, created_at=START)
    older = make_post(thread, created_at=START + timedelta(hours=1), parent=first)
    second = make_post(thread, created_at=START + timedelta(hours=2))
    newest = services.post_reply(thread=thread, parent=first, author=author, body="Newest.")
    held = make_post(thread, parent=second, status=Status.PENDING)
    return (
        thread,
        author,
        mod,
        {"first": first, "older": older, "second": second, "newest": newest, "held": held},
    )


def split(thread, mod, posts):
    moderation.split_post(post=posts["second"], moderator=mod, reason="", title="Elsewhere")


WRITES = {
    "reply": lambda thread, author, mod, posts: services.post_reply(
        thread=thread, parent=posts["older"], author=make_user(), body="Later."
    ),
    "held reply": lambda thread, author, mod, posts: make_post(
        thread, parent=posts["first"], status=Status.PENDING
    ),
    "deletion of the newest": lambda thread, author, mod, posts: services.delete_post(
        post=posts["newest"], author=author
    ),
    "approval": lambda thread, author, mod, posts: moderation.approve_post(
        post=posts["held"], moderator=mod
    ),
    "removal of the newest": lambda thread, author, mod, posts: moderation.remove_post(
        post=posts["newest"], moderator=mod, reason="Rude."
    ),
    "removal with replies": lambda thread, author, mod, posts: moderation.remove_post(
        post=posts["first"], moderator=mod, reason="Off topic.", subtree=True
    ),
    "spam": lambda thread, author, mod, posts: moderation.mark_spam(
        post=posts["older"], moderator=mod
    ),
    "move": lambda thread, author, mod, posts: moderation.move_post(
        post=posts["newest"], new_parent=posts["second"], moderator=mod, reason=""
    ),
    "split": lambda thread, author, mod, posts: split(thread, mod, posts),
}


@pytest.mark.parametrize("write", WRITES)
def test_counts_stay_right_after_each_write(scene, write):
    thread, author, mod, posts = scene
    assert kept(thread) == recounted(thread)

    WRITES[write](thread, author, mod, posts)

    for each in Thread.objects.all():  # the split's new thread too
        assert kept(each) == recounted(each), each.title


def test_counts_stay_right_when_reports_hide_a_post_and_a_moderator_dismisses_them(
    scene, settings
):
    settings.PARLEY_FLAGS_TO_HIDE = 1
    thread, _, mod, posts = scene
    moderation.flag_post(post=posts["newest"], reporter=make_user(), reason="spam")
    assert Post.objects.get(pk=posts["newest"].pk).status == Status.PENDING
    assert kept(thread) == recounted(thread)

    moderation.dismiss_flags(post=posts["newest"], moderator=mod)

    assert kept(thread) == recounted(thread) == (4, posts["newest"].created_at)


def test_a_last_post_unpublished_leaves_the_thread_at_its_own_creation_time():
    thread, author = make_thread("Alone"), make_user()
    only = services.post_reply(thread=thread, parent=None, author=author, body="Anyone?")
    services.delete_post(post=only, author=author)

    assert kept(thread) == (0, thread.created_at)


def test_a_reply_counts_nothing_over_the_thread(scene):
    thread, _, _, posts = scene
    with CaptureQueriesContext(connection) as captured:
        services.post_reply(thread=thread, parent=posts["older"], author=make_user(), body="Hi.")

    counting = [
        query["sql"]
        for query in captured
        if ("COUNT(" in query["sql"] or "MAX(" in query["sql"]) and "forum_post" in query["sql"]
    ]
    assert counting == []
    assert kept(thread) == recounted(thread)


def test_recount_threads_lists_and_mends_wrong_counts(scene):
    thread = scene[0]
    right = kept(thread)
    Thread.objects.filter(pk=thread.pk).update(post_count=99)
    out = StringIO()

    with pytest.raises(CommandError, match="1 thread with wrong counts"):
        call_command("recount_threads", "--check", stdout=out)
    assert "kept 99 posts" in out.getvalue()
    assert kept(thread)[0] == 99

    call_command("recount_threads", stdout=out)
    assert kept(thread) == right
    call_command("recount_threads", "--check", stdout=out)
    assert "The counts of all 1 threads are right." in out.getvalue()
