from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from forum import selectors
from forum.models import Post
from tests.factories import make_article, make_post, make_thread, make_user, set_status
from tests.markup import Page

pytestmark = pytest.mark.django_db

Status = Post.Status
START = timezone.now() - timedelta(days=1)


def get_page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return Page(response.content.decode())


def shown_ids(page):
    return [element.attrs["id"] for element in page.find_all("article", "post")]


def ids(posts):
    return [f"post-{post.pk}" for post in posts]


def fold_of(page, post):
    """The <details> folding the post with its replies, and its summary's text while open."""
    details = page.by_id[f"replies-{post.pk}"].parent
    assert details.tag == "details"
    assert page.by_id[f"post-{post.pk}"].parent is details
    (summary,) = [element for element in page.find_all("summary") if element.parent is details]
    (opened,) = [span for span in page.find_all("span", "fold-opened") if span.parent is summary]
    return details, page.text(opened)


def continue_link(page, post):
    item = page.by_id[f"post-{post.pk}"].parent
    links = [a for a in page.find_all("a") if a.nearest("p") and a.nearest("p").parent is item]
    (link,) = [a for a in links if "continue-thread" in a.nearest("p").classes]
    return link, page.text(link.nearest("p"))


def reply_chain(thread, length, *, parent=None):
    """length posts, each a reply to the one before."""
    posts = []
    for _ in range(length):
        parent = make_post(thread, parent=parent)
        posts.append(parent)
    return posts


def top_level_posts(thread, count):
    return [
        make_post(thread, author_name=f"Reader {n}", created_at=START + timedelta(minutes=n))
        for n in range(1, count + 1)
    ]


# Folding subtrees


def test_each_post_folds_with_its_replies_in_an_open_details_counting_them_all(client):
    thread = make_thread()
    question = make_post(thread)
    answer = make_post(thread, parent=question)
    make_post(thread, parent=answer)
    make_post(thread, parent=answer)
    make_post(thread, parent=question)

    page = get_page(client, thread.get_forum_url())

    details, summary = fold_of(page, question)
    assert "open" in details.attrs
    assert summary == "Hide 4 replies"
    assert fold_of(page, answer)[1] == "Hide 2 replies"


def test_a_post_without_replies_has_nothing_to_fold(client):
    thread = make_thread()
    post = make_post(thread)

    page = get_page(client, thread.get_forum_url())

    assert f"replies-{post.pk}" not in page.by_id
    assert page.find_all("details") == []


def test_fold_counts_only_the_replies_this_reader_sees(client):
    thread = make_thread()
    question = make_post(thread)
    make_post(thread, parent=question)
    make_post(thread, parent=question, status=Status.PENDING)
    set_status(make_post(thread, parent=question), Status.REMOVED)

    assert fold_of(get_page(client, thread.get_forum_url()), question)[1] == "Hide 1 reply"
    client.force_login(make_user(moderator=True))
    assert fold_of(get_page(client, thread.get_forum_url()), question)[1] == "Hide 3 replies"


# The depth cap


def test_below_eight_levels_the_thread_continues_on_the_last_posts_page(client):
    thread = make_thread()
    chain = reply_chain(thread, 12)

    page = get_page(client, thread.get_forum_url())

    assert shown_ids(page) == ids(chain[:8])
    link, text = continue_link(page, chain[7])
    assert link.attrs["href"] == chain[7].get_absolute_url()
    assert text == "Continue this thread → (4 replies)"
    assert f"replies-{chain[7].pk}" not in page.by_id


def test_continued_page_shows_the_post_in_context_and_eight_more_levels(client):
    thread = make_thread()
    chain = reply_chain(thread, 20)

    page = get_page(client, chain[7].get_absolute_url())

    # Its seven ancestors, the post, then replies down to seven levels below it.
    assert shown_ids(page) == ids(chain[:15])
    assert "post-focus" in page.by_id[f"post-{chain[7].pk}"].classes
    link, text = continue_link(page, chain[14])
    assert link.attrs["href"] == chain[14].get_absolute_url()
    assert text == "Continue this thread → (5 replies)"


def test_depth_cap_is_a_setting_read_when_the_page_is_shown(client, settings):
    thread = make_thread()
    chain = reply_chain(thread, 5)
    settings.PARLEY_MAX_DEPTH = 3

    page = get_page(client, thread.get_forum_url())

    assert shown_ids(page) == ids(chain[:3])
    assert continue_link(page, chain[2])[1] == "Continue this thread → (2 replies)"


def test_continue_link_keeps_the_sort_order(client):
    thread = make_thread()
    chain = reply_chain(thread, 9)

    page = get_page(client, f"{thread.get_forum_url()}?sort=best")

    link, _ = continue_link(page, chain[7])
    assert link.attrs["href"] == f"{chain[7].get_absolute_url()}?sort=best"


def test_permalink_of_a_post_twelve_levels_deep_shows_it_with_every_ancestor(client):
    article = make_article()
    thread = make_thread(article=article)
    chain = reply_chain(thread, 14)
    deep = chain[12]

    page = get_page(client, deep.get_absolute_url())

    assert Post.objects.get(pk=deep.pk).level == 12
    assert shown_ids(page) == ids(chain)
    assert "post-focus" in page.by_id[f"post-{deep.pk}"].classes
    # Its thread's page shows the chain down to the eighth post, which leads on.
    (whole,) = [a for a in page.find_all("a") if page.text(a) == "See it in the whole discussion"]
    assert whole.attrs["href"] == f"{article.get_absolute_url()}#post-{chain[7].pk}"


# Pages of top-level posts


def test_discussion_is_paginated_by_top_level_post_fifty_to_a_page(client):
    thread = make_thread()
    roots = top_level_posts(thread, 120)
    reply = make_post(thread, parent=roots[104])

    first, third = (get_page(client, f"{thread.get_forum_url()}?page={n}") for n in (1, 3))

    assert shown_ids(first) == ids(roots[:50])
    assert shown_ids(third) == ids([*roots[100:105], reply, *roots[105:]])


def test_page_links_show_where_the_reader_is_and_keep_the_sort(client):
    thread = make_thread()
    top_level_posts(thread, 120)
    url = thread.get_forum_url()

    page = get_page(client, f"{url}?sort=newest&page=2")

    (nav,) = page.find_all("nav", "discussion-pages")
    links = [a for a in page.find_all("a") if nav in a.ancestors()]
    assert [(page.text(a), a.attrs["href"], a.attrs.get("aria-current")) for a in links] == [
        ("← Previous", f"{url}?sort=newest#comments", None),
        ("1", f"{url}?sort=newest#comments", None),
        ("2", f"{url}?sort=newest&page=2#comments", "page"),
        ("3", f"{url}?sort=newest&page=3#comments", None),
        ("Next →", f"{url}?sort=newest&page=3#comments", None),
    ]


def test_newest_first_pages_start_from_the_newest_top_level_post(client):
    thread = make_thread()
    roots = top_level_posts(thread, 120)

    page = get_page(client, f"{thread.get_forum_url()}?sort=newest&page=3")

    assert shown_ids(page) == ids(roots[19::-1])


@pytest.mark.parametrize(("asked", "shown"), [("99", 3), ("two", 1), ("0", 3)])
def test_a_page_number_out_of_range_or_not_a_number_shows_a_page_that_exists(client, asked, shown):
    thread = make_thread()
    roots = top_level_posts(thread, 120)
    pages = {1: roots[:50], 3: roots[100:]}

    page = get_page(client, f"{thread.get_forum_url()}?page={asked}")

    assert shown_ids(page) == ids(pages[shown])


def test_a_discussion_on_one_page_shows_no_page_links(client):
    thread = make_thread()
    top_level_posts(thread, 50)

    page = get_page(client, thread.get_forum_url())

    assert page.find_all("nav", "discussion-pages") == []


def test_permalink_of_a_post_on_page_three_opens_and_links_to_that_page(client):
    article = make_article()
    thread = make_thread(article=article)
    roots = top_level_posts(thread, 120)
    reply = make_post(thread, parent=roots[104])

    page = get_page(client, reply.get_absolute_url())

    assert shown_ids(page) == ids([roots[104], reply])
    (whole,) = [a for a in page.find_all("a") if page.text(a) == "See it in the whole discussion"]
    assert whole.attrs["href"] == f"{article.get_absolute_url()}?page=3#post-{reply.pk}"


# Where a post is read, for redirects after posting


def test_page_of_post_is_the_page_of_its_top_level_post_in_the_chosen_order():
    thread = make_thread()
    roots = top_level_posts(thread, 120)
    reply = make_post(thread, parent=roots[104])
    reader = AnonymousUser()

    assert selectors.page_of_post(reply, reader) == 3
    assert selectors.page_of_post(roots[49], reader) == 1
    assert selectors.page_of_post(roots[50], reader) == 2
    assert selectors.page_of_post(reply, reader, sort="newest") == 1


def test_discussion_url_leads_to_the_post_on_its_page_or_below_the_cap_to_its_permalink():
    thread = make_thread()
    roots = top_level_posts(thread, 51)
    chain = reply_chain(thread, 9, parent=roots[50])
    reader = AnonymousUser()

    assert selectors.discussion_url(chain[6], reader) == (
        f"{thread.get_forum_url()}?page=2#post-{chain[6].pk}"
    )
    assert selectors.discussion_url(chain[7], reader) == (
        f"{chain[7].get_absolute_url()}#post-{chain[7].pk}"
    )


@pytest.mark.parametrize(("sort", "query"), [("oldest", "?page=2"), ("newest", "?sort=newest")])
def test_a_new_reply_is_found_on_the_page_of_its_top_level_post_past_hidden_ones(
    settings, sort, query
):
    settings.PARLEY_TOP_LEVEL_PER_PAGE = 2
    thread = make_thread()
    make_post(thread)
    removed_alone = make_post(thread)
    removed_answered = make_post(thread)
    make_post(thread, parent=removed_answered)
    pending = make_post(thread)
    target = make_post(thread)
    for post in (removed_alone, removed_answered):
        set_status(post, Post.Status.REMOVED)
    set_status(pending, Post.Status.PENDING)
    reply = make_post(thread, parent=target)

    url = selectors.discussion_url(reply, AnonymousUser(), sort=sort)

    # Shown top-level posts, oldest first: the first, "[removed]" with its reply, the target.
    assert url == f"{thread.get_absolute_url()}{query}#post-{reply.pk}"
