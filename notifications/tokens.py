"""Signed links in mail that work without logging in: unsubscribe, and verify an address."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from . import conf

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
VERIFY_SALT = "notifications.verify"


def absolute(path: str) -> str:
    """A full URL from PARLEY_SITE_URL, never from a request's Host header."""
    return settings.PARLEY_SITE_URL + path


def unsubscribe_url(user_pk: int, topic: str) -> str:
    """The link that stops this user's mail about topic (a kind, or "digest")."""
    token = signing.dumps({"u": user_pk, "t": topic}, salt=UNSUBSCRIBE_SALT, compress=True)
    return absolute(reverse("notifications:unsubscribe", kwargs={"token": token}))


def read_unsubscribe(token: str):
    """(user pk, topic) of a valid unsubscribe token, or None. They never expire."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return int(data["u"]), str(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def verify_url(user_pk: int, email: str) -> str:
    token = signing.dumps({"u": user_pk, "e": email}, salt=VERIFY_SALT, compress=True)
    return absolute(reverse("notifications:verify", kwargs={"token": token}))


def read_verify(token: str):
    """(user pk, email) of a verification token younger than VERIFY_DAYS, or None."""
    try:
        data = signing.loads(
            token, salt=VERIFY_SALT, max_age=conf.settings.VERIFY_DAYS * 24 * 3600
        )
        return int(data["u"]), str(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
