"""Flags raised by readers, bans, and the append-only log of every moderation action."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .discussion import Post, Thread


class FlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)


class Flag(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("spam")
        ABUSE = "abuse", _("abuse")
        OFF_TOPIC = "off-topic", _("off-topic")
        OTHER = "other", _("other")

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="flags")
    # A deleted account's reports stay: moderators still need to see what was reported.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="flags"
    )
    reason = models.CharField(max_length=16, choices=Reason)
    note = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resolved_flags",
    )

    objects = FlagQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                name="flag_once_per_reporter",
                violation_error_message=_("You have already reported this comment."),
            )
        ]
        indexes = [models.Index(fields=["post", "resolved_at"], name="flag_post_resolved")]

    def __str__(self):
        return f"{self.get_reason_display()} flag on post {self.post_id}"

    def clean(self):
        if self.reason == self.Reason.OTHER and not self.note.strip():
            raise ValidationError({"note": _("Say what is wrong with this comment.")})

    @property
    def is_open(self):
        return self.resolved_at is None


class ModerationRecordQuerySet(models.QuerySet):
    def record(
        self, action, moderator, *, post=None, user=None, thread=None, reason="", **details
    ):
        """Write the record of one action, with the names of those involved as they are now."""
        if post is not None:
            user, user_name = post.author, post.author_name
            thread = thread or post.thread
        else:
            user_name = user.get_username() if user else ""
        return self.create(
            moderator=moderator,
            moderator_name=moderator.get_username() if moderator else "",
            action=action,
            post=post,
            user=user,
            user_name=user_name,
            thread=thread,
            reason=reason,
            details=details,
        )

    def update(self, **kwargs):
        raise TypeError("moderation records are append-only")

    def delete(self):
        raise TypeError("moderation records are append-only")


class ModerationRecord(models.Model):
    """One moderation action: who did what, to which post, user or thread, why and when."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("approve")
        REMOVE = "remove", _("remove")
        REMOVE_SUBTREE = "remove_subtree", _("remove with replies")
        SPAM = "spam", _("mark as spam")
        MOVE = "move", _("move")
        SPLIT = "split", _("split into a new thread")
        LOCK = "lock", _("lock thread")
        UNLOCK = "unlock", _("unlock thread")
        PREMODERATE_ON = "premoderate_on", _("pre-moderation on")
        PREMODERATE_OFF = "premoderate_off", _("pre-moderation off")
        BAN = "ban", _("ban")
        UNBAN = "unban", _("lift ban")
        DISMISS_FLAGS = "dismiss_flags", _("dismiss flags")
        HIDE_FLAGGED = "hide_flagged", _("hidden by readers' flags")
        IMPORT_UPDATE = "import_update", _("changed by an import")

    # Names are stored too, so the log still says who when an account is deleted.
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="moderation_actions",
        help_text="Empty when the site acted on its own, e.g. hiding a post readers flagged.",
    )
    moderator_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=32, choices=Action)
    post = models.ForeignKey(
        Post, null=True, on_delete=models.PROTECT, related_name="moderation_records"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="moderation_records",
        help_text="The user acted upon: the banned user, or the author of the post.",
    )
    user_name = models.CharField(max_length=150, blank=True)
    thread = models.ForeignKey(
        Thread, null=True, on_delete=models.PROTECT, related_name="moderation_records"
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    details = models.JSONField(default=dict, blank=True)

    objects = ModerationRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        who = self.moderator_name or _("the site")
        return f"{who}: {self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("moderation records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("moderation records are append-only")


class BanQuerySet(models.QuerySet):
    def active(self, *, now=None):
        now = now or timezone.now()
        return self.filter(Q(until__isnull=True) | Q(until__gt=now), lifted_at__isnull=True)


class Ban(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bans"
    )
    reason = models.TextField(help_text="Shown to the banned user.")
    until = models.DateTimeField(null=True, blank=True, help_text="Empty: banned for good.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="bans_made"
    )
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bans_lifted",
    )

    objects = BanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "lifted_at"], name="ban_user_lifted")]

    def __str__(self):
        return f"ban of user {self.user_id}"

    @property
    def is_permanent(self):
        return self.until is None

    def notice(self):
        """What the banned user is told when refused: why, and until when."""
        if self.until is None:
            return _("You are banned for good, for this reason: %(reason)s") % {
                "reason": self.reason
            }
        until = formats.date_format(timezone.localtime(self.until), "DATETIME_FORMAT")
        return _("You are banned until %(until)s, for this reason: %(reason)s") % {
            "until": until,
            "reason": self.reason,
        }

    def is_active(self, *, now=None):
        now = now or timezone.now()
        return self.lifted_at is None and (self.until is None or self.until > now)


# Of a user's bans in force, the one that ends last decides; a ban for good (no end) outlasts
# every other.
BAN_ORDER = (F("until").desc(nulls_first=True), "-pk")


def active_ban(user):
    """The ban that keeps this user from posting, voting and flagging now, or None."""
    if not user.is_authenticated:
        return None
    bans = Ban.objects.filter(user=user).active()
    return bans.order_by(*BAN_ORDER).first()


def is_banned(user):
    return active_ban(user) is not None
