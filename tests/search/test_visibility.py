"""A search shows only what the discussion pages would show this reader."""

import pytest
from django.contrib.auth.models import AnonymousUser

from forum import moderation, services
from forum.models import Post
from search.models import Document
from search.query import parse
from search.services import search
from tests.factories import make_moderator, make_user, set_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden(discussion):
    """One post in each status that others may not read, and one published one."""
    author = make_user("writer")
    posts = {
        status: discussion(f"Secret zeppelin {status}.", author=author, status=status)
        for status in ("pending", "removed", "spam")
    }
    posts["published"] = discussion("Public zeppelin.", author=author)
    posts["author"] = author
    return posts


def test_others_never_find_pending_removed_or_spam_posts(hidden, find):
    assert find("zeppelin") == ["Public zeppelin."]
    assert find("zeppelin", user=make_user()) == ["Public zeppelin."]


def test_hidden_text_never_reaches_an_excerpt(hidden, find):
    assert find("secret") == []
    assert find("public", user=make_user()) == ["Public zeppelin."]


def test_authors_find_their_own_pending_posts(hidden, find):
    assert sorted(find("zeppelin", user=hidden["author"])) == [
        "Public zeppelin.",
        "Secret zeppelin pending.",
    ]


def test_moderators_find_everything(hidden, find):
    assert len(find("zeppelin", user=make_moderator())) == 4


def test_moderators_can_keep_one_status(hidden, find):
    assert find("zeppelin", user=make_moderator(), statuses=["spam"]) == ["Secret zeppelin spam."]


def test_a_status_filter_is_ignored_for_readers(hidden, find):
    assert find("zeppelin", user=make_user(), statuses=["spam"]) == ["Public zeppelin."]


def test_the_results_say_a_posts_status_to_who_may_see_it(hidden):
    page = search(user=hidden["author"], query=parse("secret"))
    assert [result.status for result in page.results] == ["pending"]


def test_a_deleted_post_leaves_the_index(discussion, committed, find):
    author = make_user()
    post = discussion("Regrettable zeppelin.", author=author)
    with committed():
        services.delete_post(post=post, author=author)
    assert find("zeppelin", user=make_moderator()) == []
    assert not Document.objects.filter(post=post).exists()


def test_approving_a_post_lets_everyone_find_it(discussion, committed, find):
    post = discussion("Held zeppelin.", status="pending")
    with committed():
        moderation.approve_post(post=post, moderator=make_moderator())
    assert find("zeppelin") == ["Held zeppelin."]


def test_a_post_hidden_later_disappears_at_once(discussion, find):
    post = discussion("Soon gone zeppelin.")
    set_status(post, Post.Status.REMOVED)  # even a write nobody announced is never shown
    assert find("zeppelin", user=AnonymousUser()) == []
