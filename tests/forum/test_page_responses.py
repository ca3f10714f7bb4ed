"""Discussion pages over HTTP: anonymous pages kept whole, revalidated, compressed; others not."""

import gzip

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest

from forum import moderation
from forum.events import Change, Write
from forum.models import Post
from forum.rendering import cache as page_cache
from tests.factories import make_article, make_moderator, make_post, make_thread, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread():
    thread = make_thread("Stations")
    make_post(thread, body="A first post.")
    make_post(thread, body="A second post.")
    return thread


def test_an_anonymous_page_is_served_whole_from_the_cache_on_the_second_read(
    client, thread, django_assert_num_queries
):
    first = client.get(thread.get_absolute_url())
    with django_assert_num_queries(1):  # the thread, for its version; nothing else
        second = client.get(thread.get_absolute_url())
    assert second.content == first.content


def test_an_article_page_is_served_whole_too(client, django_assert_max_num_queries):
    article = make_article("On orbit")
    thread = make_thread(article=article)
    make_post(thread, body="About the article.")
    client.get(article.get_absolute_url())
    with django_assert_max_num_queries(2):  # the article with its thread
        response = client.get(article.get_absolute_url())
    assert "About the article." in response.content.decode()


def test_an_unchanged_anonymous_page_is_answered_304_to_its_etag(client, thread):
    etag = client.get(thread.get_absolute_url())["ETag"]
    response = client.get(thread.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_a_write_gives_the_anonymous_page_a_new_etag(client, thread):
    etag = client.get(thread.get_absolute_url())["ETag"]
    make_post(thread, body="A third post.")
    response = client.get(thread.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "A third post." in response.content.decode()


def test_an_anonymous_page_may_be_kept_briefly_by_a_cdn(client, thread):
    response = client.get(thread.get_absolute_url())
    assert "public" in response["Cache-Control"]
    assert "max-age=30" in response["Cache-Control"]
    assert {"Accept-Encoding", "Cookie"} <= {
        header.strip() for header in response["Vary"].split(",")
    }


def test_an_anonymous_page_is_gzipped_for_a_reader_who_accepts_it(client, thread):
    plain = client.get(thread.get_absolute_url())
    packed = client.get(thread.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip, br")
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 2


def test_a_logged_in_page_is_private_and_never_compressed(client, thread):
    client.force_login(make_user())
    response = client.get(thread.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
    assert "private" in response["Cache-Control"]
    assert not response.has_header("Content-Encoding")
    assert not response.has_header("ETag")
    assert "csrfmiddlewaretoken" in response.content.decode()


def test_a_moderators_page_is_never_served_to_anonymous_readers(client, thread):
    moderator = make_moderator("mod")
    held = make_post(thread, body="Held back.", status="pending")
    client.force_login(moderator)
    assert "Held back." in client.get(thread.get_absolute_url()).content.decode()
    client.logout()
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Held back." not in html
    assert f'id="post-{held.pk}"' not in html


def waiting_message(text):
    """A messages cookie as Django's cookie storage writes it, with one message waiting."""
    storage = CookieStorage(HttpRequest())
    return storage._encode([Message(constants.SUCCESS, text)])


def test_a_page_with_a_message_for_this_visitor_is_neither_served_nor_kept_whole(client, thread):
    client.get(thread.get_absolute_url())  # kept whole, without a message
    client.cookies["messages"] = waiting_message("You are logged out.")
    with_message = client.get(thread.get_absolute_url())
    assert "You are logged out." in with_message.content.decode()
    assert "private" in with_message["Cache-Control"]
    client.cookies.pop("messages")
    assert "You are logged out." not in client.get(thread.get_absolute_url()).content.decode()


def test_the_cached_anonymous_page_follows_a_moderators_removal(client, thread):
    post = make_post(thread, body="Soon removed.")
    assert "Soon removed." in client.get(thread.get_absolute_url()).content.decode()
    moderation.remove_post(post=post, moderator=make_moderator("mod"), reason="")
    assert "Soon removed." not in client.get(thread.get_absolute_url()).content.decode()


def test_a_kept_page_carries_the_sites_security_headers(client, thread):
    first = client.get(thread.get_absolute_url())
    kept = client.get(thread.get_absolute_url())
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert kept[header] == first[header]
    assert kept["Content-Length"] == str(len(kept.content))


def test_a_kept_page_is_never_served_to_a_member(client, thread):
    client.get(thread.get_absolute_url())  # kept for anonymous readers
    client.force_login(make_user("carol"))
    response = client.get(thread.get_absolute_url())
    assert "private" in response["Cache-Control"]
    assert "Signed in as" in response.content.decode()


def test_a_kept_page_is_refused_to_a_host_the_site_does_not_serve(client, thread):
    client.get(thread.get_absolute_url())
    response = client.get(thread.get_absolute_url(), HTTP_HOST="attacker.example")
    assert response.status_code == 400


def test_a_kept_page_is_not_served_once_the_threads_version_changes_in_the_database(
    client, thread
):
    post = make_post(thread, body="As first written.")
    assert "As first written." in client.get(thread.get_absolute_url()).content.decode()
    # What another process's write commits: new rows and new versions, and nothing said to
    # this process or its cache.
    Post.objects.filter(pk=post.pk).update(body_html="<p>As another process wrote it.</p>")
    change = Change(Write.POST_EDITED, threads={thread.pk}, trees={post.tree_id})
    page_cache.bump_versions(sender=Change, change=change)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "As another process wrote it." in html
    assert "As first written." not in html


@pytest.mark.parametrize("reader", ["anonymous", "member"])
def test_the_discussion_goes_into_its_place_once_whatever_its_posts_or_the_article_say(
    client, reader
):
    slot = "<!-- discussion -->"
    article = make_article(title=f"About {slot}", body=f"The story {slot} itself.")
    thread = make_thread(article=article)
    make_post(thread, body=f"A post that writes {slot} in its text.")
    if reader == "member":
        client.force_login(make_user())

    html = client.get(article.get_absolute_url()).content.decode()

    assert slot not in html  # every one the readers wrote is escaped, the page's own filled
    assert html.count("A post that writes &lt;!-- discussion --&gt; in its text.") == 1
    # Between the article's heading of the comments and the form to add one, as ever.
    assert html.index('id="comments-heading"') < html.index('class="discussion"')
    assert html.index('class="discussion"') < html.index("</html>")
