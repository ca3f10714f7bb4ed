"""Notifications, follows, mutes, each reader's delivery choices, and the email outbox."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Kind(models.TextChoices):
    REPLY = "reply", _("reply to your post")
    MENTION = "mention", _("mention of you")
    FOLLOWED = "followed", _("new post in a discussion you follow")
    REMOVED = "removed", _("your post was removed")
    APPROVED = "approved", _("your post was approved")


# What others wrote: one per post and reader, whichever kind it is (a reply that mentions you
# is one notification). Decisions on your own post are one per post and kind.
ACTIVITY = (Kind.REPLY, Kind.MENTION, Kind.FOLLOWED)
DECISIONS = (Kind.REMOVED, Kind.APPROVED)


class Delivery(models.TextChoices):
    INBOX = "inbox", _("inbox only")
    IMMEDIATE = "immediate", _("email at once")
    DIGEST = "digest", _("daily digest")


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_inbox(self, user):
        """The user's notifications, newest first, of posts they may still read."""
        readable = Q(kind__in=DECISIONS) | Q(post__status="published")
        return (
            self.filter(recipient=user)
            .filter(readable)
            .select_related("post", "post__thread", "actor")
            .order_by("-created_at", "-pk")
        )


class Notification(models.Model):
    recipient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=16, choices=Kind)
    post = models.ForeignKey("forum.Post", on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(blank=True)  # a moderator's, for a removal
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "post"],
                condition=Q(kind__in=ACTIVITY),
                name="one_activity_notification_per_post",
            ),
            models.UniqueConstraint(
                fields=["recipient", "post", "kind"],
                condition=Q(kind__in=DECISIONS),
                name="one_decision_notification_per_post",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.recipient_id} (post {self.post_id})"

    def get_absolute_url(self):
        return reverse("notifications:open", kwargs={"pk": self.pk})


class Follow(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="follows")
    thread = models.ForeignKey("forum.Thread", on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="follow_once"),
        ]

    def __str__(self):
        return f"{self.user_id} follows {self.thread_id}"


class Mute(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="mutes")
    muted = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="muted_by")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "muted"], name="mute_once"),
            models.CheckConstraint(condition=~Q(user=models.F("muted")), name="mute_others"),
        ]

    def __str__(self):
        return f"{self.user_id} mutes {self.muted_id}"


class Preferences(models.Model):
    """How one user hears of each kind, whether writing follows, and their verified address."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="notify_prefs")
    reply = models.CharField(max_length=16, choices=Delivery, default=Delivery.IMMEDIATE)
    mention = models.CharField(max_length=16, choices=Delivery, default=Delivery.IMMEDIATE)
    followed = models.CharField(max_length=16, choices=Delivery, default=Delivery.DIGEST)
    decision = models.CharField(max_length=16, choices=Delivery, default=Delivery.IMMEDIATE)
    auto_follow = models.BooleanField(
        default=True, help_text=_("Follow a discussion when you write in it.")
    )
    # The address the user proved is theirs; mail goes out only while it is still their email.
    verified_email = models.EmailField(blank=True)

    def __str__(self):
        return f"preferences of {self.user_id}"

    def delivery(self, kind):
        """How this user hears of a notification of this kind."""
        if kind in DECISIONS:
            return self.decision
        return getattr(self, kind)

    def email_address(self):
        """Where mail may go: the user's email, if it is the verified one, else ''."""
        email = self.user.email
        return email if email and email.lower() == self.verified_email.lower() else ""


class EmailQuerySet(models.QuerySet):
    def due(self, now=None):
        return self.filter(status=Email.Status.QUEUED, next_attempt_at__lte=now or timezone.now())


class Email(models.Model):
    """One message in the outbox: sent by a task, retried with back-off, or finally failed."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    recipient = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    unsubscribe_url = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=16, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)  # when a worker took it
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = EmailQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="email_due")]

    def __str__(self):
        return f"{self.subject} to {self.to} ({self.status})"


class Digest(models.Model):
    """One user's daily digest: the unique row lets only one worker send it each day."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    email = models.ForeignKey(Email, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_a_day")]

    def __str__(self):
        return f"digest of {self.user_id} for {self.day}"
