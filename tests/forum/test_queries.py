import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum import trees, votes
from forum.models import Post, Vote
from tests.factories import make_article, make_posts_in_bulk, make_thread, make_user
from tests.markup import Page

pytestmark = pytest.mark.django_db

SMALL, BIG = 20, 2000
VIEWERS = ["anonymous", "member", "moderator"]
SORTS = ["oldest", "newest", "best"]
Status = Post.Status


def view_as(client, viewer, *discussions):
    """Log in as the viewer; a logged-in viewer has voted on posts of each discussion."""
    if viewer == "anonymous":
        return
    user = make_user(moderator=viewer == "moderator")
    for _, posts in discussions:
        for i, post in enumerate(posts[:60:4]):
            if post.status == Status.PUBLISHED:
                value = Vote.Value.DOWN if i % 3 else Vote.Value.UP
                votes.cast_vote(post=post, voter=user, value=value)
    client.force_login(user)


def rendered(client, url):
    """The page's query count and the posts it shows."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), Page(response.content.decode()).find_all("article", "post")


def discussion(size):
    """A discussion by members and seeded names, with some posts removed and some pending."""
    thread = make_thread(article=make_article())
    members = [make_user(), make_user(), None]
    posts = make_posts_in_bulk(thread, size, authors=members)
    Post.objects.filter(pk__in=[post.pk for post in posts[5::7]]).update(status=Status.REMOVED)
    Post.objects.filter(pk__in=[post.pk for post in posts[6::11]]).update(status=Status.PENDING)
    # A removed top-level post in every size: its tree is read to see whether it still shows.
    Post.objects.filter(pk=posts[10].pk).update(status=Status.REMOVED)
    return thread, list(Post.objects.filter(thread=thread).order_by("created_at"))


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_article_page_reads_2000_posts_in_as_many_queries_as_20(client, viewer, sort):
    small, big = discussion(SMALL), discussion(BIG)
    view_as(client, viewer, small, big)
    query = f"?sort={sort}"

    small_queries, small_posts = rendered(client, small[0].article.get_absolute_url() + query)
    big_queries, big_posts = rendered(client, big[0].article.get_absolute_url() + query)

    assert SMALL // 2 < len(small_posts) < len(big_posts)
    assert big_queries == small_queries


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_thread_page_reads_2000_posts_in_as_many_queries_as_20(client, viewer, sort):
    small, big = discussion(SMALL), discussion(BIG)
    view_as(client, viewer, small, big)
    query = f"?sort={sort}"

    small_queries, small_posts = rendered(client, small[0].get_forum_url() + query)
    big_queries, big_posts = rendered(client, big[0].get_forum_url() + query)

    assert SMALL // 2 < len(small_posts) < len(big_posts)
    assert big_queries == small_queries


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_second_page_of_2000_posts_reads_in_as_many_queries_as_of_20(
    client, settings, viewer, sort
):
    # A page per top-level post, so the small discussion has a second page too.
    settings.PARLEY_TOP_LEVEL_PER_PAGE = 1
    small, big = discussion(SMALL), discussion(BIG)
    view_as(client, viewer, small, big)
    query = f"?sort={sort}&page=2"

    small_queries, small_posts = rendered(client, small[0].get_forum_url() + query)
    big_queries, big_posts = rendered(client, big[0].get_forum_url() + query)

    assert small_posts and big_posts
    assert big_queries == small_queries


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_permalink_page_reads_a_big_subtree_in_as_many_queries_as_a_small_one(
    client, viewer, sort
):
    small, big = discussion(SMALL), discussion(BIG)
    view_as(client, viewer, small, big)
    # Post 1 answers the root post 0; its replies grow with the thread.
    small_url, big_url = (
        f"{posts[1].get_absolute_url()}?sort={sort}" for _, posts in (small, big)
    )

    small_queries, small_posts = rendered(client, small_url)
    big_queries, big_posts = rendered(client, big_url)

    assert len(big_posts) > 10 * len(small_posts) > 10
    assert big_queries == small_queries


def deep_discussion():
    """BIG posts, the first thousand a single chain of replies."""
    thread = make_thread(article=make_article())
    return thread, make_posts_in_bulk(thread, BIG, chain=1000)


def test_bulk_built_discussions_are_valid_trees():
    discussion(BIG)
    deep_discussion()

    assert trees.tree_faults() == []


def test_pages_render_a_1000_deep_reply_chain_in_a_2000_post_thread(client, settings):
    settings.PARLEY_MAX_DEPTH = settings.PARLEY_TOP_LEVEL_PER_PAGE = BIG
    thread, posts = deep_discussion()
    deepest = posts[999]

    for url in [thread.article.get_absolute_url(), thread.get_forum_url()]:
        response = client.get(url)
        assert response.status_code == 200
        page = Page(response.content.decode())
        assert len(page.find_all("article", "post")) == BIG
        reply_lists = page.by_id[f"post-{deepest.pk}"].ancestors()
        assert sum("replies" in element.classes for element in reply_lists) == 999


def test_permalink_of_the_end_of_a_1000_deep_chain_shows_all_its_ancestors(client):
    _, posts = deep_discussion()

    response = client.get(posts[999].get_absolute_url())

    assert response.status_code == 200
    shown = Page(response.content.decode()).find_all("article", "post")
    assert [element.attrs["id"] for element in shown] == [f"post-{p.pk}" for p in posts[:1000]]
