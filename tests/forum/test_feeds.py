"""A discussion's newest posts as an Atom feed: what an anonymous reader may read, kept fresh."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forum.models import Post, Thread
from forum.slugs import slug_for
from tests.atom import read_feed
from tests.factories import (
    make_article,
    make_moderator,
    make_post,
    make_posts_in_bulk,
    make_thread,
    make_user,
    set_status,
)
from tests.forum.posting_pages import fields_of, form_at, open_page
from tests.markup import Page

pytestmark = pytest.mark.django_db
SITE = settings.PARLEY_SITE_URL
Status = Post.Status


def feed_url(thread):
    return reverse("forum:thread-feed", kwargs={"slug": thread.slug})


@pytest.fixture
def thread():
    return make_thread("Orbital stations")


def test_the_feed_lists_the_discussions_published_posts_newest_first(client, thread):
    make_post(thread, author_name="Ann", body="First.")
    make_post(thread, author_name="Bob", body="Second.")

    feed = read_feed(client.get(feed_url(thread)))

    assert feed.title == "Orbital stations · Parley"
    assert feed.titles == ["Bob in Orbital stations", "Ann in Orbital stations"]


def test_posts_an_anonymous_reader_may_not_read_are_left_out(client, thread):
    shown = make_post(thread, body="Shown.")
    for status in (Status.PENDING, Status.REMOVED, Status.SPAM, Status.DELETED):
        set_status(make_post(thread, body=f"A {status} post."), status)

    feed = read_feed(client.get(feed_url(thread)))

    assert [entry.link for entry in feed.entries] == [SITE + shown.get_absolute_url()]


def test_a_discussion_of_an_unpublished_article_has_no_feed(client):
    article = make_article(published_at=timezone.now() + timedelta(days=1))
    thread = make_thread(article=article)
    make_post(thread, body="Too early.")

    assert client.get(feed_url(thread)).status_code == 404


def test_an_entry_carries_the_posts_sanitised_html_and_its_authors_profile(client, thread):
    author = make_user("tereshkova")
    make_post(thread, author=author, body="**Bold** <script>alert(1)</script>")

    [entry] = read_feed(client.get(feed_url(thread))).entries

    assert "<strong>Bold</strong>" in entry.summary
    assert "<script" not in entry.summary
    assert entry.author == "tereshkova"
    assert entry.author_link == SITE + "/accounts/tereshkova/"


@override_settings(ALLOWED_HOSTS=["evil.example"])
def test_every_link_starts_at_the_site_url_whatever_host_the_request_names(client, thread):
    make_post(thread, author=make_user("ann"), body="Hello.")

    response = client.get(feed_url(thread), HTTP_HOST="evil.example")

    feed = read_feed(response)
    assert feed.links == {
        "alternate": SITE + thread.get_absolute_url(),
        "self": SITE + feed_url(thread),
    }
    assert b"evil.example" not in response.content


def test_a_discussion_titled_in_another_script_has_its_feed_at_its_own_address(client):
    thread = make_thread("東京の夜と星", slug=slug_for("東京の夜と星"))
    make_post(thread, author_name="Ann", body="こんばんは。")

    feed = read_feed(client.get(feed_url(thread)))

    tokyo = "%E6%9D%B1%E4%BA%AC%E3%81%AE%E5%A4%9C%E3%81%A8%E6%98%9F"  # the slug, percent-encoded
    assert feed.titles == ["Ann in 東京の夜と星"]
    assert feed.links == {
        "alternate": f"{SITE}/forum/{tokyo}/",
        "self": f"{SITE}/forum/{tokyo}/feed/",
    }


def test_a_new_post_appears_and_a_removed_post_disappears(client, thread):
    make_post(thread, body="Already there.")
    read_feed(client.get(feed_url(thread)))  # read once, so a kept copy could be served
    writer = Client()
    writer.force_login(make_user())
    page = open_page(writer, thread.get_absolute_url())
    action = reverse("forum:thread-reply", kwargs={"slug": thread.slug})
    writer.post(action, {**fields_of(page, form_at(page, action)), "body": "Just written."})
    new = Post.objects.get(body="Just written.")

    assert read_feed(client.get(feed_url(thread))).entries[0].link == SITE + new.get_absolute_url()

    moderator = Client()
    moderator.force_login(make_moderator())
    moderator.post(reverse("moderation:post-remove", args=[new.pk]), {"reason": "Spam."})

    links = [entry.link for entry in read_feed(client.get(feed_url(thread))).entries]
    assert SITE + new.get_absolute_url() not in links
    assert len(links) == 1


def test_the_feed_reads_2000_posts_in_as_many_queries_as_20(client):
    small, big = make_thread(), make_thread()
    members = [make_user(), None]
    make_posts_in_bulk(small, 20, authors=members)
    make_posts_in_bulk(big, 2000, authors=members)

    with CaptureQueriesContext(connection) as few:
        read_feed(client.get(feed_url(small)))
    with CaptureQueriesContext(connection) as many:
        feed = read_feed(client.get(feed_url(big)))

    assert len(feed.entries) == 30
    assert len(many) == len(few)


@pytest.mark.parametrize("page", ["thread", "article", "post"])
def test_the_discussions_pages_link_its_feed(client, page):
    thread = make_thread(article=make_article())
    post = make_post(thread, body="Hello.")
    url = {
        "thread": thread.get_forum_url(),
        "article": thread.article.get_absolute_url(),
        "post": post.get_absolute_url(),
    }[page]

    html = Page(client.get(url).content.decode())

    [link] = [a for a in html.find_all("link") if a.attrs.get("rel") == "alternate"]
    assert link.attrs["type"] == "application/atom+xml"
    assert link.attrs["href"] == feed_url(thread)


def test_the_seed_discussions_feed_carries_every_comment_as_its_page_shows_it(client):
    call_command("loaddata", "seed", verbosity=0)
    thread = Thread.objects.get(article__isnull=False)
    comments = thread.posts.published().order_by("-created_at", "-pk")

    feed = read_feed(client.get(feed_url(thread)))

    assert len(feed.entries) == comments.count() == 14
    assert [(entry.link, entry.author, entry.summary) for entry in feed.entries] == [
        (SITE + post.get_absolute_url(), post.author_name, post.body_html) for post in comments
    ]
