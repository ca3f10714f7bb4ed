from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .discussion import Post


class Vote(models.Model):
    """One reader's vote on one post; Post.upvotes and Post.downvotes count them."""

    class Value(models.IntegerChoices):
        UP = 1, _("up")
        DOWN = -1, _("down")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="votes")
    # A deleted account's votes stay, unnamed, so the post's counters still add up.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="votes"
    )
    value = models.SmallIntegerField(choices=Value)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="vote_once_per_user"),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="vote_up_or_down"),
        ]

    def __str__(self):
        return f"{self.user} voted {self.get_value_display()} on post {self.post_id}"
