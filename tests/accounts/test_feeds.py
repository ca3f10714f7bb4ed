"""One member's posts as an Atom feed, linked from their profile."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forum.models import Post
from tests.atom import read_feed
from tests.factories import make_article, make_post, make_thread, make_user, set_status
from tests.markup import Page

pytestmark = pytest.mark.django_db
SITE = settings.PARLEY_SITE_URL


def feed_url(user):
    return reverse("accounts:feed", kwargs={"username": user.username})


def test_the_feed_lists_the_members_readable_posts_newest_first(client):
    author, other = make_user("tereshkova"), make_user("gagarin")
    early = make_thread("Early flights")
    stations = make_thread("Stations")
    make_post(early, author=author, body="First.")
    make_post(stations, author=author, body="Second.")
    make_post(stations, author=other, body="Not hers.")

    feed = read_feed(client.get(feed_url(author)))

    assert feed.title == "Comments by tereshkova · Parley"
    assert feed.titles == ["tereshkova in Stations", "tereshkova in Early flights"]
    assert feed.links["alternate"] == SITE + "/accounts/tereshkova/"


def test_held_removed_and_unpublished_posts_are_left_out(client):
    author = make_user("tereshkova")
    thread = make_thread("Stations")
    shown = make_post(thread, author=author, body="Shown.")
    for status in (
        Post.Status.PENDING,
        Post.Status.REMOVED,
        Post.Status.SPAM,
        Post.Status.DELETED,
    ):
        set_status(make_post(thread, author=author, body=f"A {status} post."), status)
    hidden = make_thread(article=make_article(published_at=timezone.now() + timedelta(days=1)))
    make_post(hidden, author=author, body="In a discussion not yet published.")

    feed = read_feed(client.get(feed_url(author)))

    assert [entry.link for entry in feed.entries] == [SITE + shown.get_absolute_url()]


def test_an_unknown_member_has_no_feed(client):
    assert client.get("/accounts/nobody/feed/").status_code == 404


def test_the_feed_reads_posts_from_many_discussions_in_as_many_queries_as_one(client):
    author = make_user()
    make_post(make_thread(), author=author)
    with CaptureQueriesContext(connection) as one:
        read_feed(client.get(feed_url(author)))
    for n in range(20):
        make_post(make_thread(f"Thread {n}"), author=author)
    with CaptureQueriesContext(connection) as many:
        feed = read_feed(client.get(feed_url(author)))

    assert len(feed.entries) == 21
    assert len(many) == len(one)


def test_the_profile_links_the_members_feed(client):
    author = make_user("tereshkova")

    page = Page(client.get("/accounts/tereshkova/").content.decode())

    [link] = [a for a in page.find_all("link") if a.attrs.get("rel") == "alternate"]
    assert link.attrs["type"] == "application/atom+xml"
    assert link.attrs["href"] == feed_url(author)
