"""Checks a post must pass before it is written: rate limits, a honeypot, links, bans, locks.

Each check returns a message to show the user (their text stays in the form), or None.
Settings are read when a check runs, so tests and deployments can change them.
"""

import ipaddress
import math
import re
import time
from datetime import timedelta
from functools import cache as memoize

from django import forms
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from markdown_it import MarkdownIt

from . import conf
from .cache_failures import CACHE_FAILURES, log_cache_failure
from .models import Post, Thread, active_ban, can_moderate

HONEYPOT_FIELD = "website"  # a name that bots fill in gladly


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """Read "posts/seconds" (e.g. "5/60") as a pair of ints; empty or "0" turns the limit off."""
    if not rate or rate == "0":
        return None
    count, _sep, seconds = str(rate).partition("/")
    return int(count), int(seconds)


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the one the outermost trusted proxy received."""
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = int(settings.PARLEY_TRUSTED_PROXY_COUNT)
    if proxies <= 0:
        return remote_addr
    # Each trusted proxy appends the address it was connected from; anything further left
    # was written by the client itself and proves nothing.
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if len(forwarded) < proxies:
        return remote_addr
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return remote_addr


# The request attribute holding the cache keys its post was counted under, to take it back.
COUNTED = "parley_counted_post_keys"


def check_post_rate(request: HttpRequest) -> str | None:
    """Count one post by this request's user and address; say so if either is over its limit."""
    if can_moderate(request.user):
        return None
    setattr(request, COUNTED, [])
    if request.user.is_authenticated:
        wait = _user_over_limit(request, parse_rate(conf.settings.POST_RATE_PER_USER))
        if wait:
            uncount_post(request)
            return _("You are posting too fast. Please wait %(seconds)d seconds.") % {
                "seconds": wait
            }
    wait = _address_over_limit(request, parse_rate(conf.settings.POST_RATE_PER_IP))
    if wait:
        uncount_post(request)
        return _(
            "Too many comments are coming from your network address. "
            "Please wait %(seconds)d seconds."
        ) % {"seconds": wait}
    return None


def uncount_post(request: HttpRequest) -> None:
    """Take back the count of a post that was not stored: limits count only what was written."""
    keys = getattr(request, COUNTED, [])
    setattr(request, COUNTED, [])
    for key in keys:
        try:
            cache.decr(key)
        except ValueError:  # its window has expired meanwhile, and the count with it
            pass
        except CACHE_FAILURES as error:
            log_cache_failure(error, "a refused post stays counted")


def _user_over_limit(request, rate):
    try:
        return _over_limit(request, f"user:{request.user.pk}", rate)
    except CACHE_FAILURES as error:
        log_cache_failure(error, "the post rate per user is counted from the stored posts")
        return _over_limit_in_stored_posts(request.user, rate)


def _address_over_limit(request, rate):
    try:
        return _over_limit(request, f"ip:{client_ip(request)}", rate)
    except CACHE_FAILURES as error:
        # Posts are stored without the address they came from: nothing to count instead.
        log_cache_failure(error, "the post rate per address is not enforced")
        return 0


def _over_limit_in_stored_posts(user, rate):
    """The seconds left if the user's posts of the last period reach the limit, else 0."""
    if rate is None:
        return 0
    limit, period = rate
    now = timezone.now()
    window = timedelta(seconds=period)
    recent = list(
        Post.objects.filter(author=user, created_at__gt=now - window)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return 0
    # A sliding window: posting opens again when the oldest of these leaves it.
    oldest = min(recent, default=now)
    return max(1, math.ceil((oldest + window - now).total_seconds()))


def _over_limit(request, who, rate):
    """Count a post in the current fixed window; return the seconds left if over the limit."""
    if rate is None:
        return 0
    limit, period = rate
    now = time.time()
    window = int(now // period)
    key = f"parley:post-rate:{who}:{period}:{window}"
    # add() then incr() is atomic on Redis and on local memory: workers never lose a count.
    cache.add(key, 0, timeout=period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the window expired between add() and incr()
        cache.add(key, 1, timeout=period + 1)
        count = 1
    getattr(request, COUNTED).append(key)
    if count <= limit:
        return 0
    return max(1, int((window + 1) * period - now + 0.999))


class HoneypotField(forms.CharField):
    """A field people never see, so never fill in; form-filling bots do."""

    default_error_messages = {
        "filled": gettext_lazy(
            "This form looked automated, because a hidden field was filled in. "
            "If you are a person, leave the field labelled “Leave this empty” blank."
        )
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", gettext_lazy("Leave this empty"))
        attrs = {"autocomplete": "off", "tabindex": "-1", "class": "honeypot"}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value:
            raise forms.ValidationError(self.error_messages["filled"], code="filled")


class HoneypotFormMixin:
    """Adds the honeypot field to a form; templates hide it with the "honeypot" class."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = HoneypotField()


def check_honeypot(form: forms.BaseForm) -> str | None:
    """Whether a bound form's honeypot was filled in: the message to show, or None."""
    if form.data.get(form.add_prefix(HONEYPOT_FIELD)):
        return str(HoneypotField.default_error_messages["filled"])
    return None


def too_many_links(body: str, user: AbstractBaseUser | AnonymousUser) -> str | None:
    """Refuse a new account's post carrying more links than new accounts may post."""
    if can_moderate(user) or not _is_new_account(user):
        return None
    limit = int(conf.settings.NEW_ACCOUNT_MAX_LINKS)
    found = count_links(body)
    if found <= limit:
        return None
    days = int(conf.settings.NEW_ACCOUNT_DAYS)
    return _(
        "New accounts may post at most %(limit)d links in a comment during their first %(days)d "
        "days; this comment has %(found)d. Remove some and post again."
    ) % {"limit": limit, "days": days, "found": found}


BARE_URL = re.compile(r"https?://\S+", re.IGNORECASE)


@memoize
def _link_parser():
    return MarkdownIt("commonmark", {"html": False})


def count_links(body: str) -> int:
    """Links in a post's Markdown: [text](url), <autolinks>, images and bare http(s) URLs."""
    found = 0
    for block in _link_parser().parse(body):
        if block.type in ("fence", "code_block"):
            found += len(BARE_URL.findall(block.content))
        inside_link = 0
        for token in block.children or ():
            if token.type in ("link_open", "image"):
                found += 1
            inside_link += {"link_open": 1, "link_close": -1}.get(token.type, 0)
            if token.type in ("text", "code_inline") and not inside_link:
                found += len(BARE_URL.findall(token.content))
    return found


def _is_new_account(user):
    if not user.is_authenticated:
        return True
    days = int(conf.settings.NEW_ACCOUNT_DAYS)
    return user.date_joined > timezone.now() - timedelta(days=days)


def initial_status_for(user: AbstractBaseUser | AnonymousUser, thread: Thread) -> str:
    """The status a new post starts with: held for a moderator, or published at once."""
    if can_moderate(user):
        return Post.Status.PUBLISHED
    if thread.is_premoderated:
        return Post.Status.PENDING
    first_posts = int(conf.settings.PREMODERATE_FIRST_POSTS)
    # Counting only approved posts: a flood of held posts never earns an account trust.
    if first_posts > 0 and user.is_authenticated:
        approved = Post.objects.filter(author=user, status=Post.Status.PUBLISHED)[:first_posts]
        if approved.count() < first_posts:
            return Post.Status.PENDING
    return Post.Status.PUBLISHED


def posting_refusal(user: AbstractBaseUser | AnonymousUser, thread: Thread) -> str | None:
    """Why this user cannot post in this thread now (a ban, a locked thread), or None."""
    if (ban := active_ban(user)) is not None:
        return ban.notice()
    if thread.is_closed_to(user):
        if thread.lock_reason:
            return _("This discussion is locked: %(reason)s") % {"reason": thread.lock_reason}
        return _("This discussion is locked.")
    return None
