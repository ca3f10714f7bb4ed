"""Reads of the forum: discussions as trees in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from .models import Post, Thread, can_moderate

SORT_ORDERS = {
    "oldest": lambda post: (post.created_at, post.pk),
}
DEFAULT_SORT = "oldest"


@dataclass
class Node:
    """One post as a given reader sees it: its text, a placeholder, and its shown replies."""

    post: Post
    shows_text: bool
    replies: list["Node"] = field(default_factory=list)

    @property
    def placeholder(self):
        return None if self.shows_text else self.post.placeholder


@dataclass
class Entry:
    """A node in reading order, with how many reply lists close after it."""

    node: Node
    depth: int
    opens_replies: bool
    closes: int

    @property
    def closers(self):
        return range(self.closes)


def thread_posts(thread):
    """Every post of the thread, with authors, in one query."""
    return list(
        Post.objects.filter(thread=thread).select_related("author").order_by("created_at", "pk")
    )


def discussion_tree(posts, viewer, *, sort=DEFAULT_SORT):
    """Build the shown trees from fetched posts, hiding what the viewer may not see."""
    moderator = can_moderate(viewer)
    children = defaultdict(list)
    for post in posts:
        children[post.parent_id].append(post)
    sort_key = SORT_ORDERS[sort]
    for siblings in children.values():
        siblings.sort(key=sort_key)
    return [
        node
        for root in children[None]
        if (node := _shown_node(root, children, viewer, moderator)) is not None
    ]


def _shown_node(root, children, viewer, moderator):
    """Decide what is shown bottom-up, without recursion: chains can be thousands deep."""
    shown = {}
    stack = [(root, False)]
    while stack:
        post, replies_done = stack.pop()
        if not replies_done:
            stack.append((post, True))
            stack.extend((reply, False) for reply in reversed(children[post.pk]))
            continue
        node = Node(post, post.text_visible_to(viewer, moderator=moderator))
        node.replies = [shown[r.pk] for r in children[post.pk] if shown.get(r.pk) is not None]
        # A hidden post keeps its place only to hold visible replies, and only where the
        # status table gives it a placeholder; a pending post hides its branch with it.
        keep = node.shows_text or (node.replies and post.placeholder is not None)
        shown[post.pk] = node if keep else None
    return shown[root.pk]


def reading_order(nodes, depth=0):
    """Flatten trees into entries so a template can render any depth without recursion."""
    entries = []
    stack = [(node, depth) for node in reversed(nodes)]
    while stack:
        node, level = stack.pop()
        entries.append(Entry(node, level, bool(node.replies), 0))
        if node.replies:
            stack.extend((reply, level + 1) for reply in reversed(node.replies))
        else:
            next_level = stack[-1][1] if stack else depth
            entries[-1].closes = level - next_level
    return entries


def thread_discussion(thread, viewer, *, sort=DEFAULT_SORT):
    return reading_order(discussion_tree(thread_posts(thread), viewer, sort=sort))


def post_in_context(post):
    """The post, its ancestors and all its replies, with authors, in one query."""
    ancestors_and_self = Q(lft__lte=post.lft, rght__gte=post.rght)
    replies = Q(lft__gt=post.lft, rght__lt=post.rght)
    return list(
        Post.objects.filter(ancestors_and_self | replies, tree_id=post.tree_id)
        .select_related("author")
        .order_by("created_at", "pk")
    )


def post_discussion(post, viewer, *, sort=DEFAULT_SORT):
    """The post in context as this viewer sees it, and its node (None if it is not shown)."""
    entries = reading_order(discussion_tree(post_in_context(post), viewer, sort=sort))
    focus = next((entry.node for entry in entries if entry.node.post.pk == post.pk), None)
    return entries, focus


def listed_threads():
    """Threads anyone may read: free-standing ones and those of published articles."""
    published_article = Q(article__published_at__lte=timezone.now())
    return (
        Thread.objects.filter(Q(article__isnull=True) | published_article)
        .select_related("article")
        .order_by("-last_activity_at", "-pk")
    )


def active_threads(limit=10):
    return listed_threads().filter(post_count__gt=0)[:limit]
