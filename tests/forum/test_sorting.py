from datetime import timedelta

import pytest
from django.utils import timezone

from forum import votes
from forum.models import Vote
from tests.factories import make_article, make_post, make_thread, make_user
from tests.markup import Page

pytestmark = pytest.mark.django_db

START = timezone.now() - timedelta(days=1)


def receive_votes(post, up=0, down=0):
    """Votes by as many fresh readers, cast through the voting service."""
    for value in [Vote.Value.UP] * up + [Vote.Value.DOWN] * down:
        votes.cast_vote(post=post, voter=make_user(), value=value)


def written(thread, name, minute, *, parent=None, up=0, down=0):
    post = make_post(
        thread,
        parent=parent,
        author_name=name,
        body=f"{name} wrote this.",
        created_at=START + timedelta(minutes=minute),
    )
    receive_votes(post, up, down)
    return post


@pytest.fixture
def thread():
    """Four levels of replies, written in the order of their minutes, with votes.

    Wilson lower bounds (z = 1.281551565545): 10 up 2 down 0.6578; 5/0 0.7527; 4/1 0.5135;
    3/0 0.6462; 1/0 0.3784; 2/3 0.1799; 1/1 0.1643; no votes or no up votes 0.
    """
    thread = make_thread(article=make_article())
    a = written(thread, "A", 1, up=1)
    a1 = written(thread, "A1", 2, parent=a)
    a2 = written(thread, "A2", 3, parent=a, up=5)
    a3 = written(thread, "A3", 4, parent=a, up=2, down=3)
    a3a = written(thread, "A3a", 5, parent=a3, down=1)
    a3b = written(thread, "A3b", 6, parent=a3, up=3)
    written(thread, "A3c", 7, parent=a3)
    written(thread, "A3b-x", 8, parent=a3b, up=4, down=1)
    written(thread, "A3b-y", 9, parent=a3b, up=1, down=1)
    written(thread, "B", 10, up=10, down=2)
    written(thread, "C", 11)
    written(thread, "D", 12, down=1)
    assert (a1.parent_id, a2.parent_id, a3a.parent_id) == (a.pk, a.pk, a3.pk)
    return thread


def authors_in_reading_order(client, url):
    response = client.get(url)
    assert response.status_code == 200
    page = Page(response.content.decode())
    return [page.text(span) for span in page.find_all("span", "post-author")], page


def test_oldest_first_is_the_default_at_every_level(client, thread):
    authors, _ = authors_in_reading_order(client, thread.get_forum_url())

    assert authors == ["A", "A1", "A2", "A3", "A3a", "A3b", "A3b-x", "A3b-y", "A3c", "B", "C", "D"]


def test_newest_first_orders_siblings_by_time_at_every_level(client, thread):
    authors, _ = authors_in_reading_order(client, f"{thread.get_forum_url()}?sort=newest")

    assert authors == ["D", "C", "B", "A", "A3", "A3c", "A3b", "A3b-y", "A3b-x", "A3a", "A2", "A1"]


def test_best_orders_siblings_by_wilson_lower_bound_ties_oldest_first(client, thread):
    authors, _ = authors_in_reading_order(client, f"{thread.get_forum_url()}?sort=best")

    assert authors == ["B", "A", "A2", "A3", "A3b", "A3b-x", "A3b-y", "A3a", "A3c", "A1", "C", "D"]


def test_sorting_keeps_every_reply_in_its_parents_reply_list(client, thread):
    _, page = authors_in_reading_order(client, f"{thread.get_forum_url()}?sort=best")

    for element in page.find_all("article", "post"):
        post = thread.posts.get(pk=element.attrs["id"].removeprefix("post-"))
        replies_list = element.nearest("ol")
        if post.parent_id is None:
            assert "discussion" in replies_list.classes
        else:
            assert replies_list.attrs["id"] == f"replies-{post.parent_id}"


def test_an_unknown_sort_falls_back_to_oldest_first(client, thread):
    authors, page = authors_in_reading_order(client, f"{thread.get_forum_url()}?sort=random")

    assert authors[:4] == ["A", "A1", "A2", "A3"]
    (nav,) = page.find_all("nav", "sort-orders")
    (current,) = [
        a for a in page.find_all("a") if nav in a.ancestors() and "aria-current" in a.attrs
    ]
    assert page.text(current) == "Oldest"


def test_sort_links_mark_the_current_order_and_lead_to_each_other(client, thread):
    url = thread.article.get_absolute_url()

    _, page = authors_in_reading_order(client, f"{url}?sort=newest")

    (nav,) = page.find_all("nav", "sort-orders")
    links = [a for a in page.find_all("a") if nav in a.ancestors()]
    assert [(page.text(a), a.attrs["href"], a.attrs.get("aria-current")) for a in links] == [
        ("Oldest", f"{url}#comments", None),
        ("Newest", f"{url}?sort=newest#comments", "true"),
        ("Best", f"{url}?sort=best#comments", None),
    ]


def test_the_article_page_sorts_its_discussion_too(client, thread):
    authors, _ = authors_in_reading_order(client, f"{thread.article.get_absolute_url()}?sort=best")

    assert authors[:3] == ["B", "A", "A2"]


def test_a_permalink_page_sorts_the_posts_replies(client, thread):
    a3 = thread.posts.get(author_name="A3")

    authors, _ = authors_in_reading_order(client, f"{a3.get_absolute_url()}?sort=newest")

    assert authors == ["A", "A3", "A3c", "A3b", "A3b-y", "A3b-x", "A3a"]


@pytest.mark.parametrize(
    ("up", "down", "expected"),
    [
        (0, 0, 0.0),
        (1, 0, 0.378447503225),  # 1 / (1 + z²)
        (0, 1, 0.0),
        (0, 25, 0.0),
        (1, 1, 0.164251720030),
        (5, 0, 0.752742872879),
        (10, 2, 0.657812536105),
        (50, 50, 0.436442224460),
    ],
)
def test_best_score_is_the_lower_bound_of_the_wilson_score_interval(up, down, expected):
    assert votes.best_score(up, down) == pytest.approx(expected, abs=1e-12)
