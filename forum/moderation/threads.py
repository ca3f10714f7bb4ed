"""Moderation of whole threads: locking them, and holding their new posts for moderation.

Each action runs in one transaction, takes the thread's lock first and writes one
ModerationRecord. Whether the caller may act is the caller's check.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import events, trees
from ..models import ModerationRecord, Thread

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
        events.announce(events.Write.THREAD_LOCKED, threads=[thread], whole_threads=True)
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
        events.announce(events.Write.THREAD_UNLOCKED, threads=[thread], whole_threads=True)
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
        events.announce(events.Write.PREMODERATION_CHANGED, threads=[thread], whole_threads=True)
    return thread
