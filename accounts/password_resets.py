"""How many password-reset mails one email address, or one client address, may ask for.

Counted in the database rather than the cache: reset mail spends the site's standing with mail
providers and lands in strangers' inboxes, so the limit must hold while Redis is down. Requests
for an address with no account count the same, so the limit tells nobody who has an account.
"""

import math
from datetime import timedelta

from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from forum.antispam import parse_rate

from . import conf
from .models import PasswordResetRequest

TOO_MANY_FOR_EMAIL = _(
    "You have already asked for several password-reset emails for this address. "
    "Please check your inbox and spam folder, or ask again in %(wait)s."
)
TOO_MANY_FROM_IP = _(
    "Too many password-reset requests have come from your network address. "
    "Please ask again in %(wait)s."
)


def email_digest(email: str) -> str:
    # Keyed and one-way: the address of someone who may have no account is never stored.
    return salted_hmac("accounts.password-reset", email.strip().casefold()).hexdigest()


def reset_mail_refusal(*, email: str, ip_address: str) -> str | None:
    """Count a request for reset mail; if over a limit, forget it and say when to ask again."""
    now = timezone.now()
    request = PasswordResetRequest(
        email_digest=email_digest(email), ip_address=ip_address or None, requested_at=now
    )
    limits = [
        ("email_digest", parse_rate(conf.settings.PASSWORD_RESETS_PER_EMAIL), TOO_MANY_FOR_EMAIL),
        ("ip_address", parse_rate(conf.settings.PASSWORD_RESETS_PER_IP), TOO_MANY_FROM_IP),
    ]
    longest = max((rate[1] for _field, rate, _message in limits if rate), default=0)
    PasswordResetRequest.objects.filter(requested_at__lt=now - timedelta(seconds=longest)).delete()
    # Stored before counting: of two requests at once, each sees the other.
    request.save()
    for field, rate, message in limits:
        if rate is None:
            continue
        limit, period = rate
        others = PasswordResetRequest.objects.exclude(pk=request.pk).filter(
            **{field: getattr(request, field)}, requested_at__gt=now - timedelta(seconds=period)
        )
        if others.count() >= limit:
            request.delete()
            freed_at = others.earliest("requested_at").requested_at + timedelta(seconds=period)
            return message % {"wait": _minutes(freed_at - now)}
    return None


def _minutes(wait: timedelta) -> str:
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
