"""The latest articles as an Atom feed, linked from the home page."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.atom import read_feed
from tests.factories import make_article
from tests.markup import Page

pytestmark = pytest.mark.django_db
SITE = settings.PARLEY_SITE_URL


def test_the_feed_lists_published_articles_newest_first(client):
    now = timezone.now()
    make_article("Older", published_at=now - timedelta(days=2))
    make_article("Newer", published_at=now - timedelta(days=1))
    make_article("Not yet", published_at=now + timedelta(days=1))

    feed = read_feed(client.get("/feed/"))

    assert feed.titles == ["Newer", "Older"]


def test_an_entry_links_to_its_article_and_carries_its_text_escaped(client):
    article = make_article("On orbit", body="Russia & China <agree>.\n\nMore.", byline="A. Writer")

    [entry] = read_feed(client.get("/feed/")).entries

    assert entry.link == SITE + article.get_absolute_url()
    assert entry.summary == "<p>Russia &amp; China &lt;agree&gt;.</p>\n<p>More.</p>"
    assert entry.author == "A. Writer"


@override_settings(ALLOWED_HOSTS=["evil.example"])
def test_every_link_starts_at_the_site_url_whatever_host_the_request_names(client):
    make_article("On orbit")

    response = client.get("/feed/", HTTP_HOST="evil.example")

    feed = read_feed(response)
    assert feed.links == {"alternate": SITE + "/", "self": SITE + "/feed/"}
    assert all(entry.link.startswith(SITE + "/") for entry in feed.entries)
    assert b"evil.example" not in response.content


def test_the_feed_reads_30_articles_in_as_many_queries_as_one(client):
    make_article("One")
    with CaptureQueriesContext(connection) as one:
        client.get("/feed/")
    for n in range(40):
        make_article(f"Article {n}")
    with CaptureQueriesContext(connection) as many:
        feed = read_feed(client.get("/feed/"))

    assert len(feed.entries) == 30
    assert len(many) == len(one)


def test_the_home_page_links_its_feed(client):
    page = Page(client.get("/").content.decode())

    [link] = [a for a in page.find_all("link") if a.attrs.get("rel") == "alternate"]
    assert link.attrs["type"] == "application/atom+xml"
    assert link.attrs["href"] == "/feed/"
