"""What each email says: a notification, a day's digest, an address to verify.

Every message has a plain-text part and an HTML part; the post's text is its stored, sanitised
HTML (and its plain text), and every link is absolute, from PARLEY_SITE_URL.
"""

import html
import re

from django.template.loader import render_to_string
from django.utils.html import strip_tags

from .models import ACTIVITY, Email, Kind
from .tokens import absolute, unsubscribe_url, verify_url

# A post's stored HTML links profiles by site-relative paths; mail needs the whole address.
RELATIVE_HREF = re.compile(r'href="/(?!/)')

HEADLINES = {
    Kind.REPLY: "{actor} replied to your comment in “{thread}”",
    Kind.MENTION: "{actor} mentioned you in “{thread}”",
    Kind.FOLLOWED: "{actor} commented in “{thread}”",
    Kind.REMOVED: "A moderator removed your comment in “{thread}”",
    Kind.APPROVED: "Your comment in “{thread}” was approved",
}


def headline(kind, post) -> str:
    return HEADLINES[kind].format(actor=post.author_name, thread=post.thread.title)


def post_html(post) -> str:
    return RELATIVE_HREF.sub(lambda _: f'href="{absolute("/")}', post.body_html)


def post_text(post) -> str:
    return html.unescape(strip_tags(post.body_html)).strip()


def notification_email(user, to, post, kind, reason="") -> Email:
    unsubscribe = unsubscribe_url(user.pk, kind if kind in ACTIVITY else "decision")
    context = {
        "user": user,
        "headline": headline(kind, post),
        "post_url": absolute(post.get_absolute_url()),
        "post_html": post_html(post),
        "post_text": post_text(post),
        "kind": kind,
        "reason": reason,
        "unsubscribe_url": unsubscribe,
        "settings_url": absolute("/accounts/settings/"),
    }
    return Email(
        recipient=user,
        to=to,
        subject=context["headline"],
        body_text=render_to_string("notifications/email/notification.txt", context),
        body_html=render_to_string("notifications/email/notification.html", context),
        unsubscribe_url=unsubscribe,
    )


def digest_email(user, to, notifications) -> Email:
    unsubscribe = unsubscribe_url(user.pk, "digest")
    items = [
        {
            "headline": headline(n.kind, n.post),
            "post_url": absolute(n.post.get_absolute_url()),
            "post_html": post_html(n.post),
            "post_text": post_text(n.post),
        }
        for n in notifications
    ]
    count = len(items)
    context = {
        "user": user,
        "items": items,
        "unsubscribe_url": unsubscribe,
        "settings_url": absolute("/accounts/settings/"),
        "inbox_url": absolute("/notifications/"),
    }
    return Email(
        recipient=user,
        to=to,
        subject=f"Your Parley digest: {count} new notification{'' if count == 1 else 's'}",
        body_text=render_to_string("notifications/email/digest.txt", context),
        body_html=render_to_string("notifications/email/digest.html", context),
        unsubscribe_url=unsubscribe,
    )


def verification_email(user, to) -> Email:
    context = {"user": user, "verify_url": verify_url(user.pk, to)}
    return Email(
        recipient=user,
        to=to,
        subject="Confirm your email address for Parley",
        body_text=render_to_string("notifications/email/verify.txt", context),
    )
