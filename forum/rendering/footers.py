"""Each shown post's footer as one reader sees it, rendered per request and never shared.

Votes, the reader's own vote pressed, the CSRF token, links back to this very page, the links to
reply, edit and delete, and the moderators' menu all differ from reader to reader, so they are
rendered here, for all the posts of a page in one pass, and pasted into the shared fragment.
"""

import secrets
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote, urlencode

from django.conf import settings
from django.middleware.csrf import get_token
from django.shortcuts import resolve_url
from django.template import engines
from django.urls import reverse
from django.utils import timezone
from markupsafe import Markup

from .. import services
from ..models import Vote, can_moderate
from .fragments import PostFacts, url_prefix


@dataclass
class Reader:
    """Who reads the page, and what their footers need of the request."""

    user: object
    full_path: str
    thread_is_open: bool  # not locked, or locked but the reader may still post, vote, report
    votes: dict[int, int] = field(default_factory=dict)  # post pk -> the reader's vote
    csrf_input: str = ""  # the hidden input with this request's token, Markup

    @property
    def is_authenticated(self):
        return self.user.is_authenticated

    @property
    def pk(self):
        return self.user.pk

    @cached_property
    def moderator(self):
        return can_moderate(self.user)

    @cached_property
    def back(self):
        return quote(self.full_path, safe="/")  # as the urlencode filter does

    @cached_property
    def login_url(self):
        return resolve_url(settings.LOGIN_URL)

    @cached_property
    def post_prefix(self):
        return url_prefix("forum:post")

    @cached_property
    def moderation_prefix(self):
        return reverse("moderation:queue")


def reader_of(request, thread, posts):
    """The request's reader of these posts of thread, with their own votes on them."""
    user = request.user
    reader = Reader(user, request.get_full_path(), thread_is_open=not thread.is_closed_to(user))
    if user.is_authenticated:
        reader.csrf_input = Markup('<input type="hidden" name="csrfmiddlewaretoken" value="{}">')
        reader.csrf_input = reader.csrf_input.format(get_token(request))
        # Of this thread's posts only: the page's pks could be thousands in an IN (...).
        pks = {post.pk for post in posts}
        votes = Vote.objects.filter(user=user, post__thread=thread).values_list("post_id", "value")
        reader.votes = {pk: value for pk, value in votes if pk in pks}
    return reader


@dataclass(frozen=True, slots=True)
class FooterItem:
    post: PostFacts
    vote: int | None = None
    reply_url: str = ""
    login_url: str = ""
    edit_url: str = ""
    delete_url: str = ""


def footers(reader: Reader, posts: list[PostFacts]) -> list[str]:
    """The footer of each post for this reader, in the order of posts."""
    if not posts:
        return []
    separator = f"\x00{secrets.token_hex(8)}\x00"
    context = {
        "reader": reader,
        "items": [_item(reader, post) for post in posts],
        "separator": Markup(separator),
    }
    html = engines["jinja2"].get_template("forum/post_footers.html").render(context)
    return html.split(separator)[1:]


def _item(reader, post):
    wanted = reader.thread_is_open and post.accepts_replies
    if not reader.is_authenticated:
        return FooterItem(post, login_url=_login_url(reader, post) if wanted else "")
    links = {}
    if wanted:
        links["reply_url"] = f"{reader.post_prefix}{post.pk}/reply/"
    if post.author_id == reader.pk:
        now = timezone.now()
        if reader.thread_is_open and not services.edit_refusal(
            post=post, editor=reader.user, now=now
        ):
            links["edit_url"] = f"{reader.post_prefix}{post.pk}/edit/"
        if not services.delete_refusal(post=post, author=reader.user):
            links["delete_url"] = f"{reader.post_prefix}{post.pk}/delete/"
    return FooterItem(post, vote=reader.votes.get(post.pk), **links)


def _login_url(reader, post):
    return f"{reader.login_url}?{urlencode({'next': f'{reader.full_path}#{post.anchor}'})}"
