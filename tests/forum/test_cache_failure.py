"""Posting and reading while the shared cache is down: nothing is lost, and the logs say so."""

import logging

import pytest
from django.test import override_settings
from django.urls import reverse

from forum.models import Post, Thread
from tests.factories import make_article, make_post, make_thread, make_user
from tests.forum.posting_pages import errors_of, form_at, open_page, open_page_from, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken_cache(closed_port, caplog):
    """The Redis cache at an address that refuses every connection."""
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
        }
    }
    caplog.set_level(logging.WARNING, logger="forum.cache_failures")
    with override_settings(CACHES=caches):
        yield


@pytest.fixture
def member(client):
    user = make_user("leonov")
    client.force_login(user)
    return user


@pytest.fixture
def article_thread():
    return make_thread("Spacewalks", article=make_article("Spacewalks"))


def comment_url(thread):
    return reverse("forum:thread-reply", kwargs={"slug": thread.slug})


def reply_url(post):
    return reverse("forum:post-reply", kwargs={"pk": post.pk})


def cache_warnings(caplog):
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "forum.cache_failures" and record.levelno == logging.WARNING
    ]


def test_a_comment_is_posted_while_the_cache_is_down_and_a_warning_logged(
    client, member, article_thread, broken_cache, caplog
):
    page = open_page(client, article_thread.get_absolute_url())

    response = send(client, page, comment_url(article_thread), body="Twelve minutes outside.")

    (post,) = Post.objects.filter(thread=article_thread)
    assert (post.author, post.body) == (member, "Twelve minutes outside.")
    assert response.status_code == 302
    assert response.url == f"{article_thread.get_absolute_url()}#post-{post.pk}"
    shown = open_page(client, response.url)
    assert "Twelve minutes outside." in shown.text(shown.by_id[f"post-{post.pk}"])
    assert any("The cache is unavailable" in message for message in cache_warnings(caplog))


def test_a_reply_is_posted_while_the_cache_is_down(client, member, article_thread, broken_cache):
    question = make_post(article_thread)
    page = open_page(client, reply_url(question))

    response = send(client, page, reply_url(question), body="The suit stiffened.")

    reply = Post.objects.get(parent=question)
    assert (reply.author, reply.body) == (member, "The suit stiffened.")
    assert response.url == f"{article_thread.get_absolute_url()}#post-{reply.pk}"


def test_a_discussion_is_started_while_the_cache_is_down(client, member, broken_cache):
    action = reverse("forum:thread-new")
    page = open_page(client, action)

    response = send(client, page, action, title="Airlocks", body="How do they cycle?")

    thread = Thread.objects.get(title="Airlocks")
    (post,) = thread.posts.all()
    assert (post.author, post.body) == (member, "How do they cycle?")
    assert response.url == f"/forum/{thread.slug}/#post-{post.pk}"


def test_a_form_sent_twice_while_the_cache_is_down_stores_one_post(
    client, member, article_thread, broken_cache
):
    question = make_post(article_thread)
    page = open_page(client, reply_url(question))

    first = send(client, page, reply_url(question), body="Only once.")
    second = send(client, page, reply_url(question), body="Only once.")

    (reply,) = Post.objects.filter(parent=question)
    assert first.url == second.url == f"{article_thread.get_absolute_url()}#post-{reply.pk}"


@override_settings(PARLEY_POST_RATE_PER_USER="2/60", PARLEY_POST_RATE_PER_IP="")
def test_the_rate_per_user_is_counted_from_stored_posts_while_the_cache_is_down(
    client, member, article_thread, broken_cache, caplog
):
    for body in ("One.", "Two."):
        page = open_page(client, article_thread.get_absolute_url())
        assert send(client, page, comment_url(article_thread), body=body).status_code == 302
    page = open_page(client, article_thread.get_absolute_url())

    response = send(client, page, comment_url(article_thread), body="Three.")

    assert response.status_code == 429
    page = open_page_from(response)
    (error,) = errors_of(page, form_at(page, comment_url(article_thread)))
    assert error.startswith("You are posting too fast. Please wait ")
    assert sorted(Post.objects.values_list("body", flat=True)) == ["One.", "Two."]
    assert any("counted from the stored posts" in message for message in cache_warnings(caplog))


@override_settings(PARLEY_POST_RATE_PER_USER="", PARLEY_POST_RATE_PER_IP="1/60")
def test_the_rate_per_address_lets_posts_through_while_the_cache_is_down_and_says_so(
    client, article_thread, broken_cache, caplog
):
    for name, body in (("one", "From one account."), ("two", "From another.")):
        client.force_login(make_user(name))
        page = open_page(client, article_thread.get_absolute_url())
        assert send(client, page, comment_url(article_thread), body=body).status_code == 302

    assert Post.objects.count() == 2
    assert any("per address is not enforced" in message for message in cache_warnings(caplog))


def test_pages_are_read_while_the_cache_is_down(client, member, article_thread, broken_cache):
    post = make_post(article_thread, body="Read me.")

    for url in (
        reverse("articles:home"),
        article_thread.get_absolute_url(),
        reverse("forum:thread-list"),
        post.get_absolute_url(),
        reverse("accounts:profile", kwargs={"username": member.username}),
    ):
        assert client.get(url).status_code == 200, url
    assert "Read me." in client.get(article_thread.get_absolute_url()).content.decode()
