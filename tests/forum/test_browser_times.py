"""Times in words with JavaScript, exact with their zone without it, in Chromium."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum.models import Post
from tests.factories import make_post, make_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def three_hours_old():
    thread = make_thread("Times")
    post = make_post(thread, author_name="Kirk", body="Posted a while ago.")
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(hours=3))
    post.refresh_from_db()
    return post


def test_with_javascript_a_time_reads_in_words_and_the_exact_time_shows_on_hover(
    live_server, chromium_browser, three_hours_old
):
    context = chromium_browser.new_context(timezone_id="Asia/Tokyo", locale="en-US")
    page = context.new_page()
    page.goto(live_server.url + three_hours_old.thread.get_forum_url())

    time = page.locator(f"#post-{three_hours_old.pk} .post-permalink time")

    assert time.inner_text() == "3 hours ago"
    local = three_hours_old.created_at.astimezone(timezone.get_fixed_timezone(9 * 60))
    assert f"{local:%b} {local.day}, {local:%Y, %I:%M %p} GMT+9" == time.get_attribute("title")
    context.close()


def test_without_javascript_a_time_is_exact_with_its_zone(
    live_server, chromium_browser, three_hours_old
):
    context = chromium_browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + three_hours_old.thread.get_forum_url())

    time = page.locator(f"#post-{three_hours_old.pk} .post-permalink time")

    created = three_hours_old.created_at
    assert time.inner_text() == f"{created.day} {created:%b %Y, %H:%M} UTC"
    context.close()
