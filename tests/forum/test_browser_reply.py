"""A new reader joins the seeded discussion in Chromium, replying in place with JavaScript."""

import re

import pytest
from django.core.management import call_command

from forum.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "soyuz-ms-09-orbital-module"
REPLY = "The other one was found on the ground, before launch."


def test_a_new_member_replies_to_kirk_in_place_and_folds_that_subtree_away(live_server, page):
    from playwright.sync_api import expect

    call_command("loaddata", "seed", verbosity=0)  # the live server's database starts empty
    kirk = Post.objects.get(author_name="Kirk", body__contains="Which one did I miss?")
    article_url = live_server.url + kirk.thread.article.get_absolute_url()

    page.goto(article_url)
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("valentina")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation:").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(article_url)

    kirks_post = page.locator(f"#post-{kirk.pk}")
    kirks_post.get_by_role("link", name="Reply").click()
    reply_form = page.locator(f"#reply-slot-post-{kirk.pk} form")
    reply_form.get_by_label("Your reply").fill(REPLY)
    expect(page).to_have_url(article_url)  # the form opened in place, under Kirk's post
    reply_form.get_by_role("button", name="Post", exact=True).click()

    expect(page).to_have_url(re.compile(r"#post-\d+$"))
    reply = Post.objects.get(body=REPLY)
    assert (reply.parent_id, reply.author.get_username()) == (kirk.pk, "valentina")
    assert page.url == f"{article_url}#post-{reply.pk}"
    shown_reply = page.locator(f"#replies-{kirk.pk} > li > #post-{reply.pk}")
    expect(shown_reply).to_be_visible()
    expect(shown_reply).to_contain_text(REPLY)

    kirks_fold = page.locator(f"details:has(> #replies-{kirk.pk})")
    kirks_fold.locator("> summary").click()
    expect(shown_reply).to_be_hidden()
    expect(kirks_post).to_be_hidden()  # folded with its replies, Reddit-style
    summary = kirks_fold.locator("> summary")
    expect(summary).to_have_text(re.compile(r"Kirk, with \d+ repl"), use_inner_text=True)
