"""What the shown posts of a discussion display, beside the outlines that place them.

A page's trees are read whole, outlines and texts in one read (PostRow); a permalink's context,
a few posts of one tree, has its outlines read first and its texts after (ShownText).
"""

from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.db.models import Q

from .discussions import Outline, reading_order, shown_forest
from .models import Post
from .post_rows import tree_rows


@dataclass(slots=True)
class ShownText:
    """What a shown post displays: plain columns, cheaper to build than a model instance."""

    pk: int
    author_id: int | None
    author_name: str
    body_html: str
    created_at: Any
    edited_at: Any
    status: str
    upvotes: int
    downvotes: int

    @property
    def status_label(self):
        return Post.Status(self.status).label


SHOWN_COLUMNS = list(ShownText.__dataclass_fields__)


@dataclass(slots=True)
class PostRow(Outline):
    """A post's outline with what it shows: a page's trees are read whole, in one query."""

    author_name: str
    body_html: str | None  # None below the depth cap, where no page of the thread shows it
    created_at: Any
    edited_at: Any

    status_label = ShownText.status_label


POST_ROW_COLUMNS = [name for name in PostRow.__dataclass_fields__ if name != "written"]


def trees_in_reading_order(tree_ids, viewer, sort, *, deepest_level):
    """The entries of these trees down to deepest_level, as this viewer reads them, each with
    its post: outlines and texts come in the same read."""
    rows = tree_rows(POST_ROW_COLUMNS, tree_ids, bodies_to_level=deepest_level)
    posts = [PostRow(0, *row) for row in rows]
    for written, post in enumerate(sorted(posts, key=attrgetter("created_at", "pk"))):
        post.written = written
    forest = shown_forest(posts, viewer, sort)
    entries = reading_order(forest.roots, deepest_level=deepest_level)
    for entry in entries:
        entry.node.post = entry.node.outline
    return entries


def attach_posts(entries, scope):
    """Fetch the texts of the shown posts, in one query."""
    if not entries:
        return entries
    return _attach(entries, Post.objects.values_list(*SHOWN_COLUMNS).filter(scope))


def _attach(entries, rows):
    by_pk = {row[0]: ShownText(*row) for row in rows}
    missing = [entry.node.outline.pk for entry in entries if entry.node.outline.pk not in by_pk]
    if missing:
        # Moved by a moderator between the two reads: shown where it was when first read.
        posts = Post.objects.values_list(*SHOWN_COLUMNS).filter(pk__in=missing)
        by_pk.update((row[0], ShownText(*row)) for row in posts)
    for entry in entries:
        entry.node.post = by_pk[entry.node.outline.pk]
    return entries


def context_scope(focus, *, deepest_level):
    outline = focus.outline
    in_tree = Q(tree_id=outline.tree_id)
    ancestors_and_self = Q(lft__lte=outline.lft, rght__gte=outline.rght)
    replies = Q(lft__gt=outline.lft, rght__lt=outline.rght, level__lte=deepest_level)
    return in_tree & (ancestors_and_self | replies)
