"""Notification mail: only to verified addresses, with unsubscribe links, retried, swept."""

from datetime import timedelta

import pytest
from django.core import mail as outbox
from django.utils import timezone

from notifications import digests, following, sweep, tokens
from notifications import mail as sending
from notifications.models import Digest, Email, Preferences

from .helpers import post

pytestmark = pytest.mark.django_db


def verified(user, email=None):
    user.email = email or f"{user.username}@example.org"
    user.save()
    prefs = following.preferences_of(user)
    prefs.verified_email = user.email
    prefs.save()
    return prefs


def test_a_reply_mails_a_verified_author_with_text_html_and_one_click_unsubscribe(
    django_capture_on_commit_callbacks, run_tasks, thread, alice, bob
):
    verified(alice)
    first = post(django_capture_on_commit_callbacks, thread=thread, author=alice, body="Hello.")
    reply = post(
        django_capture_on_commit_callbacks,
        thread=thread,
        author=bob,
        body="Ask **@alice** <script>x</script>",
        parent=first,
    )
    run_tasks()
    (message,) = outbox.outbox
    assert message.to == ["alice@example.org"]
    assert message.subject == "bob replied to your comment in “Orbital stations”"
    assert f"https://parley.test/forum/post/{reply.pk}/" in message.body
    assert "Ask @alice <script>x</script>" in message.body  # plain text shows what was written
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<a href="https://parley.test/accounts/alice/"' in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<script>" not in html
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith("https://parley.test/notifications/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Email.objects.get().status == Email.Status.SENT


def test_an_unverified_address_gets_no_mail_though_the_inbox_does(
    django_capture_on_commit_callbacks, run_tasks, thread, alice, bob, carol
):
    alice.email = "alice@example.org"
    alice.save()
    verified(carol)
    first = post(django_capture_on_commit_callbacks, thread=thread, author=alice, body="Hi @carol")
    post(django_capture_on_commit_callbacks, thread=thread, author=bob, body="Hi.", parent=first)
    run_tasks()
    assert [m.to for m in outbox.outbox] == [["carol@example.org"]]
    assert alice.notifications.count() == 1


def test_unsubscribing_needs_no_login_and_a_get_changes_nothing(
    client, django_capture_on_commit_callbacks, run_tasks, thread, alice, bob
):
    verified(alice)
    url = tokens.unsubscribe_url(alice.pk, "reply").removeprefix("https://parley.test")
    page = client.get(url)
    assert page.status_code == 200
    assert b"Stop emails about replies to your comments?" in page.content
    assert Preferences.objects.get(user=alice).reply == "immediate"
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert b"You are unsubscribed" in response.content
    assert Preferences.objects.get(user=alice).reply == "inbox"
    first = post(django_capture_on_commit_callbacks, thread=thread, author=alice, body="Hello.")
    post(django_capture_on_commit_callbacks, thread=thread, author=bob, body="Hi.", parent=first)
    run_tasks()
    assert outbox.outbox == []
    assert alice.notifications.count() == 1


def test_a_forged_unsubscribe_link_is_refused(client, alice):
    response = client.post("/notifications/unsubscribe/forged-token/")
    assert response.status_code == 400
    assert b"This link is not valid" in response.content


def test_sign_up_mails_a_verification_link_that_verifies_on_post(
    client, django_capture_on_commit_callbacks, run_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/signup/",
            {
                "username": "dora",
                "email": "dora@example.org",
                "password1": "a long enough passphrase",
                "password2": "a long enough passphrase",
            },
        )
    assert outbox.outbox == []  # never inside the request
    run_tasks()
    (message,) = outbox.outbox
    assert message.to == ["dora@example.org"]
    link = next(line for line in message.body.splitlines() if "/notifications/verify/" in line)
    path = link.strip().removeprefix("https://parley.test")
    assert client.get(path).status_code == 200
    assert not Preferences.objects.filter(user__username="dora").exclude(verified_email="")
    response = client.post(path)
    assert b"Address confirmed" in response.content
    assert Preferences.objects.get(user__username="dora").verified_email == "dora@example.org"


def test_a_failing_send_is_retried_with_back_off_then_marked_failed(settings, alice):
    settings.EMAIL_BACKEND = "tests.notifications.failing_mail.Backend"
    settings.PARLEY_NOTIFY_EMAIL_ATTEMPTS = 3
    (email,) = sending.queue(
        [Email(recipient=alice, to="a@example.org", subject="s", body_text="t")]
    )
    waits = []
    for _ in range(3):
        before = timezone.now()
        sending.send(email.pk)
        email.refresh_from_db()
        waits.append(round((email.next_attempt_at - before).total_seconds() / 60))
        Email.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    assert waits[:2] == [1, 2]  # a minute, then twice that
    assert (email.status, email.attempts) == (Email.Status.FAILED, 3)
    assert "SMTP is down" in email.last_error


def test_the_sweep_requeues_mail_a_dead_worker_left_sending(run_tasks, alice):
    (email,) = sending.queue(
        [Email(recipient=alice, to="a@example.org", subject="s", body_text="t")]
    )
    long_ago = timezone.now() - timedelta(hours=1)
    Email.objects.filter(pk=email.pk).update(status=Email.Status.SENDING, claimed_at=long_ago)
    run_tasks()
    assert outbox.outbox == []  # its task found it claimed
    assert sweep.requeue_stale() == 1
    run_tasks()
    assert [m.subject for m in outbox.outbox] == ["s"]
    assert Email.objects.get().status == Email.Status.SENT


def test_the_daily_digest_goes_once_per_user_and_day(
    settings, django_capture_on_commit_callbacks, run_tasks, thread, alice, bob
):
    verified(alice)
    following.follow(user=alice, thread=thread)
    post(django_capture_on_commit_callbacks, thread=thread, author=bob, body="News.")
    run_tasks()
    assert outbox.outbox == []  # followed discussions go to the digest by default
    settings.PARLEY_NOTIFY_DIGEST_HOUR = 0  # due from midnight: this test runs at any hour
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.send_due(now) == 1
        assert digests.send_due(now) == 0  # a second worker, or a second cron run
    run_tasks()
    (message,) = outbox.outbox
    assert message.subject == "Your Parley digest: 1 new notification"
    assert "bob commented in “Orbital stations”" in message.body
    assert "List-Unsubscribe" in message.extra_headers
    assert Digest.objects.filter(user=alice).count() == 1


def test_unsubscribing_from_the_digest_turns_its_kinds_to_inbox_only(client, alice):
    verified(alice)
    url = tokens.unsubscribe_url(alice.pk, "digest").removeprefix("https://parley.test")
    assert b"Stop the daily digest?" in client.get(url).content
    client.post(url)
    prefs = Preferences.objects.get(user=alice)
    assert (prefs.followed, prefs.reply) == ("inbox", "immediate")
