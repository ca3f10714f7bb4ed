"""A discussion as one request reads it: the shared fragment, cached, with this reader's footers.

Readers fall into audiences that see the same posts: the public (anyone who has no post of their
own awaiting moderation in the thread) and moderators. Each audience's fragment is rendered once
per version of the thread and served to all of it; an author with held posts sees a fragment
rendered for them alone, since only they see those posts.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.utils import timezone

from reading.new_posts import NOTHING_NEW, read_discussion

from .. import selectors
from ..discussions import top_level_per_page
from ..models import Post, can_moderate
from ..services import edit_window_end
from . import cache, reader_pages
from .badges import Badges
from .folds import folds
from .footers import footers, reader_of
from .fragments import Fragment
from .items import render_fragment
from .roots import shown_tree_ids
from .tree_fragments import tree_fragments

PUBLIC, MODERATORS = "public", "moderators"


@dataclass(frozen=True)
class RenderedDiscussion:
    """What is cached of a discussion page: its fragment and what the page says around it."""

    fragment: Fragment
    roots: int  # top-level posts shown, for the page links
    page_number: int
    focus_found: bool = False  # a permalink's post is one this audience may read
    focus_author: str = ""  # its author's name, where its text shows
    focus_url: str = ""


def audience_of(user, thread):
    """Whom this reader sees the thread's posts like: PUBLIC, MODERATORS, or None (alone)."""
    if can_moderate(user):
        return MODERATORS
    if user.is_authenticated and (
        Post.objects.filter(thread=thread, author=user, status=Post.Status.PENDING).exists()
    ):
        return None
    return PUBLIC


def shown_tree_ids_for(thread, viewer):
    """A function giving, for an order, the top-level posts this viewer sees (as tree_ids) if
    the cache keeps them for the pages, else None: the redirect after a reply finds its page
    there, and counts it where they are not kept."""
    audience = audience_of(viewer, thread)
    seen_as = AnonymousUser() if audience == PUBLIC else viewer
    return lambda order: shown_tree_ids(thread, seen_as, order, audience, kept_only=True)


def page_asked(request, thread, audience=PUBLIC):
    """The sort order and page number this request asks for, as the page will understand them."""
    order = selectors.sort_order(request.GET.get("sort"))
    pages_key = cache.fragment_key(thread, audience, "pages", order.name)
    known = cache.read(pages_key) if audience and request.GET.get("page") else None
    return order, _page_number(request.GET.get("page"), known_pages=known), pages_key


def thread_discussion(request, thread, asked=None) -> selectors.Discussion:
    """The page of a thread's discussion that this request asks for, as its reader sees it.

    asked: what page_asked() gave the view for the public, used again if this reader is one."""
    audience = audience_of(request.user, thread)
    if asked is None or audience != PUBLIC:
        asked = page_asked(request, thread, audience)
    order, number, pages_key = asked

    def render(viewer):
        roots = shown_tree_ids(thread, viewer, order, audience)
        page_ = Paginator(roots, top_level_per_page()).get_page(number)
        trees = tree_fragments(thread, page_.object_list, viewer, audience, order)
        if audience:
            cache.store(pages_key, page_.paginator.num_pages)
        return RenderedDiscussion(Fragment.discussion(trees), len(roots), page_.number)

    rendered = _rendered(request, thread, audience, render, "page", order.name, number)
    paginator = Paginator(range(rendered.roots), top_level_per_page())
    return selectors.Discussion(
        [],
        order,
        page=paginator.get_page(rendered.page_number),
        html=_with_footers(request, thread, rendered.fragment),
    )


def post_discussion(request, post) -> selectors.Discussion:
    """A post with its ancestors and replies, or not found where the reader may not see it."""
    order = selectors.sort_order(request.GET.get("sort"))

    def render(viewer):
        discussion = selectors.post_discussion(post, viewer, sort=order.name)
        focus = discussion.focus
        fragment = Fragment.discussion(
            [
                render_fragment(
                    discussion.entries,
                    focus_pk=post.pk,
                    continue_query=selectors.query_string(order.name),
                    badges=Badges.of(discussion.entries, post.thread.starter_pk),
                )
            ]
        )
        return RenderedDiscussion(
            fragment,
            roots=0,
            page_number=1,
            focus_found=focus is not None,
            focus_author=focus.post.author_name if focus and focus.shows_text else "",
            focus_url=discussion.focus_url,
        )

    audience = audience_of(request.user, post.thread)
    rendered = _rendered(request, post.thread, audience, render, "post", post.pk, order.name)
    return selectors.Discussion(
        [],
        order,
        focus_url=rendered.focus_url,
        found=rendered.focus_found,
        focus_author=rendered.focus_author,
        html=_with_footers(request, post.thread, rendered.fragment),
    )


def _rendered(request, thread, audience, render, *key_parts):
    if audience is None:
        return render(request.user)
    viewer = request.user if audience == MODERATORS else AnonymousUser()
    return cache.cached(cache.fragment_key(thread, audience, *key_parts), lambda: render(viewer))


def _with_footers(request, thread, fragment):
    if not fragment.posts:
        return b""
    reader = reader_of(request, thread, fragment.posts)
    # What is new to this reader is marked per request, beside the footers, never in the fragment;
    # so are the folds around posts by authors this reader muted.
    new = read_discussion(request, thread, fragment.posts)
    _note_for_keeping(request, new, fragment.posts)
    marked = new.mark(fragment.posts, footers(reader, fragment.posts))
    return fragment.assemble(marked, folds(request.user, fragment.posts), before=new.summary)


def _note_for_keeping(request, new, posts):
    """What a logged-in reader's page, kept whole for them (reader_pages), must know of them."""
    user = request.user
    if not user.is_authenticated:
        return
    notes = reader_pages.keeping(request)
    if new is not NOTHING_NEW:
        # This read moved their mark: the next one shows less as new.
        notes.refuse("it showed the reader new posts")
    now = timezone.now()
    # Their own posts' Edit links go when their windows close.
    for post in posts:
        if post.author_id == user.pk:
            window_end = edit_window_end(post)
            if window_end is not None and window_end > now:
                notes.changes_at(window_end)


def _page_number(page, *, known_pages=None):
    """The page asked for: not a number is the first, out of range the last, as Paginator does.

    Clamped before it becomes a key, so ?page=<random> cannot make a render each time."""
    try:
        number = int(page)
    except (TypeError, ValueError):
        return 1
    if known_pages and not 1 <= number <= known_pages:
        return known_pages
    return number
