"""Marking what is new costs a logged-in reader the same queries at any size of discussion."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from reading.models import ThreadReading
from tests.factories import make_article, make_post, make_posts_in_bulk, make_thread, make_user
from tests.markup import Page

pytestmark = pytest.mark.django_db

SMALL, BIG = 20, 2000


def read_since(client, size):
    """A discussion of size posts, read once, then answered with a new top-level post (on
    another page than the first) and a new reply on the first page; its first page read again."""
    thread = make_thread(article=make_article())
    posts = make_posts_in_bulk(thread, size, authors=[make_user(), None])
    client.get(thread.get_absolute_url())
    make_post(thread, body="A new top-level post.")
    make_post(thread, parent=posts[0], body="A new reply.")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(thread.get_absolute_url())
    page = Page(response.content.decode())
    return len(queries), len(page.find_all("p", "post-new")), len(page.find_all("article", "post"))


@override_settings(PARLEY_TOP_LEVEL_PER_PAGE=1)
def test_marking_new_posts_in_2000_costs_as_many_queries_as_in_20(client):
    reader = make_user()
    client.force_login(reader)

    small_queries, small_marked, small_shown = read_since(client, SMALL)
    big_queries, big_marked, big_shown = read_since(client, BIG)

    assert small_marked == big_marked == 1  # the reply; the new top-level post is on a later page
    assert small_shown < big_shown
    assert big_queries == small_queries
    assert ThreadReading.objects.filter(user=reader).count() == 2


def test_the_forum_list_marks_twelve_threads_in_as_many_queries_as_two(client):
    client.force_login(make_user())
    threads = [make_thread(f"Thread {n}") for n in range(12)]
    for thread in threads[:2]:
        make_post(thread)
        client.get(thread.get_absolute_url())
        make_post(thread)
    with CaptureQueriesContext(connection) as few:
        client.get("/forum/")
    for thread in threads[2:]:
        make_post(thread)
        client.get(thread.get_absolute_url())
        make_post(thread)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/forum/")

    assert response.content.decode().count("badge-new") == 12
    assert len(many) == len(few)


def test_a_page_with_nothing_new_since_the_last_visit_reads_no_posts_for_the_marks(client):
    thread = make_thread(article=make_article())
    make_posts_in_bulk(thread, 5, authors=[make_user()])
    client.force_login(make_user())
    client.get(thread.get_absolute_url())  # the first visit marks everything read
    client.get(thread.get_absolute_url())  # fragments kept: the next read renders nothing

    with CaptureQueriesContext(connection) as queries:
        response = client.get(thread.get_absolute_url())

    assert "new since your last visit" not in response.content.decode()
    new_post_reads = [q["sql"] for q in queries if "OVER ()" in q["sql"]]
    assert new_post_reads == []
