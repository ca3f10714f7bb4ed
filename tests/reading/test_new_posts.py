"""New since your last visit: a logged-in reader's discussion pages mark what arrived since."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from forum import moderation
from forum.models import Post
from reading.models import ThreadReading
from tests.factories import (
    make_article,
    make_moderator,
    make_post,
    make_thread,
    make_user,
    set_status,
)
from tests.markup import Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    user = make_user("reader")
    client.force_login(user)
    return user


@pytest.fixture
def thread():
    thread = make_thread("Orbital stations")
    make_post(thread, body="An old post.")
    return thread


def new_posts(response):
    """The pks of the posts the page marks new, and the text of its summary line."""
    page = Page(response.content.decode())
    marked = [
        int(marker.parent.attrs["id"].removeprefix("post-"))
        for marker in page.find_all("p", "post-new")
    ]
    summary = page.find_all("p", "new-posts")
    return marked, (" ".join(page.text(summary[0]).split()) if summary else "")


def jump_link(response):
    page = Page(response.content.decode())
    [summary] = page.find_all("p", "new-posts")
    return next(a for a in page.find_all("a") if summary in a.ancestors()).attrs["href"]


def reading_of(user, thread):
    return ThreadReading.objects.get(user=user, thread=thread)


def test_a_first_visit_marks_nothing_new_and_stores_the_thread_as_read(client, reader, thread):
    response = client.get(thread.get_absolute_url())

    assert new_posts(response) == ([], "")
    thread.refresh_from_db()
    assert reading_of(reader, thread).read_until == thread.last_activity_at


def test_posts_by_others_since_the_last_visit_are_marked_new(client, reader, thread):
    client.get(thread.get_absolute_url())
    first = make_post(thread, body="A new answer.")
    second = make_post(thread, parent=first, author=make_user(), body="A reply to it.")

    response = client.get(thread.get_absolute_url())

    assert new_posts(response) == (
        [first.pk, second.pk],
        "2 new since your last visit: jump to the first",
    )
    assert jump_link(response) == f"#post-{first.pk}"
    assert reading_of(reader, thread).read_until == second.created_at


def test_what_was_read_is_not_new_on_the_next_visit(client, reader, thread):
    client.get(thread.get_absolute_url())
    make_post(thread, body="A new answer.")
    client.get(thread.get_absolute_url())

    response = client.get(thread.get_absolute_url())

    assert new_posts(response) == ([], "")


def test_the_readers_own_posts_are_never_new_to_them(client, reader, thread):
    client.get(thread.get_absolute_url())
    make_post(thread, author=reader, body="My own answer.")
    theirs = make_post(thread, body="Someone else's.")

    response = client.get(thread.get_absolute_url())

    assert new_posts(response) == ([theirs.pk], "1 new since your last visit: jump to the first")


def test_posts_the_reader_may_not_see_are_not_counted_new(client, reader, thread):
    client.get(thread.get_absolute_url())
    set_status(make_post(thread, author=make_user(), body="Held."), Post.Status.PENDING)
    moderation.remove_post(
        post=make_post(thread, body="Gone."), moderator=make_moderator(), reason="Off topic."
    )
    shown = make_post(thread, body="Shown.")

    response = client.get(thread.get_absolute_url())

    assert new_posts(response) == ([shown.pk], "1 new since your last visit: jump to the first")


@override_settings(PARLEY_TOP_LEVEL_PER_PAGE=2)
def test_the_jump_leads_to_the_first_new_post_on_another_page_and_it_stays_new(
    client, reader, thread
):
    make_post(thread, body="Second old post.")
    client.get(thread.get_absolute_url())
    on_page_two = make_post(thread, body="Third top-level post, on page two.")
    on_page_one = make_post(thread, parent=thread.posts.earliest("created_at"), body="A reply.")

    response = client.get(thread.get_absolute_url())

    assert new_posts(response) == (
        [on_page_one.pk],
        "2 new since your last visit: jump to the first",
    )
    assert jump_link(response) == f"/forum/post/{on_page_two.pk}/#post-{on_page_two.pk}"
    # The unseen post held the mark back: it is still new where the link leads.
    permalink = client.get(jump_link(response))
    assert new_posts(permalink) == (
        [on_page_two.pk],
        "2 new since your last visit: jump to the first",
    )
    assert reading_of(reader, thread).read_until == on_page_two.created_at


@override_settings(PARLEY_TOP_LEVEL_PER_PAGE=1)
def test_the_jump_keeps_the_sort_the_reader_chose(client, reader, thread):
    client.get(thread.get_absolute_url())
    first = make_post(thread, body="New.")
    make_post(thread, body="Newer.")

    response = client.get(thread.get_absolute_url() + "?sort=newest")

    assert jump_link(response) == f"/forum/post/{first.pk}/?sort=newest#post-{first.pk}"


def test_a_reply_under_a_held_post_does_not_hold_the_mark_back(client, reader, thread):
    client.get(thread.get_absolute_url())
    held = make_post(thread, body="Soon held.")
    make_post(thread, parent=held, body="A reply nobody sees while its parent is held.")
    set_status(held, Post.Status.PENDING)
    later = make_post(thread, body="Later.")

    response = client.get(thread.get_absolute_url())

    assert new_posts(response) == ([later.pk], "1 new since your last visit: jump to the first")
    assert reading_of(reader, thread).read_until == later.created_at


def test_an_article_page_marks_its_discussions_new_posts(client, reader):
    article = make_article("On orbit")
    thread = make_thread(article=article)
    make_post(thread, body="Old.")
    client.get(article.get_absolute_url())
    new = make_post(thread, body="New.")

    response = client.get(article.get_absolute_url())

    assert new_posts(response) == ([new.pk], "1 new since your last visit: jump to the first")


def test_a_permalink_page_marks_new_posts_and_reads_them(client, reader, thread):
    client.get(thread.get_absolute_url())
    root = make_post(thread, body="New root.")
    reply = make_post(thread, parent=root, body="New reply.")

    response = client.get(root.get_absolute_url())

    assert new_posts(response) == (
        [root.pk, reply.pk],
        "2 new since your last visit: jump to the first",
    )
    assert reading_of(reader, thread).read_until == reply.created_at


def test_anonymous_readers_see_no_markers_and_keep_the_shared_page(
    client, reader, thread, django_assert_num_queries
):
    client.get(thread.get_absolute_url())
    make_post(thread, body="New to the reader.")
    assert new_posts(client.get(thread.get_absolute_url()))[1]  # the reader's page marks it
    client.logout()

    first = client.get(thread.get_absolute_url())
    with django_assert_num_queries(1):  # the thread, for its version: the page is kept whole
        second = client.get(thread.get_absolute_url())

    assert new_posts(first) == ([], "")
    assert second.content == first.content
    assert "public" in second["Cache-Control"]


def test_reading_a_page_with_nothing_new_writes_nothing(client, reader, thread):
    client.get(thread.get_absolute_url())
    make_post(thread, body="New.")
    client.get(thread.get_absolute_url())
    before = reading_of(reader, thread).read_until

    with CaptureQueriesContext(connection) as queries:
        client.get(thread.get_absolute_url())

    writes = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE"))]
    assert not any("reading_threadreading" in sql for sql in writes)
    assert reading_of(reader, thread).read_until == before


def test_a_post_held_since_a_moderators_last_visit_is_new_to_them(client, thread):
    client.force_login(make_moderator("mod"))
    client.get(thread.get_absolute_url())
    held = make_post(thread, author=make_user(), body="Held.", status=Post.Status.PENDING)

    response = client.get(thread.get_absolute_url())

    assert new_posts(response) == ([held.pk], "1 new since your last visit: jump to the first")
    assert new_posts(client.get(thread.get_absolute_url())) == ([], "")
