"""Bans: keeping a user from posting, voting and reporting, for a time or for good.

Each action runs in one transaction, locks the user's row first and writes one
ModerationRecord. Whether the caller may act is the caller's check.
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events
from ..models import Ban, ModerationRecord

Action = ModerationRecord.Action


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
        events.announce(events.Write.USER_BANNED, users=[user])
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
        events.announce(events.Write.USER_UNBANNED, users=[user])
    return len(lifted)


def _lock_user(user):
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
