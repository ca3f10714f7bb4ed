"""Deep threads on a phone-sized screen, and folds that outlast a reload, in Chromium."""

from itertools import pairwise

import pytest

from forum.models import Post
from tests.factories import make_post, make_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
DEPTH = 20  # a permalink shows every ancestor, so its chain is deeper than the page's cap


def chain(thread, depth):
    """A reply to a reply to ... depth posts, each by its own named author."""
    posts = [make_post(thread, author_name="Author 0", body="Level 0 says hello.")]
    for level in range(1, depth):
        posts.append(
            make_post(
                thread,
                parent=posts[-1],
                author_name=f"Author {level}",
                body=f"Level {level} answers level {level - 1}.",
            )
        )
    return posts


def test_at_360px_each_level_steps_right_and_the_deepest_column_keeps_240px(
    live_server, chromium_browser
):
    thread = make_thread("Deep")
    posts = chain(thread, DEPTH)
    context = chromium_browser.new_context(viewport=PHONE)
    page = context.new_page()

    page.goto(live_server.url + posts[-1].get_absolute_url())

    boxes = [page.locator(f"#post-{post.pk} .post-body").bounding_box() for post in posts]
    lefts = [box["x"] for box in boxes]
    assert all(child > parent for parent, child in pairwise(lefts)), lefts
    assert boxes[-1]["width"] >= 240, boxes[-1]
    deepest = page.locator(f"#post-{posts[-1].pk} .post-header")
    assert f"replying to Author {DEPTH - 2}" in deepest.inner_text()
    assert Post.objects.filter(thread=thread).count() == DEPTH
    context.close()


STORED_FOLDS = "JSON.parse(localStorage.getItem('parley-folded') || '[]')"


def test_a_folded_post_hides_with_its_replies_and_stays_folded_on_reload(live_server, page):
    from playwright.sync_api import expect

    thread = make_thread("Folds")
    question = make_post(thread, author_name="Kirk", body="Which one did I miss?")
    answer = make_post(thread, parent=question, author_name="Nadia", body="The launch.")
    make_post(thread, parent=answer, author_name="Kirk", body="Thanks.")
    page.goto(live_server.url + thread.get_forum_url())
    control = page.locator(f"#fold-{question.pk} > summary")
    expect(control).to_have_text("Hide 2 replies", use_inner_text=True)
    box = control.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24, box

    control.click()

    expect(page.locator(f"#post-{question.pk}")).to_be_hidden()
    expect(page.locator(f"#post-{answer.pk}")).to_be_hidden()
    expect(control).to_have_text("Kirk, with 2 replies: show", use_inner_text=True)
    # The fold is stored by a "toggle" handler, which runs a moment after the click.
    page.wait_for_function(f"{STORED_FOLDS}.includes('fold-{question.pk}')")
    page.reload()
    expect(page.locator(f"#post-{question.pk}")).to_be_hidden()
    page.locator(f"#fold-{question.pk} > summary").click()
    page.wait_for_function(f"!{STORED_FOLDS}.includes('fold-{question.pk}')")
    page.reload()
    expect(page.locator(f"#post-{answer.pk}")).to_be_visible()
