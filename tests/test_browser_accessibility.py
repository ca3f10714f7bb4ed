"""axe-core finds nothing on every kind of page, at phone and desktop widths, light and dark;
the suite keeps screenshots of the seeded article for the README.

axe-core comes from npm, pinned in package.json (`npm ci` puts it in node_modules/), and is
injected with page.evaluate, so the site's Content-Security-Policy stays on; no rule is off.
"""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from forum import moderation, services
from forum.models import Flag, Post
from tests.conftest import unavailable
from tests.factories import make_moderator, make_post, make_user
from tests.notifications.conftest import drain_queue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
PASSWORD = "soyuz-ms-09-orbital-module"
WIDTHS = {"phone": 360, "desktop": 1280}
SCHEMES = ["light", "dark"]


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.exists():
        unavailable(f"{AXE} is missing: run `npm ci` in the project")
    return AXE.read_text()


def violations(page, axe_source):
    """axe's violations on the page as it stands, each as rule: the selectors it failed on."""
    page.evaluate(axe_source)
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return {
        violation["id"]: [node["target"] for node in violation["nodes"]] for violation in found
    }


def log_in(page, base, username):
    page.goto(base + reverse("login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def seeded():
    """The seed article and its discussion, found by search; a member, a moderator and a
    reported comment."""
    call_command("loaddata", "seed", verbosity=0)
    call_command("rebuild_search_index", stdout=StringIO())  # loaddata tells the index nothing
    kirk = Post.objects.get(author_name="Kirk", body__contains="Which one did I miss?")
    make_user("valentina", password=PASSWORD)
    make_moderator("svetlana", password=PASSWORD)
    moderation.flag_post(post=kirk, reporter=make_user(), reason=Flag.Reason.SPAM)
    return kirk


def reply_to_valentina(kirk):
    """A reply to a comment of valentina's, of which the worker tells her in her inbox, and a
    discussion she started, where her comments wear "OP" and the moderator's "moderator"."""
    users = get_user_model().objects
    valentina, svetlana = users.get(username="valentina"), users.get(username="svetlana")
    question = make_post(kirk.thread, parent=kirk, author=valentina, body="The Soyuz launch?")
    make_post(kirk.thread, parent=question, author=svetlana, body="That one, yes.")
    started = services.start_thread(title="Which station next?", author=valentina, body="Ideas?")
    answer = make_post(started, parent=started.opening_post, author=svetlana, body="Tiangong.")
    make_post(started, parent=answer, author=valentina, body="Why?")
    drain_queue()
    return started


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_axe_finds_nothing_on_any_kind_of_page(
    live_server, chromium_browser, axe_source, seeded, width, scheme
):
    thread = seeded.thread
    base = live_server.url
    context = chromium_browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme
    )
    page = context.new_page()
    found = {}

    def check(kind, url=None):
        if url is not None:
            page.goto(base + url)
        found[kind] = violations(page, axe_source)

    check("front page", "/")
    check("article", thread.article.get_absolute_url())
    page.evaluate("document.getElementById('comments').scrollIntoView()")  # where it opens
    page.screenshot(path=SCREENSHOTS / f"article-{width}-{scheme}.png")
    started = reply_to_valentina(seeded)  # after the screenshots: the seeded article as it is
    check("thread", thread.get_forum_url())
    check("discussion started in the forum, with badges", started.get_absolute_url())
    assert sorted(page.locator(".badge-role").all_inner_texts()) == ["OP", "OP", "moderator"]
    check("permalink", seeded.get_absolute_url())
    check("search results", reverse("search:results") + "?q=station")
    assert page.locator(".search-result").count() > 1  # checked with results on it
    check("sign-up", reverse("accounts:signup"))
    check("log-in", reverse("login"))
    log_in(page, base, "valentina")
    page.goto(base + thread.article.get_absolute_url())  # keeps the members' frame
    check("article as a member, from the kept frame", thread.article.get_absolute_url())
    page.goto(base + reverse("forum:post-reply", kwargs={"pk": seeded.pk}))
    page.get_by_role("button", name="Post", exact=True).click()  # with nothing written
    page.wait_for_selector(".errorlist")
    check("reply form with an error")
    check("profile", reverse("accounts:profile", kwargs={"username": "valentina"}))
    check("notifications inbox", reverse("notifications:inbox"))
    assert page.get_by_role("link", name="svetlana replied to your comment").count() == 2
    check("settings", reverse("accounts:settings"))
    context.clear_cookies()
    log_in(page, base, "svetlana")
    page.goto(base + thread.get_forum_url())  # keeps the moderators' frame
    check("thread as a moderator, from the kept frame", thread.get_forum_url())
    check("moderation queue", reverse("moderation:queue"))
    context.close()

    assert {kind: rules for kind, rules in found.items() if rules} == {}, json.dumps(
        found, indent=1
    )
