"""The audit log page: every moderation action, filtered by moderator, user or thread."""

import pytest
from django.urls import reverse

from forum import moderation
from forum.models import ModerationRecord
from forum.moderation.views import actions as moderation_views
from tests.factories import make_moderator, make_post, make_thread, make_user
from tests.markup import Page

pytestmark = pytest.mark.django_db

Action = ModerationRecord.Action


@pytest.fixture
def moderator(client):
    user = make_moderator("mod")
    client.force_login(user)
    return user


@pytest.fixture
def history(moderator):
    """Two moderators' actions on two users' posts in two threads, oldest first."""
    other = make_moderator("other")
    kirk, rudy = make_user("kirk"), make_user("rudy")
    stations, pads = make_thread("Orbital stations"), make_thread("Launch pads")
    moderation.remove_post(
        post=make_post(stations, author=kirk), moderator=moderator, reason="Insults."
    )
    moderation.mark_spam(post=make_post(pads, author=rudy), moderator=other)
    moderation.lock_thread(thread=stations, moderator=other, reason="Flame war.")
    return {"other": other, "kirk": kirk, "stations": stations, "pads": pads}


def shown_actions(response):
    return [(r.moderator_name, r.action) for r in response.context["page"].object_list]


def test_the_log_lists_every_action_newest_first(client, history):
    response = client.get(reverse("moderation:log"))

    assert shown_actions(response) == [
        ("other", Action.LOCK),
        ("other", Action.SPAM),
        ("mod", Action.REMOVE),
    ]
    page = Page(response.content.decode())
    (table,) = page.find_all("table", "audit-log")
    text = " ".join(page.text(table).split())
    assert "mod remove post" in text and "kirk Orbital stations Insults." in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"moderator": "mod"}, [("mod", Action.REMOVE)]),
        ({"user": "rudy"}, [("other", Action.SPAM)]),
        ({"moderator": "other", "action": "lock"}, [("other", Action.LOCK)]),
    ],
)
def test_the_log_filters_by_moderator_user_and_action(client, history, query, expected):
    assert shown_actions(client.get(reverse("moderation:log"), query)) == expected


def test_the_log_filters_by_thread(client, history):
    response = client.get(reverse("moderation:log"), {"thread": history["stations"].pk})

    assert shown_actions(response) == [("other", Action.LOCK), ("mod", Action.REMOVE)]


def test_an_unknown_filter_value_shows_nothing_rather_than_everything(client, history):
    response = client.get(reverse("moderation:log"), {"user": "nobody"})

    assert shown_actions(response) == []
    assert "No records match these filters." in response.content.decode()


def test_the_logs_pages_keep_the_filters(client, moderator, monkeypatch):
    monkeypatch.setattr(moderation_views, "LOG_PER_PAGE", 1)
    thread = make_thread()
    for _ in range(2):
        moderation.remove_post(post=make_post(thread), moderator=moderator, reason="")
    moderation.lock_thread(thread=make_thread(), moderator=moderator, reason="")

    response = client.get(reverse("moderation:log"), {"thread": thread.pk})

    page = Page(response.content.decode())
    (older,) = (link for link in page.find_all("a") if link.attrs.get("rel") == "next")
    assert older.attrs["href"] == f"?thread={thread.pk}&page=2"
    second = client.get(reverse("moderation:log") + older.attrs["href"])
    assert [r.action for r in second.context["page"].object_list] == [Action.REMOVE]
    assert "Page 2 of 2" in second.content.decode()


def test_the_log_page_takes_no_writes(client, history):
    response = client.post(reverse("moderation:log"), {"moderator": "mod"})

    assert response.status_code == 405
    assert ModerationRecord.objects.count() == 3


def test_a_thread_number_no_thread_can_have_is_refused_with_a_message(client, history):
    # Found by the fuzz suite: SQLite raised OverflowError on a number past any id.
    response = client.get(reverse("moderation:log"), {"thread": "9" * 30})

    assert response.status_code == 200
    assert "There is no discussion with this number." in response.content.decode()
