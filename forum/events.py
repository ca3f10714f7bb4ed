"""One announcement of every write that changes what a page shows, sent once the write commits.

Each write service (posting, editing, deleting, voting, flagging, every moderation action, an
import, the admin's edits of articles and threads) calls announce() inside its transaction,
naming what it changed. Receivers of `written` (notifications, the search index) learn of it
only after the commit, so none of them ever acts on a write that was rolled back. Receivers of
`writing` run inside the write's transaction, for bookkeeping that must commit or roll back with
it: the page cache's versions (forum.rendering.cache). Nothing else does this job: no
Model.save() override, no signal on a model of ours. (Accounts, groups and permissions are
Django's models: an account's deletion is announced from its pre_delete, by forum.authors, and
an account joining or leaving the moderators from the signals of its groups, permissions and
flags, by forum.moderators, since every way of making those changes sends them.)

    from forum import events

    def on_write(sender, change, **kwargs): ...
    events.written.connect(on_write)
"""

import logging
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

# Sent inside the write's transaction, with change=Change; a receiver's error fails the write.
writing = Signal()
# Sent after the write's transaction commits, with change=Change.
written = Signal()


class Write(StrEnum):
    POST_ADDED = "post-added"
    POST_EDITED = "post-edited"
    POST_DELETED = "post-deleted"
    POST_VOTED = "post-voted"
    POST_FLAGGED = "post-flagged"
    POST_HIDDEN = "post-hidden"  # by enough readers' flags, until a moderator decides
    POST_APPROVED = "post-approved"
    POST_REMOVED = "post-removed"
    POST_MARKED_SPAM = "post-marked-spam"
    POST_MOVED = "post-moved"
    POST_SPLIT = "post-split"
    FLAGS_DISMISSED = "flags-dismissed"
    THREAD_LOCKED = "thread-locked"
    THREAD_UNLOCKED = "thread-unlocked"
    PREMODERATION_CHANGED = "premoderation-changed"
    THREAD_EDITED = "thread-edited"
    ARTICLE_EDITED = "article-edited"  # added or changed in the admin
    ARTICLE_DELETED = "article-deleted"
    USER_BANNED = "user-banned"
    USER_UNBANNED = "user-unbanned"
    ACCOUNT_DELETED = "account-deleted"  # its posts stay, without an author (forum.authors)
    MODERATORS_CHANGED = "moderators-changed"  # their posts' badges change (forum.moderators)
    POSTS_IMPORTED = "posts-imported"
    POSTS_LOADED = "posts-loaded"  # a bulk tree load outside an import (the benchmark's)


@dataclass(frozen=True)
class Change:
    """What one write changed: the pages of these threads, in these trees, for these posts."""

    write: Write
    threads: frozenset[int] = frozenset()  # pks of the threads whose pages show it
    trees: frozenset[int] = frozenset()  # tree_ids whose posts changed; see whole_threads
    posts: frozenset[int] = frozenset()  # pks of the posts written
    articles: frozenset[int] = frozenset()
    users: frozenset[int] = frozenset()  # whose standing changed (bans, moderators)
    whole_threads: bool = False  # every tree of the threads changed (a lock, a new title)


def announce(
    write: Write,
    *,
    threads=(),
    trees=(),
    posts=(),
    articles=(),
    users=(),
    whole_threads: bool = False,
) -> Change:
    """Say what this write changed: to `writing` receivers now, to `written` ones at commit."""
    change = Change(
        Write(write),
        threads=_pks(threads),
        trees=frozenset(trees),
        posts=_pks(posts),
        articles=_pks(articles),
        users=_pks(users),
        whole_threads=whole_threads,
    )
    writing.send(sender=Change, change=change)

    def deliver():
        deliver_change(change)

    transaction.on_commit(deliver, robust=True)
    return change


def deliver_change(change: Change) -> None:
    """Tell every receiver; one that fails is logged, and the others still hear of it."""
    # The write has committed: a receiver's bug must neither turn it into an error page nor
    # keep the next receiver (the page cache, say) from hearing of it.
    for receiver, result in written.send_robust(sender=Change, change=change):
        if isinstance(result, Exception):
            logger.error(
                "%s failed on %s",
                getattr(receiver, "__qualname__", receiver),
                change.write,
                exc_info=result,
            )


def announce_posts(write: Write, posts, **more) -> Change:
    """Announce a write to these posts: their threads, trees and pks."""
    posts = list(posts)
    return announce(
        write,
        threads={post.thread_id for post in posts},
        trees={post.tree_id for post in posts},
        posts=posts,
        **more,
    )


def _pks(objects):
    return frozenset(getattr(each, "pk", each) for each in objects)
