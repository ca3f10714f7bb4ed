"""Moderation actions, one function each, called alike by the moderation pages and the admin.

Each runs in one transaction, takes its thread's lock through forum.trees, keeps the thread's
counts right and writes one ModerationRecord. Whether the caller may act is the caller's check.
The thread and user actions live in forum.moderation_threads_and_bans and are re-exported here.
"""

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import trees
from .models import Flag, ModerationRecord, Post, Thread, active_ban

# Re-exported, so that every moderation action is called as moderation.<action>.
from .moderation_threads_and_bans import (  # noqa: F401
    ban_user,
    check_ban,
    lock_thread,
    set_premoderation,
    unban_user,
    unlock_thread,
)
from .services import free_thread_slug

Action = ModerationRecord.Action
Status = Post.Status
FLAGS_TO_HIDE = 3  # open flags that hide a post until a moderator decides; PARLEY_FLAGS_TO_HIDE


def approve_post(*, post: Post, moderator: AbstractBaseUser, reason: str = "") -> Post:
    """Publish a held post, or keep a flagged one published; its open flags are resolved."""
    with transaction.atomic():
        post = _locked_post(post)
        flagged = post.flags.open().exists()
        if post.status == Status.DELETED:
            raise ValidationError(_("Its author deleted this post."))
        if post.status == Status.PUBLISHED and not flagged:
            raise ValidationError(_("This post is already published."))
        return _decide(post, Status.PUBLISHED, Action.APPROVE, moderator, reason)


def remove_post(
    *, post: Post, moderator: AbstractBaseUser, reason: str, subtree: bool = False
) -> Post:
    """Hide a post (its text kept for appeal), or with subtree=True every reply under it too."""
    with transaction.atomic():
        post = _locked_post(post)
        removable = [Status.PUBLISHED, Status.PENDING]
        if subtree:
            posts = post.get_descendants(include_self=True).filter(status__in=removable)
            changed = dict(posts.values_list("pk", "status"))
        else:
            changed = {post.pk: post.status} if post.status in removable else {}
        if not changed:
            raise ValidationError(_("There is nothing left here to remove."))
        _set_status(changed, Status.REMOVED)
        resolved = _resolve_flags(changed, moderator)
        post.thread.update_counts()
        action = Action.REMOVE_SUBTREE if subtree else Action.REMOVE
        ModerationRecord.objects.record(
            action,
            moderator,
            post=post,
            reason=reason,
            flags_resolved=resolved,
            removed=sorted(changed),
        )
    return _fresh(post)


def mark_spam(*, post: Post, moderator: AbstractBaseUser, reason: str = "") -> Post:
    """Hide a post as spam; its text is kept for moderators."""
    with transaction.atomic():
        post = _locked_post(post)
        if post.status in (Status.SPAM, Status.DELETED):
            raise ValidationError(_("This post is already spam or deleted by its author."))
        return _decide(post, Status.SPAM, Action.SPAM, moderator, reason)


def move_post(*, post: Post, new_parent: Post, moderator: AbstractBaseUser, reason: str) -> Post:
    """Move a post with its replies under another post of the same thread."""
    with transaction.atomic():
        post = _locked_post(post)
        new_parent = Post.objects.get(pk=new_parent.pk)
        if new_parent.thread_id == post.thread_id and not new_parent.accepts_replies:
            raise ValidationError(_("Posts can only be moved under a published post."))
        old_parent_id = post.parent_id
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
    return moved


def split_post(*, post: Post, moderator: AbstractBaseUser, reason: str, title: str) -> Thread:
    """Make a post and its replies a new thread of their own; return the new thread."""
    title = title.strip()
    with transaction.atomic():
        trees.lock_new_trees()  # the documented lock order: before any row, even a new one
        source = Thread.objects.get(pk=post.thread_id)
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
    new_thread.refresh_from_db()
    return new_thread


def flag_post(*, post: Post, reporter: AbstractBaseUser, reason: str, note: str = "") -> Flag:
    """Report a post to the moderators; enough open reports hide it until one decides."""
    if not reporter.is_authenticated:
        raise ValidationError(_("Log in to report a post."))
    if active_ban(reporter):
        raise ValidationError(_("You are banned and cannot report posts."))
    with transaction.atomic():
        post = _locked_post(post)
        if post.author_id == reporter.pk:
            raise ValidationError(_("You cannot report your own post."))
        if post.status != Status.PUBLISHED:
            raise ValidationError(_("Only published posts can be reported."))
        flag = Flag(post=post, reporter=reporter, reason=reason, note=note.strip())
        flag.full_clean()
        flag.save()
        threshold = getattr(settings, "PARLEY_FLAGS_TO_HIDE", FLAGS_TO_HIDE)
        open_flags = post.flags.open().count()
        if threshold and open_flags >= threshold:
            _set_status([post.pk], Status.PENDING)
            post.thread.update_counts()
            ModerationRecord.objects.record(
                Action.HIDE_FLAGGED, None, post=post, open_flags=open_flags
            )
    return flag


def dismiss_flags(*, post: Post, moderator: AbstractBaseUser, reason: str = "") -> Post:
    """Resolve a post's open flags as unfounded; a post they had hidden is published again."""
    with transaction.atomic():
        post = _locked_post(post)
        if not post.flags.open().exists():
            raise ValidationError(_("This post has no open flags."))
        resolved = _resolve_flags([post.pk], moderator)
        # Only published posts can be flagged, so a held post with open flags was held by them.
        republished = post.status == Status.PENDING
        if republished:
            _set_status([post.pk], Status.PUBLISHED)
            post.thread.update_counts()
        ModerationRecord.objects.record(
            Action.DISMISS_FLAGS,
            moderator,
            post=post,
            reason=reason,
            flags_resolved=resolved,
            republished=republished,
        )
    return _fresh(post)


def _locked_post(post):
    """Lock the post's thread, then read the post afresh under that lock."""
    (thread,) = trees.lock_threads(post.thread)
    post = Post.objects.select_related("author").get(pk=post.pk)
    if post.thread_id != thread.pk:
        raise ValidationError(_("This post was moved to another thread meanwhile; try again."))
    post.thread = thread
    return post


def _decide(post, status, action, moderator, reason):
    """Give one locked post a new status, resolve its open flags, recount and record it."""
    previous = post.status
    _set_status([post.pk], status)
    resolved = _resolve_flags([post.pk], moderator)
    post.thread.update_counts()
    ModerationRecord.objects.record(
        action,
        moderator,
        post=post,
        reason=reason,
        previous_status=previous,
        flags_resolved=resolved,
    )
    return _fresh(post)


def _set_status(pks, status):
    Post.objects.filter(pk__in=list(pks)).update(status=status)


def _resolve_flags(post_pks, moderator):
    return (
        Flag.objects.open()
        .filter(post__in=list(post_pks))
        .update(resolved_at=timezone.now(), resolved_by=moderator)
    )


def _fresh(post):
    post.refresh_from_db()
    return post
