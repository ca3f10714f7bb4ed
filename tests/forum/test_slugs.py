"""Thread addresses in any script: the title's words stay in the address, which resolves."""

# ruff: noqa: RUF001 - Cyrillic letters that look Latin are the point of these tests.
from urllib.parse import unquote

import pytest
from django.urls import resolve, reverse

from forum.models import Thread
from forum.slugs import slug_for
from tests.factories import make_user
from tests.forum.posting_pages import open_page, send


@pytest.fixture
def member(client):
    client.force_login(make_user("valentina"))


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Радио-Т: Радио-Т 229", "радио-т-радио-т-229"),
        ("東京の夜と星", "東京の夜と星"),
        ("Ελληνικά νέα", "ελληνικά-νέα"),
        ("🎉🚀", "party-popper-rocket"),
    ],
)
def test_a_slug_keeps_the_titles_letters_in_any_script(title, slug):
    assert slug_for(title) == slug


def test_a_source_slug_that_is_a_bare_number_gives_way_to_the_titles_letters():
    assert slug_for("Радио-Т 229", preferred="229") == "радио-т-229"


def test_a_source_slug_with_letters_is_kept():
    assert slug_for("Hello Moon", preferred="hello-moon-2012") == "hello-moon-2012"


@pytest.mark.django_db
@pytest.mark.parametrize("title", ["Радио-Т: Радио-Т 229", "東京の夜と星", "🎉🚀"])
def test_a_discussion_titled_in_any_script_has_an_address_that_resolves(client, member, title):
    action = reverse("forum:thread-new")
    page = open_page(client, action)

    response = send(client, page, action, title=title, body="Hello.")

    thread = Thread.objects.get(title=title)
    assert thread.slug == slug_for(title)
    # A request's path arrives percent-decoded, as here.
    reply = unquote(reverse("forum:thread-reply", kwargs={"slug": thread.slug}))
    assert resolve(reply).kwargs == {"slug": thread.slug}
    page = open_page(client, response.url)
    assert page.text(page.find_all("h1")[0]) == title
