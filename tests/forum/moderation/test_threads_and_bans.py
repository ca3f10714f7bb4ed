"""Locking and pre-moderating threads, and banning users: from the site and the admin, and
what a banned user meets when posting, voting or reporting."""

import uuid
from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import formats, timezone

from forum import moderation
from forum.models import Ban, Flag, ModerationRecord, Post, Thread, Vote
from tests.factories import make_article, make_moderator, make_post, make_thread, make_user
from tests.markup import Page

pytestmark = pytest.mark.django_db

Action = ModerationRecord.Action
Status = Post.Status


def text_of(response):
    return " ".join(response.content.decode().split())


def reply_data(thread, body="My two cents."):
    return {"body": body, "token": str(uuid.uuid4()), "thread": thread.pk}


def shown_end(ban):
    return formats.date_format(timezone.localtime(ban.until), "DATETIME_FORMAT")


# Threads

THREAD_SITE_ACTIONS = {
    "lock": "moderation:thread-lock",
    "unlock": "moderation:thread-unlock",
    "premoderation-on": "moderation:thread-premoderation-on",
    "premoderation-off": "moderation:thread-premoderation-off",
}
THREAD_ADMIN_ACTIONS = {
    "lock": "lock",
    "unlock": "unlock",
    "premoderation-on": "premoderation_on",
    "premoderation-off": "premoderation_off",
}


@pytest.fixture(params=["site", "admin"])
def act_on_thread(request, client, moderator):
    def on_the_site(name, thread):
        url = reverse(THREAD_SITE_ACTIONS[name], args=[thread.pk])
        return client.post(url, {"next": thread.get_absolute_url()}, follow=True)

    def in_the_admin(name, thread):
        return client.post(
            reverse("admin:forum_thread_changelist"),
            {"action": THREAD_ADMIN_ACTIONS[name], "_selected_action": [thread.pk]},
            follow=True,
        )

    return on_the_site if request.param == "site" else in_the_admin


@pytest.mark.parametrize(
    ("name", "before", "after", "recorded"),
    [
        ("lock", {}, {"is_locked": True}, Action.LOCK),
        ("unlock", {"is_locked": True}, {"is_locked": False}, Action.UNLOCK),
        ("premoderation-on", {}, {"is_premoderated": True}, Action.PREMODERATE_ON),
        (
            "premoderation-off",
            {"is_premoderated": True},
            {"is_premoderated": False},
            Action.PREMODERATE_OFF,
        ),
    ],
)
def test_each_thread_action_changes_the_thread_and_writes_one_record(
    act_on_thread, moderator, name, before, after, recorded
):
    thread = make_thread(**before)

    assert act_on_thread(name, thread).status_code == 200

    stored = Thread.objects.values(*after).get(pk=thread.pk)
    assert stored == after
    record = ModerationRecord.objects.get()
    assert (record.action, record.thread, record.moderator) == (recorded, thread, moderator)


def test_a_lock_with_a_reason_is_explained_to_readers(client, moderator, thread):
    make_post(thread)
    url = reverse("moderation:thread-lock", args=[thread.pk])

    response = client.post(url, {"reason": "Flame war.", "next": thread.get_forum_url()})
    client.logout()

    assert response["Location"] == thread.get_forum_url()
    assert "This discussion is locked: Flame war." in text_of(client.get(thread.get_forum_url()))
    assert ModerationRecord.objects.get().reason == "Flame war."


def test_locking_a_locked_thread_says_so_and_records_nothing(client, moderator):
    thread = make_thread(is_locked=True)
    url = reverse("moderation:thread-lock", args=[thread.pk])

    response = client.post(url, follow=True)

    assert "This thread is already locked." in text_of(response)
    assert not ModerationRecord.objects.exists()


def test_premoderation_holds_a_members_new_post_for_the_queue(client, moderator, thread):
    client.post(reverse("moderation:thread-premoderation-on", args=[thread.pk]))
    member = make_user()
    client.force_login(member)

    client.post(reverse("forum:thread-reply", args=[thread.slug]), reply_data(thread))

    post = Post.objects.get(author=member)
    assert post.status == Status.PENDING
    assert post in Post.objects.awaiting_moderation()


def test_the_thread_admin_does_not_lock_by_editing_the_thread(client, moderator, thread):
    client.post(
        reverse("admin:forum_thread_change", args=[thread.pk]),
        {
            "title": thread.title,
            "slug": thread.slug,
            "created_at_0": "2025-01-01",
            "created_at_1": "12:00:00",
            "is_locked": "on",
            "is_premoderated": "on",
            "lock_reason": "Sneaky.",
        },
    )

    stored = Thread.objects.get(pk=thread.pk)
    assert (stored.is_locked, stored.is_premoderated, stored.lock_reason) == (False, False, "")
    assert not ModerationRecord.objects.exists()


@pytest.mark.parametrize("on_article", [False, True])
def test_moderators_get_the_thread_controls_and_readers_do_not(client, moderator, on_article):
    thread = make_thread(article=make_article() if on_article else None)
    lock_url = reverse("moderation:thread-lock", args=[thread.pk])

    seen_by_moderator = client.get(thread.get_absolute_url()).content.decode()
    client.force_login(make_user())
    seen_by_member = client.get(thread.get_absolute_url()).content.decode()

    assert lock_url in seen_by_moderator and "Hold new posts for moderation" in seen_by_moderator
    assert lock_url not in seen_by_member and "moderation-controls" not in seen_by_member


# Bans


@pytest.mark.parametrize(
    ("duration", "length"),
    [("1", timedelta(days=1)), ("7", timedelta(days=7)), ("30", timedelta(days=30))],
)
def test_a_ban_from_the_ban_page_lasts_the_chosen_time(client, moderator, duration, length):
    member = make_user("troll")
    url = reverse("moderation:user-ban", args=[member.pk])

    response = client.post(
        url, {"reason": "Insults.", "duration": duration, "next": "/forum/"}, follow=True
    )

    assert response.redirect_chain == [("/forum/", 302)]
    assert "troll is banned." in text_of(response)
    ban = Ban.objects.get(user=member)
    assert ban.until - timezone.now() == pytest.approx(length, abs=timedelta(minutes=1))
    assert ModerationRecord.objects.get().action == Action.BAN


def test_a_ban_for_good_has_no_end(client, moderator):
    member = make_user()

    client.post(
        reverse("moderation:user-ban", args=[member.pk]),
        {"reason": "Spam bot.", "duration": "forever"},
    )

    assert Ban.objects.get(user=member).until is None


def test_a_ban_needs_a_reason(client, moderator):
    member = make_user()

    response = client.post(reverse("moderation:user-ban", args=[member.pk]), {"duration": "7"})

    assert response.status_code == 400
    assert "Say why: the banned user will be shown the reason." in text_of(response)
    assert not Ban.objects.exists() and not ModerationRecord.objects.exists()


def test_a_moderator_cannot_ban_themselves(client, moderator):
    url = reverse("moderation:user-ban", args=[moderator.pk])

    response = client.post(url, {"reason": "Oops.", "duration": "1"})

    assert response.status_code == 400
    assert "You cannot ban yourself." in text_of(response)
    assert not Ban.objects.exists()


def test_the_ban_page_shows_the_ban_in_force(client, moderator):
    member = make_user()
    ban = moderation.ban_user(
        user=member,
        moderator=moderator,
        reason="Cool off.",
        until=timezone.now() + timedelta(days=2),
    )

    response = client.get(reverse("moderation:user-ban", args=[member.pk]))

    page = Page(response.content.decode())
    (notice,) = page.find_all("p", "notice-refused")
    shown = " ".join(page.text(notice).split())
    until = formats.date_format(ban.until, "j M Y, H:i T")
    assert shown.startswith(f"Banned now until {until}: Cool off.")


def test_lifting_a_ban_lets_the_user_post_again(client, moderator, thread):
    member = make_user("troll")
    moderation.ban_user(user=member, moderator=moderator, reason="Cool off.")

    response = client.post(reverse("moderation:user-unban", args=[member.pk]), follow=True)

    assert "troll may post again." in text_of(response)
    assert not Ban.objects.active().exists()
    assert ModerationRecord.objects.first().action == Action.UNBAN


def test_lifting_a_ban_nobody_has_says_so(client, moderator):
    member = make_user()

    response = client.post(reverse("moderation:user-unban", args=[member.pk]), follow=True)

    assert "This user is not banned." in text_of(response)
    assert not ModerationRecord.objects.exists()


# What a banned user meets


@pytest.fixture
def banned(client):
    member = make_user("troll")
    ban = moderation.ban_user(
        user=member,
        moderator=make_moderator(),
        reason="Personal attacks.",
        until=timezone.now() + timedelta(days=7),
    )
    client.force_login(member)
    return ban


def test_a_banned_member_who_reports_a_post_is_told_why_and_until_when(client, banned, thread):
    post = make_post(thread)

    response = client.post(reverse("forum:post-flag", args=[post.pk]), {"reason": "spam"})

    assert response.status_code == 403
    assert "Personal attacks." in text_of(response) and shown_end(banned) in text_of(response)
    assert not Flag.objects.exists()


def test_a_banned_member_cannot_vote_and_is_told_why(client, banned, thread):
    post = make_post(thread)

    response = client.post(reverse("forum:post-vote", args=[post.pk]), {"value": "up"})

    assert response.status_code == 403
    assert "Personal attacks." in text_of(response)
    assert not Vote.objects.exists()


def test_a_banned_member_who_votes_is_told_until_when(client, banned, thread):
    post = make_post(thread)

    response = client.post(reverse("forum:post-vote", args=[post.pk]), {"value": "up"})

    assert shown_end(banned) in text_of(response)


def test_a_banned_member_cannot_post_and_sees_why_and_until_when(client, banned, thread):
    url = reverse("forum:thread-reply", args=[thread.slug])

    response = client.post(url, reply_data(thread, "Still here."))

    assert response.status_code == 403
    page = text_of(response)
    assert "Personal attacks." in page and shown_end(banned) in page
    assert "Still here." in page  # the text is given back
    assert not Post.objects.exists()


def test_a_banned_member_cannot_reply_to_a_post(client, banned, thread):
    post = make_post(thread)

    response = client.post(reverse("forum:post-reply", args=[post.pk]), reply_data(thread))

    assert response.status_code == 403
    assert Post.objects.count() == 1


@override_settings(PARLEY_POST_RATE_PER_USER="1/60")
def test_posting_too_fast_is_refused_with_the_wait_and_keeps_the_text(client, thread):
    client.force_login(make_user())
    url = reverse("forum:thread-reply", args=[thread.slug])
    client.post(url, reply_data(thread, "First."))

    response = client.post(url, reply_data(thread, "Second, too soon."))

    assert "You are posting too fast." in text_of(response)
    assert "Second, too soon." in text_of(response)
    assert list(Post.objects.values_list("body", flat=True)) == ["First."]


def test_moderators_see_the_page_of_a_users_ban_from_the_queue(client, moderator, thread):
    member = make_user("troll")
    post = make_post(thread, author=member, status=Status.PENDING)
    moderation.ban_user(user=member, moderator=moderator, reason="Spam.")

    page = Page(client.get(reverse("moderation:queue")).content.decode())

    entry = " ".join(page.text(f"queue-post-{post.pk}").split())
    assert "Banned for good: Spam." in entry and "Lift the ban…" in entry
