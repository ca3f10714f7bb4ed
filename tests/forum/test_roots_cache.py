"""A write inside one tree of a big discussion never makes the next read re-read every top-level
post; the writes that change which top-level posts show, or their order, do show at once."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum import moderation, services, votes
from forum.models import Post, Vote
from tests.factories import make_article, make_moderator, make_post, make_thread, make_user
from tests.markup import Page

pytestmark = pytest.mark.django_db

ROOTS = 120  # more than two pages of top-level posts
START = timezone.now() - timedelta(days=1)
Status = Post.Status


@pytest.fixture
def discussion():
    thread = make_thread("A busy discussion", article=make_article("A busy story"))
    roots = [
        make_post(thread, author_name=f"Reader {n}", created_at=START + timedelta(minutes=n))
        for n in range(ROOTS)
    ]
    reply = make_post(thread, parent=roots[0], author_name="Replier")
    return thread, roots, reply


def reads_every_root(sql):
    """Whether a query reads the thread's top-level posts across all its trees."""
    where = sql.partition(" WHERE ")[2]
    return '"level" = 0' in where and '"tree_id"' not in where


def read(client, url):
    """The page's HTML and the SQL its read ran."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in captured.captured_queries]


def shown_ids(html):
    return [element.attrs["id"] for element in Page(html).find_all("article", "post")]


def readers():
    member, mod = Client(), Client()
    member.force_login(make_user())
    mod.force_login(make_moderator())
    return {"anonymous": Client(), "member": member, "moderator": mod}


@pytest.mark.parametrize("reader", ["anonymous", "member", "moderator"])
def test_after_a_vote_on_a_reply_the_next_read_reads_no_top_level_posts(discussion, reader):
    thread, _, reply = discussion
    client = readers()[reader]
    url = thread.get_absolute_url()
    _, first_read = read(client, url)
    assert any(reads_every_root(sql) for sql in first_read)  # the list was computed once

    votes.cast_vote(post=reply, voter=make_user(), value=Vote.Value.UP)
    html, sql = read(client, url)

    assert not [query for query in sql if reads_every_root(query)]
    assert f"post-{reply.pk}" in shown_ids(html)
    assert Post.objects.get(pk=reply.pk).upvotes == 1


def test_after_a_reply_in_a_tree_the_next_read_reads_no_top_level_posts(discussion):
    thread, roots, _ = discussion
    client = Client()
    url = thread.get_absolute_url()
    read(client, url)

    answer = services.post_reply(
        thread=thread, parent=roots[3], author=make_user(), body="A late answer."
    )
    html, sql = read(client, url)

    assert not [query for query in sql if reads_every_root(query)]
    assert f"post-{answer.pk}" in shown_ids(html)


def test_a_new_top_level_post_shows_on_the_last_page_at_once(discussion):
    thread = discussion[0]
    client = Client()
    last_page = f"{thread.get_absolute_url()}?page=3"
    read(client, last_page)

    newest = services.post_reply(thread=thread, parent=None, author=make_user(), body="Me too.")
    html, _ = read(client, last_page)

    assert shown_ids(html)[-1] == f"post-{newest.pk}"


def test_a_vote_on_a_top_level_post_reorders_the_best_page_at_once(discussion):
    thread, roots, _ = discussion
    client = Client()
    best = f"{thread.get_absolute_url()}?sort=best"
    oldest = thread.get_absolute_url()
    read(client, best)
    read(client, oldest)

    votes.cast_vote(post=roots[100], voter=make_user(), value=Vote.Value.UP)
    best_html, _ = read(client, best)
    oldest_html, oldest_sql = read(client, oldest)

    assert shown_ids(best_html)[0] == f"post-{roots[100].pk}"
    # Votes order only the best page: the oldest-first list is still the one kept.
    assert not [query for query in oldest_sql if reads_every_root(query)]
    assert shown_ids(oldest_html)[0] == f"post-{roots[0].pk}"


def test_a_removed_top_level_post_leaves_the_page_with_its_last_visible_reply(discussion):
    thread, roots, reply = discussion
    mod = make_moderator()
    moderation.remove_post(post=roots[0], moderator=mod, reason="Off topic.")
    client = Client()
    html, _ = read(client, thread.get_absolute_url())
    assert shown_ids(html)[:2] == [f"post-{roots[0].pk}", f"post-{reply.pk}"]  # a placeholder

    # A write deep in the tree of a hidden top-level post may change whether it shows.
    moderation.remove_post(post=reply, moderator=mod, reason="Off topic too.")
    html, _ = read(client, thread.get_absolute_url())

    assert shown_ids(html)[0] == f"post-{roots[1].pk}"
    assert Post.objects.get(pk=reply.pk).status == Status.REMOVED


def test_a_top_level_post_moved_under_another_leaves_the_list_of_top_level_posts(discussion):
    thread, roots, _ = discussion
    client = Client()
    html, _ = read(client, thread.get_absolute_url())
    assert f"post-{roots[50].pk}" not in shown_ids(html)  # on page 2

    moderation.move_post(post=roots[5], new_parent=roots[1], moderator=make_moderator(), reason="")
    html, _ = read(client, thread.get_absolute_url())

    # One top-level post fewer before it: the first of page 2 moves up to page 1.
    assert f"post-{roots[50].pk}" in shown_ids(html)
    assert Post.objects.get(pk=roots[5].pk).parent_id == roots[1].pk
