"""The shared part of a discussion's HTML: rendered once per audience, the same for every reader.

A fragment is the discussion's HTML cut at each shown post's footer, which differs from reader to
reader (votes, links to reply, edit and moderate): the static pieces and, between them, the few
facts of each post that its footer needs. It holds nothing of one request or one reader, so it
can be cached and served to everyone of its audience.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from django.template import engines
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from markupsafe import Markup, escape

from ..discussions import Entry

DISPLAY_FORMAT = "j M Y, H:i T"  # with its zone: without JavaScript it is all a reader gets


def url_prefix(name, **kwargs):
    """The URL of name up to its pk, reversed once: posts' URLs are built from it by pasting."""
    url = reverse(name, kwargs={**kwargs, "pk": 0})
    prefix = url.removesuffix("0/")
    assert prefix != url, f"{name} does not end in its pk"
    return prefix


class PostFacts(NamedTuple):
    """What a post's footer needs to know of it, for any reader (a tuple: cheap to pickle)."""

    pk: int
    status: str
    author_id: int | None
    author_name: str
    upvotes: int
    downvotes: int
    created_at: datetime

    @property
    def score(self):
        return self.upvotes - self.downvotes

    @property
    def accepts_replies(self):
        return self.status == "published"

    @property
    def anchor(self):
        return f"post-{self.pk}"


@dataclass(frozen=True)
class Fragment:
    """The discussion's HTML in pieces: pieces[i], footer of posts[i], pieces[i + 1], ..."""

    pieces: list[str]
    posts: list[PostFacts]

    @classmethod
    def discussion(cls, fragments):
        """The discussion's list, of these fragments' items in their order."""
        pieces, posts = ['<ol class="discussion">'], []
        for fragment in fragments:
            pieces[-1] += fragment.pieces[0]
            pieces += fragment.pieces[1:]
            posts += fragment.posts
        pieces[-1] += "\n</ol>"
        return cls(pieces, posts)

    def assemble(self, footers):
        """The whole HTML, with this reader's footer of each post in its place."""
        parts = [self.pieces[0]]
        for footer, piece in zip(footers, self.pieces[1:], strict=True):
            parts += (footer, piece)
        return "".join(parts)


def render_fragment(entries: list[Entry], *, focus_pk=None, continue_query="") -> Fragment:
    """Render the entries' shared HTML once, cut where each footer goes."""
    # Unguessable, so no text a reader wrote can pass for a cut.
    cut = f"\x00{secrets.token_hex(8)}\x00"
    posts = []

    def footer(post):
        posts.append(
            PostFacts(
                post.pk,
                post.status,
                post.author_id,
                post.author_name,
                post.upvotes,
                post.downvotes,
                post.created_at,
            )
        )
        return Markup(cut)

    context = {
        "entries": entries,
        "focus_pk": focus_pk,
        "post_prefix": url_prefix("forum:post"),
        "profile_prefix": reverse("accounts:profile", kwargs={"username": "_"}).removesuffix("_/"),
        "continue_query": continue_query,
        "time": TimeFormatter(),
        "footer": footer,
    }
    html = engines["jinja2"].get_template("forum/discussion.html").render(context)
    return Fragment(html.split(cut), posts)


class TimeFormatter:
    """A <time> element per moment, each distinct minute put into words only once."""

    def __init__(self):
        self.zone = timezone.get_current_timezone()
        self.displays = {}

    def __call__(self, moment):
        local = moment.astimezone(self.zone)
        minute = (local.year, local.month, local.day, local.hour, local.minute)
        display = self.displays.get(minute)
        if display is None:
            display = self.displays[minute] = escape(format_date(local, DISPLAY_FORMAT))
        return Markup(f'<time datetime="{local.isoformat()}">{display}</time>')
