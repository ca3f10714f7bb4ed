"""The shared part of a discussion's HTML: rendered once per audience, the same for every reader.

A fragment is the discussion's HTML cut at each shown post's footer, which differs from reader to
reader (votes, links to reply, edit and moderate), and on either side of the post, where a reader
who muted its author gets it folded: the static pieces and, between them, the few facts of each
post that its footer needs. It holds nothing of one request or one reader, so it
can be cached and served to everyone of its audience.
"""

import functools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def url_prefix(name, last="pk"):
    """The URL of name up to its last argument (its pk, or a member's name), reversed once:
    posts' and profiles' URLs are built from it by pasting."""
    # Kept per URLconf and script prefix: a page renders dozens of trees, each wanting it.
    return _url_prefix(name, last, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@functools.lru_cache(maxsize=64)
def _url_prefix(name, last, urlconf, script_prefix):
    url = reverse(name, urlconf=urlconf, kwargs={last: 0})
    prefix = url.removesuffix("0/")
    assert prefix != url, f"{name} does not end in its {last}"
    return prefix


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


class PostFacts(NamedTuple):
    """What a post's footer needs to know of it, for any reader (a tuple: cheap to pickle)."""

    pk: int
    status: str
    author_id: int | None
    author_name: str
    upvotes: int
    downvotes: int
    # Its time as a number: pickle writes each aware datetime through a call, which made keeping
    # a page's fragments cost twice as much, and only a reader with new posts asks for the time.
    created_us: int  # microseconds since the epoch

    @classmethod
    def microseconds(cls, moment: datetime) -> int:
        """An aware datetime as created_us counts it."""
        return (moment - EPOCH) // MICROSECOND

    @property
    def created_at(self) -> datetime:
        return EPOCH + timedelta(microseconds=self.created_us)

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
    piece, its footer, a piece, its fold's closing, a piece.

    The pieces are UTF-8, as the response sends them: a page's HTML is joined, kept and sent
    as bytes, never encoded again, where as text it was encoded each time it was kept and once
    more to be sent (and a single arrow made every joined copy of it two bytes a character)."""

    pieces: list[bytes]
    posts: list[PostFacts]

    # Pickled as plain tuples: a named tuple is pickled through a call per post, which made
    # keeping and reading a page's fragments cost twice as much.
    def __getstate__(self):
        return self.pieces, [tuple(post) for post in self.posts]

    def __setstate__(self, state):
        pieces, rows = state
        object.__setattr__(self, "pieces", pieces)
        object.__setattr__(self, "posts", [PostFacts._make(row) for row in rows])

    @classmethod
    def discussion(cls, fragments):
        """The discussion's list, of these fragments' items in their order."""
        pieces, posts = [b'<ol class="discussion">'], []
        for fragment in fragments:
            pieces[-1] += fragment.pieces[0]
            pieces += fragment.pieces[1:]
            posts += fragment.posts
        pieces[-1] += b"\n</ol>"
        return cls(pieces, posts)

    def assemble(self, footers, folds=None, *, before=""):
        """The whole HTML as UTF-8, with this reader's footer of each post, and folds, in their
        place, and before, if given, ahead of it."""
        if len(footers) != len(self.posts):
            raise ValueError(f"{len(footers)} footers for {len(self.posts)} posts")
        between = self.pieces[1:]
        parts = [before.encode(), self.pieces[0]]
        if folds is None:
            for i, footer in enumerate(footers):
                j = CUTS_PER_POST * i
                parts += (between[j], footer.encode(), between[j + 1], between[j + 2])
        else:
            for i, (footer, (opening, closing)) in enumerate(zip(footers, folds, strict=True)):
                j = CUTS_PER_POST * i
                parts += (
                    opening.encode(),
                    between[j],
                    footer.encode(),
                    between[j + 1],
                    closing.encode(),
                    between[j + 2],
                )
        return b"".join(parts)
