"""Stopping one kind of notification mail from a link in that mail, without logging in."""

from .following import preferences_of
from .models import Delivery

KINDS = ("reply", "mention", "followed", "decision")  # each a field of Preferences
TOPICS = {
    "reply": "emails about replies to your comments",
    "mention": "emails about mentions of you",
    "followed": "emails about discussions you follow",
    "decision": "emails about moderators' decisions on your comments",
    "digest": "the daily digest",
}


def describe(topic: str) -> str:
    return TOPICS.get(topic, "these emails")


def unsubscribe(*, user, topic: str) -> None:
    """Turn this topic's mail into inbox only; for the digest, every kind that went to it."""
    prefs = preferences_of(user)
    if topic == "digest":
        fields = [kind for kind in KINDS if getattr(prefs, kind) == Delivery.DIGEST]
    else:
        fields = [topic] if topic in KINDS else []
    for field in fields:
        setattr(prefs, field, Delivery.INBOX)
    if fields:
        prefs.save()
