"""Steps every decision on a post shares: lock, change statuses, resolve flags, re-read."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events, trees
from ..models import Flag, ModerationRecord, Post


def locked_post(post):
    """Lock the post's thread, then read the post afresh under that lock."""
    (thread,) = trees.lock_threads(post.thread)
    post = Post.objects.select_related("author").get(pk=post.pk)
    if post.thread_id != thread.pk:
        raise ValidationError(_("This post was moved to another thread meanwhile; try again."))
    post.thread = thread
    return post


def decide(post, status, action, moderator, reason, *, write):
    """Give one locked post a new status, resolve its open flags, recount, record, announce."""
    previous = post.status
    set_status([post.pk], status)
    resolved = resolve_flags([post.pk], moderator)
    published = Post.Status.PUBLISHED
    if (status == published) != (previous == published):
        post.thread.count_published(+1 if status == published else -1, newest=post.created_at)
    ModerationRecord.objects.record(
        action,
        moderator,
        post=post,
        reason=reason,
        previous_status=previous,
        flags_resolved=resolved,
    )
    events.announce_posts(write, [post])
    return fresh(post)


def set_status(pks, status):
    Post.objects.filter(pk__in=list(pks)).update(status=status)


def resolve_flags(post_pks, moderator):
    return (
        Flag.objects.open()
        .filter(post__in=list(post_pks))
        .update(resolved_at=timezone.now(), resolved_by=moderator)
    )


def fresh(post):
    post.refresh_from_db()
    return post
