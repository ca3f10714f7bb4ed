"""Votes, previews and refused replies in place, and the keyboard shortcuts, in Chromium."""

import pytest

from forum.models import Post, Vote
from tests.factories import make_post, make_thread, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "soyuz-ms-09-orbital-module"


@pytest.fixture
def discussion():
    thread = make_thread("In place")
    first = make_post(thread, author_name="Kirk", body="Which one did I miss?")
    second = make_post(thread, author_name="Nadia", body="The second one.")
    make_user("valentina", password=PASSWORD)
    return thread, first, second


def logged_in(page, base, url):
    page.goto(base + "/accounts/login/?next=" + url)
    page.get_by_label("Username").fill("valentina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(base + url)
    page.evaluate("window.stayed = true")  # gone if the page is left


def test_a_vote_counts_in_place_without_leaving_the_page(live_server, page, discussion):
    from playwright.sync_api import expect

    thread, first, _second = discussion
    logged_in(page, live_server.url, thread.get_forum_url())

    page.locator(f"#post-{first.pk}").get_by_role("button", name="Vote up").click()

    up = page.locator(f"#post-{first.pk}").get_by_role("button", name="Vote up")
    expect(up).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f"#post-{first.pk} .score")).to_have_text("1 point")
    assert page.evaluate("window.stayed") is True
    assert Vote.objects.get(post=first).value == Vote.Value.UP


def test_preview_and_a_refused_reply_show_in_the_form_in_place(live_server, page, discussion):
    from playwright.sync_api import expect

    thread, first, _second = discussion
    logged_in(page, live_server.url, thread.get_forum_url())
    page.locator(f"#post-{first.pk}").get_by_role("link", name="Reply").click()
    slot = page.locator(f"#reply-slot-post-{first.pk}")
    slot.get_by_label("Your reply").fill("The **first** one.")

    slot.get_by_role("button", name="Preview").click()

    expect(slot.locator(".preview strong")).to_have_text("first")
    expect(slot.get_by_label("Your reply")).to_have_value("The **first** one.")
    slot.get_by_label("Your reply").fill("")
    slot.get_by_role("button", name="Post", exact=True).click()
    expect(slot.locator('[role="alert"]')).to_be_visible()
    assert page.evaluate("window.stayed") is True
    assert Post.objects.filter(parent=first).count() == 0


def test_keyboard_moves_between_posts_replies_and_sends_and_can_be_turned_off(
    live_server, page, discussion
):
    from playwright.sync_api import expect

    thread, first, second = discussion
    logged_in(page, live_server.url, thread.get_forum_url())

    page.keyboard.press("j")
    expect(page.locator(f"#post-{first.pk}")).to_be_focused()
    page.keyboard.press("j")
    expect(page.locator(f"#post-{second.pk}")).to_be_focused()
    page.keyboard.press("r")
    textarea = page.locator(f"#reply-slot-post-{second.pk}").get_by_label("Your reply")
    expect(textarea).to_be_focused()
    page.keyboard.type("jerk reply")  # single keys while typing are text, not commands
    expect(textarea).to_have_value("jerk reply")
    page.keyboard.press("Escape")
    expect(page.locator(f"#reply-slot-post-{second.pk}")).to_have_count(0)

    page.keyboard.press("r")
    textarea = page.locator(f"#reply-slot-post-{second.pk}").get_by_label("Your reply")
    textarea.fill("Sent from the keyboard.")
    page.keyboard.press("Control+Enter")
    page.wait_for_url("**#post-*")
    reply = Post.objects.get(parent=second)
    assert reply.body == "Sent from the keyboard."
    expect(page.locator(f"#post-{reply.pk}")).to_contain_text("Sent from the keyboard.")

    page.get_by_role("button", name="Keyboard shortcuts").click()
    page.reload()
    page.keyboard.press("j")
    expect(page.locator(f"#post-{first.pk}")).not_to_be_focused()
