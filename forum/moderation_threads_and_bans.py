"""Moderation of threads and users: locking, pre-moderation, bans; re-exported by moderation.

Like forum.moderation, each action runs in one transaction, takes its locks first and writes one
ModerationRecord. Whether the caller may act is the caller's check.
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import trees
from .models import Ban, ModerationRecord, Thread

Action = ModerationRecord.Action


def lock_thread(*, thread: Thread, moderator: AbstractBaseUser, reason: str) -> Thread:
    """Close a thread to new posts, saying why."""
    limit = Thread._meta.get_field("lock_reason").max_length
    if len(reason) > limit:
        raise ValidationError(_("Keep the reason under %(limit)d characters.") % {"limit": limit})
    with transaction.atomic():
        (thread,) = trees.lock_threads(thread)
        if thread.is_locked:
            raise ValidationError(_("This thread is already locked."))
        thread.is_locked, thread.lock_reason = True, reason
        thread.save(update_fields=["is_locked", "lock_reason"])
        ModerationRecord.objects.record(Action.LOCK, moderator, thread=thread, reason=reason)
    return thread


def unlock_thread(*, thread: Thread, moderator: AbstractBaseUser, reason: str = "") -> Thread:
    """Open a locked thread to new posts again."""
    with transaction.atomic():
        (thread,) = trees.lock_threads(thread)
        if not thread.is_locked:
            raise ValidationError(_("This thread is not locked."))
        thread.is_locked, thread.lock_reason = False, ""
        thread.save(update_fields=["is_locked", "lock_reason"])
        ModerationRecord.objects.record(Action.UNLOCK, moderator, thread=thread, reason=reason)
    return thread


def set_premoderation(
    *, thread: Thread, moderator: AbstractBaseUser, enabled: bool, reason: str = ""
) -> Thread:
    """Hold every new post in this thread for a moderator, or stop doing so."""
    with transaction.atomic():
        (thread,) = trees.lock_threads(thread)
        if thread.is_premoderated == enabled:
            state = _("on") if enabled else _("off")
            raise ValidationError(_("Pre-moderation is already %(state)s.") % {"state": state})
        thread.is_premoderated = enabled
        thread.save(update_fields=["is_premoderated"])
        action = Action.PREMODERATE_ON if enabled else Action.PREMODERATE_OFF
        ModerationRecord.objects.record(action, moderator, thread=thread, reason=reason)
    return thread


def ban_user(
    *,
    user: AbstractBaseUser,
    moderator: AbstractBaseUser,
    reason: str,
    until: datetime | None = None,
) -> Ban:
    """Keep a user from posting, voting and flagging until a time, or for good (until=None)."""
    check_ban(user=user, moderator=moderator, until=until)
    with transaction.atomic():
        _lock_user(user)
        # A new ban replaces the one in force, so the user sees a single, current reason.
        replaced = list(Ban.objects.filter(user=user).active().values_list("pk", flat=True))
        Ban.objects.filter(pk__in=replaced).update(lifted_at=timezone.now(), lifted_by=moderator)
        ban = Ban(user=user, reason=reason.strip(), until=until, created_by=moderator)
        ban.full_clean()
        ban.save()
        ModerationRecord.objects.record(
            Action.BAN,
            moderator,
            user=user,
            reason=ban.reason,
            ban=ban.pk,
            until=until.isoformat() if until else None,
            replaced_bans=replaced,
        )
    return ban


def check_ban(
    *, user: AbstractBaseUser, moderator: AbstractBaseUser, until: datetime | None
) -> None:
    """Refuse a ban that cannot be meant: of oneself, or ending in the past."""
    if user.pk == moderator.pk:
        raise ValidationError(_("You cannot ban yourself."))
    if until is not None and until <= timezone.now():
        raise ValidationError(_("A ban must end in the future; leave the end empty for good."))


def unban_user(*, user: AbstractBaseUser, moderator: AbstractBaseUser, reason: str = "") -> int:
    """Lift every ban in force on a user; return how many were lifted."""
    with transaction.atomic():
        _lock_user(user)
        lifted = list(Ban.objects.filter(user=user).active().values_list("pk", flat=True))
        if not lifted:
            raise ValidationError(_("This user is not banned."))
        Ban.objects.filter(pk__in=lifted).update(lifted_at=timezone.now(), lifted_by=moderator)
        ModerationRecord.objects.record(
            Action.UNBAN, moderator, user=user, reason=reason, lifted_bans=lifted
        )
    return len(lifted)


def _lock_user(user):
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
