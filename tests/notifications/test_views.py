"""The inbox and its count in the header, following, muting and the settings page, in use."""

import re

import pytest

from notifications import following
from notifications.models import Follow, Mute, Notification, Preferences
from tests.markup import Page

from .helpers import post

pytestmark = pytest.mark.django_db


def unread_count(response):
    found = re.search(rb'<span class="unread-count">(\d+)</span>', response.content)
    return int(found.group(1)) if found else 0


@pytest.fixture
def replied(django_capture_on_commit_callbacks, run_tasks, thread, alice, bob):
    """alice's post, and bob's reply to it, notified."""
    first = post(django_capture_on_commit_callbacks, thread=thread, author=alice, body="Hello.")
    reply = post(
        django_capture_on_commit_callbacks, thread=thread, author=bob, body="Hi!", parent=first
    )
    run_tasks()
    return reply


def test_the_header_shows_the_unread_count_and_opening_one_marks_it_read(
    client, replied, thread, alice
):
    client.force_login(alice)
    page = client.get(thread.get_absolute_url())
    assert unread_count(page) == 1
    inbox = client.get("/notifications/")
    assert b"bob replied to your comment" in inbox.content
    notification = Notification.objects.get(recipient=alice)
    opened = client.get(f"/notifications/{notification.pk}/")
    assert opened.status_code == 302
    assert opened["Location"] == f"/forum/post/{replied.pk}/"
    assert Notification.objects.get(recipient=alice).read_at is not None
    assert unread_count(client.get(thread.get_absolute_url())) == 0


def test_the_inbox_lists_newest_first_and_mark_all_read_is_a_post(
    client, django_capture_on_commit_callbacks, run_tasks, replied, thread, alice, carol
):
    post(django_capture_on_commit_callbacks, thread=thread, author=carol, body="Later @alice")
    run_tasks()
    client.force_login(alice)
    inbox = client.get("/notifications/").content.decode()
    assert inbox.index("carol mentioned you") < inbox.index("bob replied to your comment")
    assert client.get("/notifications/read/").status_code == 405
    assert Notification.objects.filter(recipient=alice, read_at=None).count() == 2
    client.post("/notifications/read/")
    assert Notification.objects.filter(recipient=alice, read_at=None).count() == 0


def test_someone_elses_notification_is_not_found(client, replied, bob):
    client.force_login(bob)
    response = client.get(f"/notifications/{Notification.objects.get().pk}/")
    assert response.status_code == 404
    assert Notification.objects.get().read_at is None


def test_the_inbox_asks_an_anonymous_reader_to_log_in(client):
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_follow_and_unfollow_from_the_discussion_page(client, thread, carol):
    client.force_login(carol)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert ">Follow</button>" in page
    client.post(f"/notifications/follow/{thread.pk}/", {"next": thread.get_absolute_url()})
    assert Follow.objects.filter(user=carol, thread=thread).exists()
    page = client.get(thread.get_absolute_url()).content.decode()
    assert ">Unfollow</button>" in page
    client.post(f"/notifications/follow/{thread.pk}/", {"follow": "off"})
    assert not Follow.objects.filter(user=carol, thread=thread).exists()


def test_an_anonymous_reader_gets_no_follow_control_but_one_way_in_then_follow(
    client, thread, carol
):
    page = Page(client.get(thread.get_absolute_url()).content.decode())
    assert not [form for form in page.find_all("form") if "follow-form" in form.classes]
    (login,) = [a for a in page.find_all("a") if page.text(a).startswith("Log in to")]
    assert page.text(login) == "Log in to join the discussion"

    client.force_login(carol)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert ">Follow</button>" in page


def test_settings_lists_followed_discussions_and_saves_preferences(client, thread, carol):
    following.follow(user=carol, thread=thread)
    client.force_login(carol)
    page = client.get("/accounts/settings/").content.decode()
    assert "Orbital stations" in page.split('id="following"')[1]
    response = client.post(
        "/accounts/settings/",
        {
            "section": "notifications",
            "reply": "digest",
            "mention": "inbox",
            "followed": "immediate",
            "decision": "inbox",
        },
    )
    assert response.status_code == 302
    prefs = Preferences.objects.get(user=carol)
    assert (prefs.reply, prefs.mention, prefs.followed, prefs.auto_follow) == (
        "digest",
        "inbox",
        "immediate",
        False,
    )


def test_a_bad_preference_is_refused_with_a_message(client, carol):
    client.force_login(carol)
    response = client.post("/accounts/settings/", {"section": "notifications", "reply": "loud"})
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    assert not Preferences.objects.filter(user=carol, reply="loud").exists()


def test_mute_from_the_profile_folds_their_posts_and_unmute_from_settings(
    client, django_capture_on_commit_callbacks, thread, alice, bob
):
    post(django_capture_on_commit_callbacks, thread=thread, author=bob, body="Loud opinion.")
    client.force_login(alice)
    assert ">Mute</button>" in client.get("/accounts/bob/").content.decode()
    client.post("/notifications/mute/bob/")
    assert Mute.objects.filter(user=alice, muted=bob).exists()
    page = client.get(thread.get_absolute_url()).content.decode()
    assert '<details class="muted-post">' in page
    assert "A comment by bob, whom you muted" in page
    assert "Loud opinion." in page  # folded, one click away
    client.logout()
    client.force_login(bob)
    assert "muted-post" not in client.get(thread.get_absolute_url()).content.decode()
    client.force_login(alice)
    assert "bob" in client.get("/accounts/settings/").content.decode().split('id="muted"')[1]
    client.post("/notifications/mute/bob/", {"mute": "off"})
    assert not Mute.objects.filter(user=alice).exists()
    assert "muted-post" not in client.get(thread.get_absolute_url()).content.decode()


def test_the_settings_page_takes_back_each_follow_and_mute_with_its_own_button(
    client, thread, alice, bob
):
    following.follow(user=alice, thread=thread)
    following.mute(user=alice, muted=bob)
    client.force_login(alice)
    page = Page(client.get("/accounts/settings/").content.decode())
    forms = page.find_all("form", "inline-form")
    assert [form.nearest("section").attrs["id"] for form in forms] == ["following", "muted"]

    for form in forms:
        inputs = [i for i in page.find_all("input") if i.nearest("form") is form]
        response = client.post(
            form.attrs["action"], {i.attrs["name"]: i.attrs["value"] for i in inputs}
        )
        assert response.url == f"/accounts/settings/#{form.nearest('section').attrs['id']}"

    assert not Follow.objects.filter(user=alice).exists()
    assert not Mute.objects.filter(user=alice).exists()
    page = Page(client.get("/accounts/settings/").content.decode())
    assert " ".join(page.text("following").split()) == (
        "Discussions you follow None yet. Follow a discussion from its page, or write in one."
    )
    assert " ".join(page.text("muted").split()).startswith("Muted users Nobody. Mute someone")


def test_nobody_can_mute_themselves(client, alice):
    client.force_login(alice)
    client.post("/notifications/mute/alice/")
    assert not Mute.objects.exists()


def test_an_address_is_reverified_from_the_settings_page(
    client, django_capture_on_commit_callbacks, run_tasks, carol
):
    from django.core import mail

    client.force_login(carol)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/settings/", {"section": "email", "email": "carol@example.org"}
        )
    assert response.status_code == 302
    carol.refresh_from_db()
    assert carol.email == "carol@example.org"
    page = client.get("/accounts/settings/").content.decode()
    assert "not verified" in page
    run_tasks()
    (message,) = mail.outbox
    assert message.to == ["carol@example.org"]
    assert "/notifications/verify/" in message.body


def test_a_bad_address_is_refused_and_kept_in_the_form(client, carol):
    client.force_login(carol)
    response = client.post("/accounts/settings/", {"section": "email", "email": "not an address"})
    assert response.status_code == 400
    assert b"Enter a valid email address" in response.content
    assert b'value="not an address"' in response.content
    carol.refresh_from_db()
    assert carol.email == ""
