import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .lookalikes import username_skeleton


def username_looks(username: str) -> set[str]:
    """How the name looks as typed, in small letters and in capitals: digests of skeletons."""
    # Letter case changes how a name looks (a capital I passes for an l): "BIO" in Cyrillic
    # capitals and "bio" share no skeleton as typed, yet "bio" in capitals looks just like it.
    spellings = {username, username.lower(), username.upper()}
    # Digests: a 150-syllable Hangul name's skeleton takes 3 kB, past PostgreSQL's index limit.
    return {
        hashlib.sha256(username_skeleton(spelling).encode()).hexdigest() for spelling in spellings
    }


class UsernameLookQuerySet(models.QuerySet):
    def looking_like(self, username: str):
        return self.filter(digest__in=username_looks(username))


class UsernameLook(models.Model):
    """One way a user's name looks, reduced to its TR 39 skeleton: one account per look."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="username_looks"
    )
    digest = models.CharField(max_length=64, db_index=True)
    predates_check = models.BooleanField(
        default=False,
        help_text=_(
            "This name looked like an older account's before look-alike names were refused; "
            "both were kept."
        ),
    )

    objects = UsernameLookQuerySet.as_manager()

    class Meta:
        constraints = [
            # Of two sign-ups at once that look alike, the later to store its look fails.
            models.UniqueConstraint(
                fields=["digest"],
                condition=models.Q(predates_check=False),
                name="one_account_per_username_look",
            ),
            models.UniqueConstraint(fields=["user", "digest"], name="one_row_per_look"),
        ]

    def __str__(self):
        return f"{self.user}: {self.digest[:12]}"


def record_username_looks(*, user, created: bool) -> None:
    """Store how the user's name looks; raises IntegrityError if another account looks so."""
    looks = username_looks(user.get_username())
    if not created:
        stored = set(user.username_looks.values_list("digest", flat=True))
        if stored == looks:
            return
        user.username_looks.all().delete()  # renamed
    UsernameLook.objects.bulk_create(UsernameLook(user=user, digest=digest) for digest in looks)


class PasswordResetRequest(models.Model):
    """A request for password-reset mail, kept for the length of the limit it counts towards."""

    email_digest = models.CharField(max_length=64, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, db_index=True)
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"{self.ip_address} at {self.requested_at:%Y-%m-%d %H:%M}"


def avatar_path(profile, filename):
    # A new name per upload, so a browser never shows an old avatar kept under the same URL.
    return f"avatars/{profile.user_id}-{secrets.token_hex(8)}.webp"


class Profile(models.Model):
    """What a member tells about themselves: a name to show, a short bio, an avatar."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="profile",
    )
    display_name = models.CharField(max_length=50, blank=True)
    bio_source = models.TextField(blank=True)
    # Rendered and sanitised once, when saved: a profile is read far more often than written.
    bio_html = models.TextField(blank=True, editable=False)
    avatar = models.ImageField(upload_to=avatar_path, blank=True)

    def __str__(self):
        return self.display_name or self.user.get_username()
