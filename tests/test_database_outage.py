"""While the database cannot be reached: a 503 that says so, and no form that would fail."""

import logging
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from articles.models import Article
from config.database_outage import RETRY_AFTER
from tests.factories import make_article, make_thread, make_user
from tests.markup import Page

# Closing the connection mid-test needs real transactions, not a test wrapped in one.
pytestmark = pytest.mark.django_db(transaction=True)

UNAVAILABLE = "Parley is briefly unavailable"


@contextmanager
def database_unreachable(closed_port):
    """Point the default connection where connecting fails, as when the server is down."""
    connection.close()
    if connection.vendor == "postgresql":
        unreachable = {"HOST": "127.0.0.1", "PORT": str(closed_port)}  # connection refused
    else:
        unreachable = {"NAME": "/nonexistent-directory/parley.sqlite3"}  # cannot be opened
    with mock.patch.dict(connection.settings_dict, unreachable):
        yield
        connection.close()


@pytest.fixture
def database_down(closed_port):
    with database_unreachable(closed_port):
        yield


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER)
    page = Page(response.content.decode())
    assert page.text(page.find_all("h1")[0]) == UNAVAILABLE
    return page


def test_a_page_answers_503_saying_the_site_is_briefly_unavailable(client, database_down):
    response = client.get(reverse("articles:home"))

    page = assert_unavailable_page(response)
    assert page.find_all("form") == []


def test_a_logged_in_members_page_answers_the_same_503_without_their_account(closed_port):
    member, thread = make_user("gagarin"), make_thread("Vostok")
    client = Client()
    client.force_login(member)

    with database_unreachable(closed_port):
        response = client.get(thread.get_forum_url())

    page = assert_unavailable_page(response)
    assert "gagarin" not in response.content.decode()
    assert page.find_all("ul", "account-links") == []


@pytest.mark.parametrize(
    "url", [reverse("login"), reverse("admin:login"), reverse("accounts:signup")]
)
def test_a_login_or_signup_page_answers_503_rather_than_a_form_that_would_fail(
    client, database_down, url
):
    page = assert_unavailable_page(client.get(url))
    assert page.find_all("form") == []
    assert page.find_all("input") == []


def test_a_comment_sent_while_the_database_is_unreachable_answers_503(closed_port):
    member, thread = make_user("titov"), make_thread("Vostok 2")
    client = Client()
    client.force_login(member)
    url = reverse("forum:thread-reply", kwargs={"slug": thread.slug})

    with database_unreachable(closed_port):
        response = client.post(url, {"body": "Lost?", "thread": thread.pk})

    assert_unavailable_page(response)
    assert not thread.posts.exists()


def test_the_503_page_keeps_the_security_headers_and_is_never_cached(client, database_down):
    response = client.get(reverse("articles:home"))

    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_the_outage_is_logged_with_its_cause(client, database_down, caplog):
    caplog.set_level(logging.WARNING, logger="config.database_outage")

    client.get(reverse("articles:home"))

    (record,) = [r for r in caplog.records if r.name == "config.database_outage"]
    assert record.levelno == logging.WARNING
    assert record.getMessage().startswith("The database is unreachable; answering 503: ")


def test_pages_are_served_again_as_soon_as_the_database_is_back(client, closed_port):
    article = make_article("Back online")
    with database_unreachable(closed_port):
        assert client.get(article.get_absolute_url()).status_code == 503

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert "Back online" in response.content.decode()


def test_a_database_error_other_than_an_unreachable_database_stays_a_500():
    make_article("Timed out")

    def query_then_fail(*args, **kwargs):
        list(Article.objects.all())  # the connection is open: this is no failure to connect
        raise OperationalError("canceling statement due to statement timeout")

    client = Client(raise_request_exception=False)
    with mock.patch("articles.views.selectors.active_threads", query_then_fail):
        response = client.get(reverse("articles:home"))

    assert response.status_code == 500
    assert "Retry-After" not in response
    assert UNAVAILABLE not in response.content.decode()
