"""The lists of discussions show a logged-in reader which of those they read have new posts."""

import pytest

from tests.factories import make_article, make_post, make_thread, make_user
from tests.markup import Page

pytestmark = pytest.mark.django_db


def flagged_new(response, link_class="thread-title"):
    """The titles of the listed discussions that the page says have new posts."""
    page = Page(response.content.decode())
    titles = []
    for badge in page.find_all("strong", "badge-new"):
        item = badge.nearest("li")
        titles += [page.text(a) for a in page.find_all("a", link_class) if item in a.ancestors()]
    return titles


def test_the_forum_list_shows_which_read_discussions_have_new_posts(client):
    reader = make_user()
    client.force_login(reader)
    answered, quiet, mine, unread = (
        make_thread(title) for title in ("Answered", "Quiet", "Mine", "Never read")
    )
    for thread in (answered, quiet, mine, unread):
        make_post(thread, body="First.")
    for thread in (answered, quiet, mine):
        client.get(thread.get_absolute_url())
    make_post(answered, body="An answer since.")
    make_post(mine, author=reader, body="My own post since.")

    response = client.get("/forum/")

    assert flagged_new(response) == ["Answered"]


def test_reading_the_new_posts_clears_the_mark_in_the_list(client):
    client.force_login(make_user())
    thread = make_thread("Answered")
    make_post(thread, body="First.")
    client.get(thread.get_absolute_url())
    make_post(thread, body="An answer since.")
    client.get(thread.get_absolute_url())

    assert flagged_new(client.get("/forum/")) == []


def test_the_home_page_marks_articles_and_active_discussions_with_new_comments(client):
    client.force_login(make_user())
    article = make_article("On orbit")
    thread = make_thread("On orbit", article=article)
    make_post(thread, body="First.")
    client.get(article.get_absolute_url())
    make_post(thread, body="Since.")

    page = Page(client.get("/").content.decode())

    [article_badge, thread_badge] = page.find_all("strong", "badge-new")
    assert article_badge.nearest("article").attrs["class"] == "article-summary"
    assert page.text(article_badge) == "new comments"
    assert thread_badge.nearest("section").attrs["class"] == "active-threads"


def test_anonymous_readers_see_no_new_marks_in_lists(client):
    thread = make_thread("Answered")
    make_post(thread, body="First.")

    assert "badge-new" not in client.get("/forum/").content.decode()
    assert "badge-new" not in client.get("/").content.decode()
