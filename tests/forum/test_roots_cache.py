"""A write inside one tree of a big discussion never makes the next read re-read every top-level
post; the writes that change which top-level posts show, or their order, do show at once."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forum import moderation, selectors, services, votes
from forum.discussions import shown_roots, sort_order
from forum.models import Post, Vote
from tests.factories import (
    make_article,
    make_moderator,
    make_post,
    make_thread,
    make_user,
    set_status,
)
from tests.forum.posting_pages import open_page, send
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
    """Whether a query reads every top-level post of a thread: not only some trees' ones, nor
    only those before a post, nor only the unpublished ones."""
    where = sql.partition(" WHERE ")[2].partition(" ORDER BY ")[0]
    narrowed = any(column in where for column in ('"tree_id"', '"created_at"', '"status"'))
    return '"level" = 0' in where and not narrowed


def read(client, url):
    """The page's HTML and the SQL its read ran."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in captured.captured_queries]


def shown_ids(html):
    page = html if isinstance(html, Page) else Page(html)
    return [element.attrs["id"] for element in page.find_all("article", "post")]


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


@pytest.mark.parametrize("reader", ["anonymous", "member", "moderator"])
def test_after_an_author_joins_the_moderators_the_next_read_reads_no_top_level_posts(
    discussion, reader
):
    thread, roots, _ = discussion
    author = make_user("soon-a-moderator")
    answer = services.post_reply(thread=thread, parent=roots[1], author=author, body="Hm.")
    client = readers()[reader]
    read(client, thread.get_absolute_url())

    author.groups.add(Group.objects.get(name="Moderators"))
    html, sql = read(client, thread.get_absolute_url())

    assert not [query for query in sql if reads_every_root(query)]
    badge = Page(html).find_all("span", "badge-role")
    assert [b.nearest("article").attrs["id"] for b in badge] == [f"post-{answer.pk}"]


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


# The page a new reply is found on, without reading every top-level post


def test_a_reply_through_the_view_lands_on_its_page_without_reading_every_top_level_post(
    discussion, client
):
    thread, roots, _ = discussion
    writer = make_user()
    client.force_login(writer)
    action = reverse("forum:post-reply", kwargs={"pk": roots[110].pk})
    form = open_page(client, action)

    with CaptureQueriesContext(connection) as captured:
        response = send(client, form, action, body="Late, but here.")

    reply = Post.objects.get(author=writer)
    assert (reply.parent_id, reply.body) == (roots[110].pk, "Late, but here.")
    assert response.status_code == 302
    assert response["Location"] == f"{thread.get_absolute_url()}?page=3#post-{reply.pk}"
    assert not [query for query in captured if reads_every_root(query["sql"])]
    html, _ = read(client, response["Location"])
    assert f"post-{reply.pk}" in shown_ids(html)


VIEWERS = ["anonymous", "author of held posts", "moderator"]


@pytest.mark.parametrize("sort", ["oldest", "newest"])
@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_counted_page_of_each_post_is_where_the_whole_list_shows_it(settings, viewer, sort):
    settings.PARLEY_TOP_LEVEL_PER_PAGE = 3
    thread, author = make_thread(), make_user()
    roots = [make_post(thread, created_at=START + timedelta(minutes=n)) for n in range(14)]
    make_post(thread, parent=roots[3])  # holds up its removed top-level post
    make_post(thread, parent=roots[7])  # its top-level post is deleted by its author
    for post, status in [(1, Status.REMOVED), (3, Status.REMOVED), (5, Status.SPAM)]:
        set_status(roots[post], status)
    set_status(roots[7], Status.DELETED)
    held = make_post(thread, author=author, created_at=START + timedelta(minutes=9, seconds=1))
    set_status(held, Status.PENDING)
    Post.objects.filter(pk=roots[12].pk).update(created_at=roots[11].created_at)  # a tie
    reader = {"anonymous": AnonymousUser(), "moderator": make_moderator()}.get(viewer, author)

    order = sort_order(sort)
    shown = [root.pk for root in shown_roots(thread.pk, reader, order)]
    for post in Post.objects.filter(thread=thread, level=0):
        if post.pk in shown:
            counted = selectors.page_of_post(post, reader, sort=sort)
            assert counted == shown.index(post.pk) // 3 + 1, (post.pk, shown)


def test_after_a_page_read_a_reply_finds_its_page_in_the_kept_list_counting_nothing(
    discussion, client
):
    thread, roots, _ = discussion
    client.force_login(make_user())
    read(client, thread.get_absolute_url())  # the page keeps the list of top-level posts
    action = reverse("forum:post-reply", kwargs={"pk": roots[60].pk})
    form = open_page(client, action)

    with CaptureQueriesContext(connection) as captured:
        response = send(client, form, action, body="Found without counting.")

    reply = Post.objects.get(body="Found without counting.")
    assert response["Location"] == f"{thread.get_absolute_url()}?page=2#post-{reply.pk}"
    over_the_thread = [
        query["sql"]
        for query in captured
        if '"level" = 0' in query["sql"] and '"thread_id" =' in query["sql"]
    ]
    assert over_the_thread == []


def test_a_new_top_level_post_through_the_view_lands_on_the_last_page_past_the_kept_list(
    discussion, client
):
    thread, _, _ = discussion
    client.force_login(make_user())
    read(client, thread.get_absolute_url())  # a list without the new post is kept
    action = reverse("forum:thread-reply", kwargs={"slug": thread.slug})
    form = open_page(client, action)

    response = send(client, form, action, body="A new top-level post.")

    post = Post.objects.get(body="A new top-level post.")
    assert post.level == 0
    assert response["Location"] == f"{thread.get_absolute_url()}?page=3#post-{post.pk}"
    html, _ = read(client, response["Location"])
    assert shown_ids(html)[-1] == f"post-{post.pk}"
