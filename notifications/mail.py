"""The outbox: each email a row, sent by a task, retried with back-off, finally marked failed.

Nothing here sends inside a web request: requests and fan-outs add rows and queue a task each.
"""

import logging
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from . import conf, messages
from .models import Email, Preferences

logger = logging.getLogger(__name__)


def queue(emails: list[Email]) -> list[Email]:
    """Store these messages and queue one sending task each, once the rows commit."""
    from . import tasks  # tasks imports this module

    made = Email.objects.bulk_create(emails)
    pks = [email.pk for email in made]

    def enqueue():
        for pk in pks:
            tasks.send_email.enqueue(pk)

    transaction.on_commit(enqueue)
    return made


def queue_immediate(post, kinds: dict[int, str], *, reason: str = "") -> list[Email]:
    """Queue a message to each of these readers who asked for this kind by email at once."""
    prefs = Preferences.objects.filter(user_id__in=list(kinds)).exclude(verified_email="")
    emails = []
    for pref in prefs.select_related("user"):
        kind = kinds[pref.user_id]
        to = pref.email_address()
        if to and pref.delivery(kind) == "immediate":
            emails.append(messages.notification_email(pref.user, to, post, kind, reason))
    return queue(emails) if emails else []


def send(email_pk: int) -> str:
    """Send one due message, claimed so that no other worker sends it too; its status after."""
    now = timezone.now()
    claimed = Email.objects.due(now).filter(pk=email_pk)
    if not claimed.update(status=Email.Status.SENDING, claimed_at=now):
        return "not due"  # sent, failed, claimed by another worker, or waiting for its retry
    email = Email.objects.get(pk=email_pk)
    email.attempts += 1
    try:
        message(email).send()
    except Exception as error:  # any transport failure: SMTP, DNS, a refused login
        return _failed(email, error)
    email.status, email.sent_at, email.last_error = Email.Status.SENT, timezone.now(), ""
    email.save(update_fields=["status", "sent_at", "attempts", "last_error"])
    return email.status


def _failed(email, error) -> str:
    from . import tasks

    email.last_error = f"{type(error).__name__}: {error}"[:2000]
    if email.attempts >= conf.settings.EMAIL_ATTEMPTS:
        email.status = Email.Status.FAILED
        logger.error("Giving up on email %s after %s attempts", email.pk, email.attempts)
    else:
        email.status = Email.Status.QUEUED
        wait = conf.settings.RETRY_SECONDS * 2 ** (email.attempts - 1)
        email.next_attempt_at = timezone.now() + timedelta(seconds=wait)
        tasks.send_email.using(run_after=email.next_attempt_at).enqueue(email.pk)
    email.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])
    return email.status


def message(email: Email) -> EmailMultiAlternatives:
    """The message to send: plain text, HTML beside it, and RFC 8058's one-click headers."""
    headers = {}
    if email.unsubscribe_url:
        headers = {
            "List-Unsubscribe": f"<{email.unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    built = EmailMultiAlternatives(email.subject, email.body_text, to=[email.to], headers=headers)
    if email.body_html:
        built.attach_alternative(email.body_html, "text/html")
    return built


def enqueue_due() -> int:
    """Queue again the messages whose retry is due but whose deferred task never ran."""
    from . import tasks

    # A minute's grace: the deferred task itself normally runs at next_attempt_at.
    late = timezone.now() - timedelta(seconds=60)
    pks = list(Email.objects.due(late).values_list("pk", flat=True)[:1000])
    for pk in pks:
        tasks.send_email.enqueue(pk)
    return len(pks)
