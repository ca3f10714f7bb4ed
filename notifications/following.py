"""Following discussions and muting users: the reader's own choices of whom to hear."""

from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Subquery

from forum.models import Post

from .models import Follow, Mute, Notification, Preferences


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


def page_states():
    """What a discussion page shows of its reader from this app, as expressions on the reader's
    account given the thread's pk: a page kept for its reader alone is served only while these
    are as they were (forum/rendering/reader_pages.py)."""
    unread = Notification.objects.for_inbox(OuterRef("pk")).unread().order_by()
    mutes = Mute.objects.filter(user=OuterRef("pk")).order_by().values("user")
    return {
        # As the header counts them: a notification of a post since removed is not counted.
        "unread": lambda thread_pk: Subquery(
            unread.values("recipient").annotate(n=Count("pk")).values("n")
        ),
        "followed": lambda thread_pk: Exists(
            Follow.objects.filter(user=OuterRef("pk"), thread_id=thread_pk)
        ),
        # Rows are only added and deleted, under ids that only grow: their count and the
        # newest id change with every mute and unmute.
        "mutes": lambda thread_pk: Subquery(mutes.annotate(n=Count("pk")).values("n")),
        "newest_mute": lambda thread_pk: Subquery(mutes.annotate(last=Max("pk")).values("last")),
    }
