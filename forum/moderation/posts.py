"""Decisions on posts: approve, remove, mark as spam, move under another post, split off.

Each runs in one transaction, takes its thread's lock through forum.trees, keeps the thread's
counts right and writes one ModerationRecord. Whether the caller may act is the caller's check.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import events, trees
from ..models import ModerationRecord, Post, Thread
from ..services import free_thread_slug
from .steps import decide, fresh, locked_post, resolve_flags, set_status

Action = ModerationRecord.Action
Status = Post.Status


def approve_post(*, post: Post, moderator: AbstractBaseUser, reason: str = "") -> Post:
    """Publish a held post, or keep a flagged one published; its open flags are resolved."""
    with transaction.atomic():
        post = locked_post(post)
        flagged = post.flags.open().exists()
        if post.status == Status.DELETED:
            raise ValidationError(_("Its author deleted this post."))
        if post.status == Status.PUBLISHED and not flagged:
            raise ValidationError(_("This post is already published."))
        return decide(
            post,
            Status.PUBLISHED,
            Action.APPROVE,
            moderator,
            reason,
            write=events.Write.POST_APPROVED,
        )


def remove_post(
    *, post: Post, moderator: AbstractBaseUser, reason: str, subtree: bool = False
) -> Post:
    """Hide a post (its text kept for appeal), or with subtree=True every reply under it too."""
    with transaction.atomic():
        post = locked_post(post)
        removable = [Status.PUBLISHED, Status.PENDING]
        if subtree:
            posts = post.get_descendants(include_self=True).filter(status__in=removable)
            changed = dict(posts.values_list("pk", "status"))
        else:
            changed = {post.pk: post.status} if post.status in removable else {}
        if not changed:
            raise ValidationError(_("There is nothing left here to remove."))
        set_status(changed, Status.REMOVED)
        resolved = resolve_flags(changed, moderator)
        if unpublished := sum(status == Status.PUBLISHED for status in changed.values()):
            post.thread.count_published(-unpublished)
        action = Action.REMOVE_SUBTREE if subtree else Action.REMOVE
        ModerationRecord.objects.record(
            action,
            moderator,
            post=post,
            reason=reason,
            flags_resolved=resolved,
            removed=sorted(changed),
        )
        events.announce(
            events.Write.POST_REMOVED,
            threads=[post.thread_id],
            trees=[post.tree_id],
            posts=changed,
        )
    return fresh(post)


def mark_spam(*, post: Post, moderator: AbstractBaseUser, reason: str = "") -> Post:
    """Hide a post as spam; its text is kept for moderators."""
    with transaction.atomic():
        post = locked_post(post)
        if post.status in (Status.SPAM, Status.DELETED):
            raise ValidationError(_("This post is already spam or deleted by its author."))
        return decide(
            post, Status.SPAM, Action.SPAM, moderator, reason, write=events.Write.POST_MARKED_SPAM
        )


def move_post(*, post: Post, new_parent: Post, moderator: AbstractBaseUser, reason: str) -> Post:
    """Move a post with its replies under another post of the same thread."""
    with transaction.atomic():
        post = locked_post(post)
        new_parent = Post.objects.get(pk=new_parent.pk)
        if new_parent.thread_id == post.thread_id and not new_parent.accepts_replies:
            raise ValidationError(_("Posts can only be moved under a published post."))
        old_parent_id, old_tree_id = post.parent_id, post.tree_id
        try:
            moved = trees.move_subtree(post=post, new_parent=new_parent)
        except trees.InvalidMove as refusal:
            raise ValidationError(str(refusal)) from refusal
        ModerationRecord.objects.record(
            Action.MOVE,
            moderator,
            post=moved,
            reason=reason,
            from_parent=old_parent_id,
            to_parent=new_parent.pk,
        )
        events.announce(
            events.Write.POST_MOVED,
            threads=[moved.thread_id],
            trees=[old_tree_id, moved.tree_id],
            posts=[moved],
        )
    return moved


def split_post(*, post: Post, moderator: AbstractBaseUser, reason: str, title: str) -> Thread:
    """Make a post and its replies a new thread of their own; return the new thread."""
    title = title.strip()
    with transaction.atomic():
        trees.lock_new_trees()  # the documented lock order: before any row, even a new one
        post = locked_post(post)  # its tree_id is read under the lock, for the announcement
        if post.status != Status.PUBLISHED:
            # Its discussion would be listed with nothing in it that readers may see.
            raise ValidationError(
                _("Only a published post can start a new discussion; this one is %(status)s.")
                % {"status": post.get_status_display()}
            )
        source = post.thread
        new_thread = Thread(title=title, slug=free_thread_slug(title))
        new_thread.full_clean()
        new_thread.save()
        try:
            root = trees.split_subtree(post=post, new_thread=new_thread)
        except trees.InvalidMove as refusal:
            raise ValidationError(str(refusal)) from refusal
        moved = Post.objects.filter(tree_id=root.tree_id).count()
        ModerationRecord.objects.record(
            Action.SPLIT,
            moderator,
            post=root,
            thread=source,
            reason=reason,
            new_thread=new_thread.pk,
            new_thread_slug=new_thread.slug,
            moved_posts=moved,
        )
        events.announce(
            events.Write.POST_SPLIT,
            threads=[source, new_thread],
            trees=[post.tree_id, root.tree_id],
            posts=[root],
        )
    new_thread.refresh_from_db()
    return new_thread
