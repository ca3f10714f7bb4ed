"""In Chromium: one member replies to another, who sees the inbox count change and opens it."""

import pytest

from forum.models import Post
from tests.factories import make_thread, make_user

from .conftest import drain_queue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "soyuz-ms-09-orbital-module"


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_reply_shows_in_the_inbox_count_and_opens_on_the_reply(live_server, chromium_browser):
    from playwright.sync_api import expect

    make_user("alice", password=PASSWORD)
    make_user("bob", password=PASSWORD)
    thread = make_thread("Orbital stations")
    base = live_server.url
    thread_url = f"{base}{thread.get_absolute_url()}"
    alice_tab = chromium_browser.new_context().new_page()
    bob_tab = chromium_browser.new_context().new_page()

    log_in(alice_tab, base, "alice")
    alice_tab.goto(thread_url)
    alice_tab.get_by_label("Your comment").fill("Who builds the next module?")
    alice_tab.get_by_role("button", name="Post", exact=True).click()
    # The page's script sends it and then loads the page: wait for the comment to show.
    posted = alice_tab.locator("article.post", has_text="Who builds the next module?")
    expect(posted).to_be_visible()
    first = Post.objects.get(body="Who builds the next module?")
    inbox_link = alice_tab.get_by_role("link", name="Notifications", exact=True)
    expect(inbox_link).to_be_visible()  # no count yet

    log_in(bob_tab, base, "bob")
    bob_tab.goto(thread_url)
    bob_tab.locator(f"#post-{first.pk}").get_by_role("link", name="Reply").click()
    bob_tab.locator(f"#reply-slot-post-{first.pk} form").get_by_label("Your reply").fill(
        "Roscosmos, they said."
    )
    bob_tab.locator(f"#reply-slot-post-{first.pk} form").get_by_role(
        "button", name="Post", exact=True
    ).click()
    expect(bob_tab.locator("article.post", has_text="Roscosmos, they said.")).to_be_visible()
    reply = Post.objects.get(body="Roscosmos, they said.")
    drain_queue()  # the worker, as `make run` runs it beside the server

    alice_tab.reload()
    counted = alice_tab.get_by_role("link", name="Notifications: 1 unread")
    expect(counted).to_be_visible()
    counted.click()
    entry = alice_tab.get_by_role("link", name="bob replied to your comment")
    expect(entry).to_be_visible()
    entry.click()
    expect(alice_tab).to_have_url(f"{base}/forum/post/{reply.pk}/")
    expect(alice_tab.locator(f"#post-{reply.pk}")).to_contain_text("Roscosmos, they said.")
    alice_tab.goto(thread_url)
    expect(alice_tab.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
