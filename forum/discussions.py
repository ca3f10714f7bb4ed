"""Discussion trees as one reader sees them, decided on light rows of every post of a thread.

Whether a post shows, where it sits, its siblings' order, which top-level posts make a page and
where the depth cap cuts are all decided from a few columns of each post; what the shown posts
display comes with them or after them (forum.shown_posts). Nothing here recurses: reply chains
can be thousands deep.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from operator import attrgetter
from typing import Any

from django.db.models import Q, Subquery

from . import conf
from .models import Post, can_moderate
from .post_rows import outline_rows
from .votes import best_score


def max_depth():
    return conf.settings.MAX_DEPTH


def top_level_per_page():
    return conf.settings.TOP_LEVEL_PER_PAGE


@dataclass(slots=True)
class Outline:
    """The columns of a post that decide whether, where and in which order it shows."""

    written: int  # its place in the thread by creation time
    pk: int
    parent_id: int | None
    tree_id: int
    lft: int
    rght: int
    level: int
    status: str
    author_id: int | None
    upvotes: int
    downvotes: int

    # Post's own rules, so the status table is written once.
    Status = Post.Status
    text_visible_to = Post.text_visible_to
    placeholder = Post.placeholder


OUTLINE_COLUMNS = [name for name in Outline.__dataclass_fields__ if name != "written"]
PUBLISHED = Post.Status.PUBLISHED.value


def thread_outlines(thread_id, *, tree_ids=None):
    """Every post of a thread (or of some of its trees), light, in tree order."""
    rows = outline_rows(OUTLINE_COLUMNS, thread_id=thread_id, tree_ids=tree_ids)
    # Numbered in time order by the database: reading the dates themselves is what is slow.
    outlines = [Outline(n, *row) for n, row in enumerate(rows)]
    outlines.sort(key=attrgetter("tree_id", "lft"))
    return outlines


@dataclass(frozen=True)
class SortOrder:
    name: str
    label: str
    key: Callable[[Outline], Any]
    reverse: bool = False

    @property
    def by_time(self):
        """Whether the order is the posts' own time order, which the database can count in."""
        return self.key is _by_time

    def arrange(self, nodes):
        if len(nodes) > 1:  # most posts have no reply or one: nothing to sort
            nodes.sort(key=lambda node: self.key(node.outline), reverse=self.reverse)
        return nodes


def _by_time(outline):
    return outline.written


def _by_best(outline):
    return (-best_score(outline.upvotes, outline.downvotes), outline.written)


SORT_ORDERS = {
    order.name: order
    for order in [
        SortOrder("oldest", "Oldest", _by_time),
        SortOrder("newest", "Newest", _by_time, reverse=True),
        SortOrder("best", "Best", _by_best),
    ]
}
DEFAULT_SORT = "oldest"  # the order the seed's page shows


def sort_order(name):
    """The named sort order; an unknown or missing name gives the default."""
    return SORT_ORDERS.get(name) or SORT_ORDERS[DEFAULT_SORT]


@dataclass(eq=False, slots=True)
class Node:
    """One shown post: its text or a placeholder, and its shown replies in order."""

    outline: Outline
    shows_text: bool
    replies: list["Node"] = field(default_factory=list)
    size: int = 0  # shown replies in the whole subtree
    post: Post | None = None  # the full row, fetched only for the page that shows it

    @property
    def placeholder(self):
        return None if self.shows_text else self.outline.placeholder


@dataclass
class Forest:
    roots: list[Node]
    nodes: dict[int, Node]

    def path_to(self, pk):
        """The shown nodes from a top-level post down to this one, or None if it is not shown."""
        path = []
        node = self.nodes.get(pk)
        while node is not None:
            path.append(node)
            if node.outline.parent_id is None:
                return path[::-1]
            node = self.nodes.get(node.outline.parent_id)
        return None


def shown_forest(outlines, viewer, sort):
    """The trees this viewer sees, siblings in sort order, from outlines in tree order."""
    moderator = can_moderate(viewer)
    replies, nodes = defaultdict(list), {}
    # Reversed tree order puts every reply before its parent: bottom-up without recursion.
    for outline in reversed(outlines):
        # Most posts are published, which shows to anyone: no call to the status table.
        shows_text = outline.status == PUBLISHED or outline.text_visible_to(
            viewer, moderator=moderator
        )
        below = replies.pop(outline.pk, None)
        node = Node(outline, shows_text, sort.arrange(below) if below else [])
        # A hidden post keeps its place only to hold visible replies, and only where the
        # status table gives it a placeholder; a pending post hides its branch with it.
        if shows_text or (below and outline.placeholder is not None):
            if below:  # most posts have none
                size = len(below)
                for reply in below:
                    size += reply.size
                node.size = size
            replies[outline.parent_id].append(node)
            nodes[outline.pk] = node
    return Forest(sort.arrange(replies[None]), nodes)


def shown_roots(thread_id, viewer, sort):
    """The thread's top-level posts that show for this viewer, in sort order: one row per tree.

    A page then reads only its own trees: a thread's size costs one row per top-level post."""
    rows = outline_rows(OUTLINE_COLUMNS, thread_id=thread_id, roots_only=True)
    roots = _shown(thread_id, [Outline(n, *row) for n, row in enumerate(rows)], viewer)
    if sort.by_time:  # read in time order already: no key to work out per post
        return roots[::-1] if sort.reverse else roots
    return sorted(roots, key=sort.key, reverse=sort.reverse)


def shown_roots_before(thread_id, root_pk, viewer, sort):
    """How many top-level posts this viewer sees before this one in a time order.

    The published ones are counted by the database on an index, never read. Only the top-level
    posts before it that are not published are read, with their trees, to see whether they show
    (over replies the viewer sees): usually few, but they grow with the thread, which is why the
    redirect after a reply looks in the list the pages keep first (forum.rendering.roots)."""
    if not sort.by_time:
        raise ValueError(f"{sort.name} is not a time order: the database cannot count in it")
    when = Subquery(Post.objects.filter(pk=root_pk).values("created_at"))
    # A range of the index, then the posts of the same moment that come after it (pk decides).
    if sort.reverse:
        before = Q(created_at__gte=when) & ~Q(created_at=when, pk__lte=root_pk)
    else:
        before = Q(created_at__lte=when) & ~Q(created_at=when, pk__gte=root_pk)
    rows = Post.objects.filter(before, thread_id=thread_id, level=0).order_by()
    published = rows.filter(status=Post.Status.PUBLISHED).count()
    others = rows.exclude(status=Post.Status.PUBLISHED).values_list(*OUTLINE_COLUMNS)
    return published + len(_shown(thread_id, [Outline(0, *row) for row in others], viewer))


def _shown(thread_id, roots, viewer):
    """The top-level posts among roots that show for this viewer, in the order given."""
    moderator = can_moderate(viewer)
    hidden = [
        root.tree_id for root in roots if not root.text_visible_to(viewer, moderator=moderator)
    ]
    kept = set()
    if hidden:
        # A hidden top-level post still shows, as a placeholder, over replies the viewer sees.
        # Which do is the same in every order: any order's forest tells.
        order = SORT_ORDERS[DEFAULT_SORT]
        forest = shown_forest(thread_outlines(thread_id, tree_ids=hidden), viewer, order)
        kept = {node.outline.tree_id for node in forest.roots}
    return [root for root in roots if root.tree_id not in hidden or root.tree_id in kept]


def context_of(path):
    """The path's top node, each ancestor holding only the next one: a permalink's context."""
    *ancestors, focus = path
    node = focus
    for ancestor in reversed(ancestors):
        node = replace(ancestor, replies=[node], size=1 + node.size)
    return node


@dataclass(eq=False, slots=True)
class Entry:
    """A node in reading order, and how many reply lists close after it."""

    node: Node
    opens_replies: bool  # its replies follow on this page
    continues: bool  # its replies are on its own page, below the depth cap
    closes: int = 0

    @property
    def closers(self):
        return range(self.closes)


def reading_order(roots, *, deepest_level):
    """Flatten trees, down to deepest_level, so a template renders any depth without recursion."""
    entries = []
    stack = roots[::-1]
    while stack:
        node = stack.pop()
        level = node.outline.level
        opens = bool(node.replies) and level < deepest_level
        entries.append(
            Entry(node, opens, bool(node.replies) and not opens)  # opens_replies, continues
        )
        if opens:
            stack.extend(reversed(node.replies))
        else:
            next_level = stack[-1].outline.level if stack else roots[0].outline.level
            entries[-1].closes = level - next_level
    return entries
