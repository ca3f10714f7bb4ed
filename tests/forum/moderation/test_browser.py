"""A moderator removes a reported post from the queue in Chromium; its replies stay readable."""

import re

import pytest
from django.urls import reverse

from forum import moderation, trees
from forum.models import Flag, ModerationRecord, Post
from tests.factories import make_moderator, make_post, make_thread, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "soyuz-ms-09-orbital-module"


def test_a_moderator_removes_a_reported_post_and_its_replies_stay_under_removed(live_server, page):
    from playwright.sync_api import expect

    make_moderator("valentina", password=PASSWORD)
    thread = make_thread("Orbital stations")
    question = make_post(thread, author=make_user("kirk"), body="Which one did I miss?")
    rant = make_post(thread, parent=question, author=make_user("troll"), body="You all miss.")
    answer = make_post(thread, parent=rant, author=make_user("nadia"), body="Not the launch.")
    for _ in range(3):  # the third report hides the post until a moderator decides
        moderation.flag_post(post=rant, reporter=make_user(), reason=Flag.Reason.ABUSE)

    page.goto(live_server.url + thread.get_forum_url())
    page.get_by_role("link", name="Log in", exact=True).click()
    page.get_by_label("Username").fill("valentina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_text("Signed in as")).to_be_visible()

    page.get_by_role("link", name="Moderation").click()
    expect(page).to_have_url(live_server.url + reverse("moderation:queue"))
    entry = page.locator(f"#queue-post-{rant.pk}")
    expect(entry).to_contain_text("You all miss.")
    expect(entry).to_contain_text("3 reports")
    expect(entry).to_contain_text("In reply to kirk: Which one did I miss?")
    entry.get_by_role("link", name="Remove…", exact=True).click()
    page.get_by_label("Reason (optional)").fill("Insults other readers.")
    page.get_by_role("button", name="Remove", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("Removed: its replies stay")
    expect(page.locator(f"#queue-post-{rant.pk}")).to_have_count(0)
    assert Post.objects.get(pk=rant.pk).status == Post.Status.REMOVED
    (record,) = ModerationRecord.objects.filter(action="remove", post=rant)
    assert record.reason == "Insults other readers."
    assert trees.tree_faults() == []

    page.goto(live_server.url + thread.get_forum_url())
    expect(page.locator(f"#post-{rant.pk}")).to_contain_text("removed")  # moderators read on
    page.get_by_role("button", name="Log out").click()
    page.goto(live_server.url + thread.get_forum_url())
    removed = page.locator(f"#post-{rant.pk}")
    expect(removed).to_have_text(re.compile(r"^\s*\[removed\]\s*$"))
    expect(page.locator(f"#replies-{rant.pk} #post-{answer.pk}")).to_contain_text(
        "Not the launch."
    )
    expect(page.locator(f"#post-{question.pk}")).to_contain_text("Which one did I miss?")
