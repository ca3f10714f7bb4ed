"""Reads of the forum: lists of threads, and discussions in a fixed number of queries.

A discussion page costs the same few queries whatever its size: one light row per top-level post
(which show, in which order, on which page), then its own trees, outlines and texts in one read
(forum.discussions decides from them what shows, where, and down to which depth).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.utils import timezone

from .discussions import (
    DEFAULT_SORT,
    SORT_ORDERS,
    Entry,
    Node,
    SortOrder,
    context_of,
    max_depth,
    reading_order,
    shown_forest,
    shown_roots,
    shown_roots_before,
    sort_order,
    thread_outlines,
    top_level_per_page,
)
from .models import Thread
from .shown_posts import attach_posts, context_scope, trees_in_reading_order

__all__ = [
    "DEFAULT_SORT",
    "SORT_ORDERS",
    "Discussion",
    "active_threads",
    "discussion_url",
    "listed_threads",
    "page_of_post",
    "post_discussion",
    "thread_discussion",
]


def query_string(sort, page=1):
    """The query of a discussion link; the default sort and the first page go without."""
    params = {"sort": sort} if sort != DEFAULT_SORT else {}
    if page != 1:
        params["page"] = page
    return f"?{urlencode(params)}" if params else ""


@dataclass(frozen=True)
class Link:
    label: str
    query: str | None  # None: a gap in a long run of pages
    current: bool = False


@dataclass
class Discussion:
    """What a discussion page shows: the entries in reading order, their sort and page."""

    entries: list[Entry]
    sort: SortOrder
    page: Page | None = None  # of top-level posts; a permalink page has none
    focus: Node | None = None  # the post a permalink page is about
    focus_url: str = ""  # where the focus is read in the whole discussion
    found: bool = True  # a permalink's post is one the reader may see
    focus_author: str = ""  # a permalink's post's author, where its text shows
    html: bytes = b""  # the entries rendered for one reader, in UTF-8 (forum.rendering)

    @property
    def sort_links(self):
        return [
            Link(order.label, query_string(order.name), order is self.sort)
            for order in SORT_ORDERS.values()
        ]

    @property
    def page_links(self):
        if self.page is None or not self.page.has_other_pages():
            return []
        numbers = self.page.paginator.get_elided_page_range(self.page.number, on_ends=1)
        return [
            Link(str(number), query_string(self.sort.name, number), number == self.page.number)
            if isinstance(number, int)
            else Link(number, None)
            for number in numbers
        ]

    @property
    def previous_link(self):
        if self.page is not None and self.page.has_previous():
            number = self.page.previous_page_number()
            return Link(str(number), query_string(self.sort.name, number))
        return None

    @property
    def next_link(self):
        if self.page is not None and self.page.has_next():
            number = self.page.next_page_number()
            return Link(str(number), query_string(self.sort.name, number))
        return None

    @property
    def continue_query(self):
        """The query that keeps the sort on a "Continue this thread" page."""
        return query_string(self.sort.name)


def thread_discussion(thread, viewer, *, sort=DEFAULT_SORT, page=1) -> Discussion:
    """One page of the thread's top-level posts with their replies, as this viewer sees them."""
    order = sort_order(sort)
    top_level = Paginator(shown_roots(thread.pk, viewer, order), top_level_per_page())
    top_level = top_level.get_page(page)
    trees = [root.tree_id for root in top_level]
    return Discussion(tree_entries(trees, viewer, order), order, page=top_level)


def tree_entries(trees, viewer, order):
    """The entries of these trees (tree_ids), in reading order, with their texts."""
    return trees_in_reading_order(trees, viewer, order, deepest_level=max_depth() - 1)


def post_discussion(post, viewer, *, sort=DEFAULT_SORT) -> Discussion:
    """The post, its ancestors and its replies down to the depth cap below it.

    The discussion's focus is None when the viewer may not see the post."""
    order = sort_order(sort)
    path = _path_to(post, viewer, order)
    if path is None:
        return Discussion([], order)
    focus = path[-1]
    deepest = focus.outline.level + max_depth() - 1
    entries = reading_order([context_of(path)], deepest_level=deepest)
    attach_posts(entries, context_scope(focus, deepest_level=deepest))
    # Below the cap the post is not on the thread's page: point at the ancestor that leads on.
    shown_ancestor = path[: max_depth()][-1]
    focus_url = _url_on_page(post, viewer, path, order, anchor=shown_ancestor)
    return Discussion(entries, order, focus=focus, focus_url=focus_url)


def page_of_post(post, viewer, *, sort=DEFAULT_SORT) -> int:
    """The page of the thread's discussion holding this post's top-level post (1 if unseen)."""
    order = sort_order(sort)
    path = _path_to(post, viewer, order)
    return 1 if path is None else _page_number(post, viewer, path, order)


def discussion_url(post, viewer, *, sort=DEFAULT_SORT, shown_tree_ids=None) -> str:
    """Where this viewer reads the post: its thread's page, or its permalink below the cap.

    shown_tree_ids(order), if given, lists the top-level posts the viewer sees (as tree_ids),
    from the page cache: a post whose tree it lists needs nothing counted."""
    order = sort_order(sort)
    path = _path_to(post, viewer, order)
    if path is None:
        return post.thread.get_absolute_url()
    if len(path) > max_depth():
        return f"{post.get_absolute_url()}{query_string(order.name)}#{post.anchor}"
    return _url_on_page(post, viewer, path, order, anchor=path[-1], shown=shown_tree_ids)


def _path_to(post, viewer, order):
    """The shown nodes from the post's top-level post down to it, reading its tree alone."""
    forest = shown_forest(thread_outlines(post.thread_id, tree_ids=[post.tree_id]), viewer, order)
    return forest.path_to(post.pk)


def _page_number(post, viewer, path, order, shown=None):
    root = path[0].outline.pk
    tree_ids = (shown(order) if shown is not None else None) or []
    if path[0].outline.tree_id in tree_ids:
        before = tree_ids.index(path[0].outline.tree_id)
    elif order.by_time:  # the redirect after every reply: counted, whatever the thread's size
        before = shown_roots_before(post.thread_id, root, viewer, order)
    else:
        before = [each.pk for each in shown_roots(post.thread_id, viewer, order)].index(root)
    return before // top_level_per_page() + 1


def _url_on_page(post, viewer, path, order, *, anchor, shown=None):
    query = query_string(order.name, _page_number(post, viewer, path, order, shown))
    return f"{post.thread.get_absolute_url()}{query}#post-{anchor.outline.pk}"


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
