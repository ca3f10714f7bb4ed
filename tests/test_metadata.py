"""What search engines and link previews read: descriptions, canonical URLs, share tags,
sitemap.xml, robots.txt and the favicon."""

import re
from xml.etree import ElementTree

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import make_article, make_post, make_thread, make_user

pytestmark = pytest.mark.django_db

SITE = "https://news.example"


def head_meta(html, attribute, name):
    """The content of the <meta> whose attribute (name or property) is name, or None."""
    found = re.findall(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    assert len(found) <= 1, found
    return found[0] if found else None


@pytest.fixture
def pages():
    """One page of each kind a reader or a search engine can reach."""
    article = make_article("Station talks", body="Russia and China talk.\n\nMore text.")
    thread = make_thread("Orbital stations")
    post = make_post(thread, author=make_user("kirk"), body="Which one?")
    make_thread(article=article)
    return {
        "home": reverse("articles:home"),
        "article": article.get_absolute_url(),
        "forum": reverse("forum:thread-list"),
        "thread": thread.get_absolute_url(),
        "permalink": post.get_absolute_url(),
        "profile": reverse("accounts:profile", kwargs={"username": "kirk"}),
        "login": reverse("login"),
        "signup": reverse("accounts:signup"),
    }


def test_every_page_kind_has_a_description_of_its_own(client, pages):
    descriptions = {}
    for kind, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, kind
        descriptions[kind] = head_meta(response.content.decode(), "name", "description")
    assert all(descriptions.values()), descriptions
    assert len(set(descriptions.values())) == len(pages), descriptions
    assert descriptions["article"] == "Russia and China talk."


@override_settings(ALLOWED_HOSTS=["*"], PARLEY_SITE_URL=SITE)
def test_canonical_urls_start_at_the_site_url_and_drop_the_query(client, pages):
    html = client.get(pages["forum"] + "?page=1", HTTP_HOST="evil.example").content.decode()

    assert f'<link rel="canonical" href="{SITE}{pages["forum"]}">' in html
    assert "evil.example" not in html


@override_settings(PARLEY_SITE_URL=SITE)
def test_an_article_carries_opengraph_and_twitter_card_tags(client, pages):
    html = client.get(pages["article"]).content.decode()

    assert head_meta(html, "property", "og:type") == "article"
    assert head_meta(html, "property", "og:title") == "Station talks"
    assert head_meta(html, "property", "og:url") == SITE + pages["article"]
    assert head_meta(html, "property", "og:description") == "Russia and China talk."
    assert head_meta(html, "name", "twitter:card") == "summary"
    assert head_meta(html, "name", "twitter:title") == "Station talks"


@override_settings(ALLOWED_HOSTS=["*"], PARLEY_SITE_URL=SITE)
def test_the_sitemap_lists_articles_and_free_standing_discussions_at_the_site_url(client, pages):
    response = client.get("/sitemap.xml", HTTP_HOST="evil.example")

    assert response.status_code == 200
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [
        element.text
        for element in ElementTree.fromstring(response.content).findall("s:url/s:loc", namespace)
    ]
    assert sorted(locations) == sorted([SITE + pages["article"], SITE + pages["thread"]])


@override_settings(PARLEY_SITE_URL=SITE)
def test_robots_txt_points_at_the_sitemap_and_keeps_out_of_accounts(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert "Disallow: /accounts/" in lines
    assert "Disallow: /moderation/" in lines


def test_the_favicon_is_served_at_the_root(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
