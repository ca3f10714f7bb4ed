"""The top-level posts a discussion shows, kept in the cache so a write inside a tree never
makes the next read re-read them all.

A discussion of 100,000 posts has some 20,000 top-level posts. Which of them an audience sees,
and in which order, changes far less often than the page does: only when a top-level post is
added, moved or changes status, when a write lands in a tree whose top-level post is hidden (it
shows, as a placeholder, only while it holds replies the reader sees), or, for the "best" order
alone, when a top-level post's votes change. The thread's two roots versions change with those
writes and no others (bump_roots_versions, inside the write's transaction like every version),
so a vote or a reply deeper in a tree leaves the list where it is in the cache: the next read
renders that one tree again and takes the other trees and the list as they were.
"""

import secrets

from django.db.models import Q

from .. import events, selectors
from ..models import Post, Thread
from . import cache

Write = events.Write
# The writes that change posts only inside the trees they name, and top-level posts only by
# naming them. Any other write to a thread (a move, a split, an import, a new kind of write
# added later) changes its roots version: a list kept too long would show a stale page.
WITHIN_TREES = frozenset(
    {
        Write.POST_ADDED,
        Write.POST_EDITED,
        Write.POST_DELETED,
        Write.POST_FLAGGED,
        Write.POST_HIDDEN,
        Write.POST_APPROVED,
        Write.POST_REMOVED,
        Write.POST_MARKED_SPAM,
        Write.FLAGS_DISMISSED,
        Write.ACCOUNT_DELETED,
    }
)
# Votes change no post's visibility: only the "best" order of top-level posts.
SCORES_ONLY = frozenset({Write.POST_VOTED})
# Who wears a badge changes how posts look, never which show nor their order.
MARKUP_ONLY = frozenset({Write.MODERATORS_CHANGED})
ORDERS_BY_SCORE = frozenset({"best"})


def shown_tree_ids(thread, viewer, order, audience, *, kept_only=False):
    """The tree_ids of the top-level posts this audience sees, in the order's order.

    audience None (a reader who alone sees some posts) is computed for them and not kept.
    kept_only: None rather than computing a list the cache does not hold."""
    if audience is None:
        return None if kept_only else _computed(thread, viewer, order)
    key = _key(thread, audience, order)
    ids = cache.read(key)
    if ids is None and not kept_only:
        cache.stats["roots_misses"] += 1
        ids = _computed(thread, viewer, order)
        cache.store(key, ids)
    return ids


def _computed(thread, viewer, order):
    return [root.tree_id for root in selectors.shown_roots(thread.pk, viewer, order)]


def _key(thread, audience, order):
    fields = [cache.CODE_VERSION, thread.pk, thread.roots_version, audience, order.name]
    if order.name in ORDERS_BY_SCORE:
        fields.append(thread.roots_score_version)
    return "roots:" + ":".join(str(field) for field in fields)


def bump_roots_versions(sender, change, **kwargs):
    """A receiver of events.writing: change the roots versions of the threads whose list of
    top-level posts, or their order by votes, this write may have changed."""
    if not change.threads or change.write in MARKUP_ONLY:
        return
    version = secrets.randbits(62)  # random, as the thread's version is: see bump_versions
    if change.write in SCORES_ONLY and not change.whole_threads:
        voted = _roots_among(change).filter(pk__in=change.posts)
        Thread.objects.filter(pk__in=voted.values("thread_id")).update(roots_score_version=version)
        return
    if change.write in WITHIN_TREES and change.trees and not change.whole_threads:
        # A named top-level post, or any write in a tree whose top-level post is hidden.
        touched = _roots_among(change).filter(
            Q(pk__in=change.posts) | ~Q(status=Post.Status.PUBLISHED)
        )
        threads = Thread.objects.filter(pk__in=touched.values("thread_id"))
    else:
        threads = Thread.objects.filter(pk__in=change.threads)
    threads.update(roots_version=version, roots_score_version=version)


def _roots_among(change):
    # By tree alone, on its index: naming the threads could lead SQLite through every top-level
    # post of the thread. A tree is in one thread.
    return Post.objects.filter(tree_id__in=change.trees, level=0).order_by()
