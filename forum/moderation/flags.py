"""Readers' reports on posts, and moderators dismissing them.

Enough open reports hide a post until a moderator decides (PARLEY_FLAGS_TO_HIDE in forum.conf).
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import conf, events
from ..models import Flag, ModerationRecord, Post, active_ban
from .steps import fresh, locked_post, resolve_flags, set_status

Action = ModerationRecord.Action
Status = Post.Status

LOCKED_THREAD = gettext_lazy("This discussion is locked: its comments can no longer be reported.")


def flag_post(*, post: Post, reporter: AbstractBaseUser, reason: str, note: str = "") -> Flag:
    """Report a post to the moderators; enough open reports hide it until one decides."""
    if not reporter.is_authenticated:
        raise ValidationError(_("Log in to report a comment."))
    if active_ban(reporter):
        raise ValidationError(_("You are banned and cannot report comments."))
    with transaction.atomic():
        post = locked_post(post)
        if post.thread.is_closed_to(reporter):
            raise ValidationError(LOCKED_THREAD)
        if post.author_id == reporter.pk:
            raise ValidationError(_("You cannot report your own comment."))
        if post.status != Status.PUBLISHED:
            raise ValidationError(_("Only published comments can be reported."))
        flag = Flag(post=post, reporter=reporter, reason=reason, note=note.strip())
        flag.full_clean()
        flag.save()
        threshold = conf.settings.FLAGS_TO_HIDE
        open_flags = post.flags.open().count()
        if threshold and open_flags >= threshold:
            set_status([post.pk], Status.PENDING)
            post.thread.count_published(-1)
            ModerationRecord.objects.record(
                Action.HIDE_FLAGGED, None, post=post, open_flags=open_flags
            )
            events.announce_posts(events.Write.POST_HIDDEN, [post])
        else:
            events.announce_posts(events.Write.POST_FLAGGED, [post])
    return flag


def dismiss_flags(*, post: Post, moderator: AbstractBaseUser, reason: str = "") -> Post:
    """Resolve a post's open flags as unfounded; a post they had hidden is published again."""
    with transaction.atomic():
        post = locked_post(post)
        if not post.flags.open().exists():
            raise ValidationError(_("This post has no open flags."))
        resolved = resolve_flags([post.pk], moderator)
        # Only published posts can be flagged, so a held post with open flags was held by them.
        republished = post.status == Status.PENDING
        if republished:
            set_status([post.pk], Status.PUBLISHED)
            post.thread.count_published(+1, newest=post.created_at)
        ModerationRecord.objects.record(
            Action.DISMISS_FLAGS,
            moderator,
            post=post,
            reason=reason,
            flags_resolved=resolved,
            republished=republished,
        )
        events.announce_posts(events.Write.FLAGS_DISMISSED, [post])
    return fresh(post)
