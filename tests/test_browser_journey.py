"""A whole visit in Chromium: a newcomer joins the seeded discussion, a moderator steps in, and
the newcomer comes back with JavaScript off."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from accounts.models import Profile
from forum.models import Flag, ModerationRecord, Post, Vote
from tests.factories import make_moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "soyuz-ms-09-orbital-module"
FIRST_REPLY = "The other one was found on the ground, before launch."
EDITED_REPLY = "The other one was found on the ground, two days before launch."
SECOND_REPLY = "Read again without scripts: the Progress cargo ship, surely."


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def log_in(page, username):
    page.get_by_role("link", name="Log in", exact=True).click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()


def portrait_png():
    buffer = io.BytesIO()
    Image.new("RGB", (320, 480), "darkorange").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_newcomer_takes_part_a_moderator_removes_and_the_page_works_without_scripts(
    live_server, chromium_browser
):
    from playwright.sync_api import expect

    call_command("loaddata", "seed", verbosity=0)  # the live server's database starts empty
    make_moderator("sergei", password=PASSWORD)
    answer = Post.objects.filter(level=1).order_by("pk").first()  # a reply to a top-level post
    question = answer.parent
    article_url = live_server.url + answer.thread.article.get_absolute_url()
    member = chromium_browser.new_context()
    page = member.new_page()

    # Sign up, out, and in again.
    page.goto(article_url)
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("valentina")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation:").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(article_url)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()
    page.goto(article_url)
    log_in(page, "valentina")
    expect(page.get_by_text("Signed in as")).to_contain_text("valentina")

    # A profile with a display name and a picture of her own.
    page.goto(live_server.url + reverse("accounts:settings"))
    profile_form = page.locator("#profile form")
    profile_form.get_by_label("Display name").fill("Valentina T.")
    profile_form.get_by_label("Avatar").set_input_files(
        {"name": "me.png", "mimeType": "image/png", "buffer": portrait_png()}
    )
    profile_form.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    page.get_by_role("link", name="See your profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"Valentina T\.\s+@valentina")
    )
    avatar = page.locator(".profile-header img.avatar")
    expect(avatar).to_have_js_property("naturalWidth", 128)  # served by the site and decoded
    assert Profile.objects.get(user__username="valentina").avatar.name.endswith(".webp")

    # A reply at the third level, opened in place.
    page.goto(article_url)
    page.locator(f"#post-{answer.pk}").get_by_role("link", name="Reply").click()
    reply_form = page.locator(f"#reply-slot-post-{answer.pk} form")
    reply_form.get_by_label("Your reply").fill(FIRST_REPLY)
    expect(page).to_have_url(article_url)
    reply_form.get_by_role("button", name="Post", exact=True).click()
    expect(page).to_have_url(re.compile(r"#post-\d+$"))
    reply = Post.objects.get(body=FIRST_REPLY)
    assert (reply.parent_id, reply.level) == (answer.pk, 2)
    expect(page.locator(f"#replies-{answer.pk} #post-{reply.pk}")).to_contain_text(FIRST_REPLY)

    # Edit it, then delete it.
    page.locator(f"#post-{reply.pk}").get_by_role("link", name="Edit").click()
    page.get_by_role("textbox").first.fill(EDITED_REPLY)
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.locator(f"#post-{reply.pk}")).to_contain_text(EDITED_REPLY)
    reply.refresh_from_db()
    assert reply.body == EDITED_REPLY and reply.edited_at is not None
    page.locator(f"#post-{reply.pk}").get_by_role("link", name="Delete").click()
    page.get_by_role("button", name="Delete the comment").click()
    expect(page.get_by_text(EDITED_REPLY)).to_have_count(0)
    assert Post.objects.get(pk=reply.pk).status == Post.Status.DELETED

    # Vote, sort, report.
    page.goto(article_url)
    page.locator(f"#post-{answer.pk}").get_by_role("button", name="Vote up").click()
    expect(
        page.locator(f"#post-{answer.pk}").get_by_role("button", name="Vote up")
    ).to_have_attribute("aria-pressed", "true")
    assert Vote.objects.get(post=answer, user__username="valentina").value == 1
    sort = page.get_by_role("navigation", name="Sort the comments")
    sort.get_by_role("link", name="Newest").click()
    expect(page).to_have_url(re.compile(r"sort=newest"))
    expect(sort.get_by_role("link", name="Newest")).to_have_attribute("aria-current", "true")
    page.locator(f"#post-{question.pk}").get_by_role("link", name="Report").click()
    page.get_by_label("off-topic").check()
    page.get_by_role("button", name="Send the report").click()
    assert Flag.objects.get(post=question).reason == Flag.Reason.OFF_TOPIC
    member.close()

    # A moderator removes the reported post with a reason, from the queue's form for the
    # selected posts (main's one-button Remove asks no reason yet).
    moderator = chromium_browser.new_context()
    page = moderator.new_page()
    page.goto(article_url)
    log_in(page, "sergei")
    page.get_by_role("link", name="Moderation").click()
    page.locator(f"#queue-post-{question.pk}").get_by_label(f"Select post {question.pk}").check()
    page.get_by_label("With the selected posts").select_option("remove")
    page.get_by_label("Reason").fill("Off topic: this discussion is about the station.")
    page.get_by_role("button", name="Apply to the selected posts").click()
    expect(page.locator(f"#queue-post-{question.pk}")).to_have_count(0)
    assert Post.objects.get(pk=question.pk).status == Post.Status.REMOVED
    record = ModerationRecord.objects.get(action="remove", post=question)
    assert record.reason == "Off topic: this discussion is about the station."
    moderator.close()

    # Back without JavaScript: the removed post keeps its place, and replying still works.
    no_script = chromium_browser.new_context(java_script_enabled=False)
    page = no_script.new_page()
    page.goto(article_url)
    log_in(page, "valentina")
    page.goto(article_url)
    expect(page.locator(f"#post-{question.pk}")).to_have_text(re.compile(r"^\s*\[removed\]\s*$"))
    page.locator(f"#post-{answer.pk}").get_by_role("link", name="Reply").click()
    expect(page).to_have_url(re.compile(rf"/forum/post/{answer.pk}/reply/"))
    page.get_by_role("textbox", name="Your reply").fill(SECOND_REPLY)
    page.get_by_role("button", name="Post", exact=True).click()
    second = Post.objects.get(body=SECOND_REPLY)
    assert (second.parent_id, second.author.get_username()) == (answer.pk, "valentina")
    expect(page).to_have_url(re.compile(rf"#post-{second.pk}$"))
    expect(page.locator(f"#post-{second.pk}")).to_contain_text(SECOND_REPLY)
    no_script.close()
