"""Following discussions and muting users: the reader's own choices of whom to hear."""

from django.db import transaction

from forum.models import Post

from .models import Follow, Mute, Preferences


def follow(*, user, thread) -> None:
    Follow.objects.get_or_create(user=user, thread=thread)


def unfollow(*, user, thread) -> None:
    Follow.objects.filter(user=user, thread=thread).delete()


def follows(user, thread) -> bool:
    return user.is_authenticated and Follow.objects.filter(user=user, thread=thread).exists()


def follow_on_write(post_pks) -> None:
    """Writers follow the discussions they write in, unless they turned that off."""
    posts = Post.objects.filter(pk__in=post_pks, author__isnull=False, external_id__isnull=True)
    pairs = set(posts.values_list("author_id", "thread_id"))
    refused = set(
        Preferences.objects.filter(
            user_id__in={author for author, _ in pairs}, auto_follow=False
        ).values_list("user_id", flat=True)
    )
    wanted = [Follow(user_id=a, thread_id=t) for a, t in pairs if a not in refused]
    with transaction.atomic():
        Follow.objects.bulk_create(wanted, ignore_conflicts=True)


def mute(*, user, muted) -> None:
    if user.pk != muted.pk:
        Mute.objects.get_or_create(user=user, muted=muted)


def unmute(*, user, muted) -> None:
    Mute.objects.filter(user=user, muted=muted).delete()


def muted_ids(user) -> frozenset[int]:
    """The pks of the users this reader muted."""
    if not user.is_authenticated:
        return frozenset()
    return frozenset(Mute.objects.filter(user=user).values_list("muted_id", flat=True))


def preferences_of(user) -> Preferences:
    """The user's preferences; the defaults, not yet stored, for a user who never chose."""
    # Not get_or_create: reading a page (or refusing a form) writes nothing.
    stored = Preferences.objects.filter(user=user).select_related("user").first()
    return stored or Preferences(user=user)
