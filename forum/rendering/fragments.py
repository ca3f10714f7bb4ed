"""The shared part of a discussion's HTML: rendered once per audience, the same for every reader.

A fragment is the discussion's HTML cut at each shown post's footer, which differs from reader to
reader (votes, links to reply, edit and moderate), and on either side of the post, where a reader
who muted its author gets it folded: the static pieces and, between them, the few facts of each
post that its footer needs. It holds nothing of one request or one reader, so it
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

DISPLAY_FORMAT = "j M Y, H:i"


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


CUTS_PER_POST = 3  # before the post (a fold opens), its footer, after it (the fold closes)


@dataclass(frozen=True)
class Fragment:
    """The discussion's HTML in pieces: pieces[0], then for each post its fold's opening, a
    piece, its footer, a piece, its fold's closing, a piece."""

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

    def assemble(self, footers, folds=None):
        """The whole HTML, with this reader's footer of each post, and folds, in their place."""
        folds = folds or [("", "")] * len(footers)
        between = self.pieces[1:]
        parts = [self.pieces[0]]
        for i, (footer, (opening, closing)) in enumerate(zip(footers, folds, strict=True)):
            j = CUTS_PER_POST * i
            parts += (opening, between[j], footer, between[j + 1], closing, between[j + 2])
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

    def fold():
        return Markup(cut)

    context = {
        "entries": entries,
        "focus_pk": focus_pk,
        "post_prefix": url_prefix("forum:post"),
        "continue_query": continue_query,
        "time": TimeFormatter(),
        "footer": footer,
        "fold": fold,
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
