"""The daily digest: once per user and day, whichever worker or cron run gets there first."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from . import conf, mail, messages
from .models import DECISIONS, Delivery, Digest, Notification, Preferences

DIGEST_LIMIT = 50  # notifications listed in one digest; the inbox has the rest


def send_due(now=None) -> int:
    """Send today's digest to each user who has some due; the number sent."""
    now = now or timezone.now()
    if now.hour < conf.settings.DIGEST_HOUR:
        return 0
    wanting = (
        Preferences.objects.exclude(verified_email="")
        .filter(
            Q(reply=Delivery.DIGEST)
            | Q(mention=Delivery.DIGEST)
            | Q(followed=Delivery.DIGEST)
            | Q(decision=Delivery.DIGEST)
        )
        .exclude(user__in=Digest.objects.filter(day=now.date()).values("user"))
        .select_related("user")
    )
    return sum(1 for prefs in wanting.iterator(chunk_size=500) if send_digest(prefs, now))


def send_digest(prefs, now) -> bool:
    """Claim the user's row for today and queue their digest; False if nothing is due or
    another worker claimed it."""
    to = prefs.email_address()
    if not to:
        return False
    kinds = [k for k in ("reply", "mention", "followed") if getattr(prefs, k) == Delivery.DIGEST]
    if prefs.decision == Delivery.DIGEST:
        kinds += list(DECISIONS)
    last = Digest.objects.filter(user=prefs.user_id).order_by("-day").first()
    since = last.created_at if last else now - timedelta(days=1)
    due = list(
        Notification.objects.for_inbox(prefs.user)
        .unread()
        .filter(kind__in=kinds, created_at__gt=since, created_at__lte=now)[:DIGEST_LIMIT]
    )
    if not due:
        return False
    try:
        with transaction.atomic():
            digest = Digest.objects.create(user=prefs.user, day=now.date(), created_at=now)
            (email,) = mail.queue([messages.digest_email(prefs.user, to, due)])
            digest.email = email
            digest.save(update_fields=["email"])
    except IntegrityError:  # another worker sent today's digest first
        return False
    return True
