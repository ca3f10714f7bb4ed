"""Proving an email address: a signed link mailed to it, valid for VERIFY_DAYS."""

from . import mail, messages
from .following import preferences_of


def request_verification(user) -> bool:
    """Mail a verification link to the user's address; False if they have none."""
    if not user.email:
        return False
    mail.queue([messages.verification_email(user, user.email)])
    return True


def verify(*, user, email) -> bool:
    """Mark email verified, if it is still the user's address."""
    if not email or user.email.lower() != email.lower():
        return False
    prefs = preferences_of(user)
    prefs.verified_email = user.email
    prefs.save()
    return True
