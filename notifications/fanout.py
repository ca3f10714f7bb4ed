"""Who hears of a post, written in batches: replies, mentions, followers, moderators' decisions.

Run by a task. Nobody hears of their own post, of a post they cannot read (only published
posts notify), of an imported post, or from a user they muted. One post makes at most one
notification per reader (the unique constraint makes a second run of the same task harmless);
a reply that also mentions you is a reply.
"""

from django.contrib.auth import get_user_model

from forum.events import Write
from forum.mentions import mentioned_users
from forum.models import ModerationRecord, Post

from . import conf, mail
from .models import ACTIVITY, Follow, Kind, Mute, Notification

Action = ModerationRecord.Action


def handle(write, post_pks) -> None:
    posts = Post.objects.filter(pk__in=post_pks).select_related("thread", "author", "parent")
    for post in posts.order_by("pk"):
        if write == Write.POST_ADDED:
            # Those who followed after it was written, before this task ran, follow what comes.
            notify_post(post, followed_by=post.created_at)
        elif write == Write.POST_EDITED:
            notify_new_mentions(post)
        elif write == Write.POST_APPROVED:
            if _was_held(post):
                decide(post, Kind.APPROVED)
            notify_post(post)
        elif write in (Write.POST_REMOVED, Write.POST_MARKED_SPAM):
            withdraw(post)
            decide(post, Kind.REMOVED)
        elif write == Write.POST_DELETED:
            withdraw(post)


def notifies(post) -> bool:
    """Whether a post tells anyone: published, by an account, written here (not imported)."""
    return (
        post.status == Post.Status.PUBLISHED
        and post.author_id is not None
        and post.external_id is None
    )


def notify_post(post, followed_by=None) -> int:
    """Notify the replied-to author, the mentioned and the followers (since followed_by, if
    given); the number notified."""
    if not notifies(post):
        return 0
    kinds = {}
    parent = post.parent
    if parent is not None and parent.author_id is not None:
        kinds[parent.author_id] = Kind.REPLY
    for user in mentioned_users(post.body)[: conf.settings.MAX_MENTIONS]:
        kinds.setdefault(user.pk, Kind.MENTION)
    follows = Follow.objects.filter(thread=post.thread_id)
    if followed_by is not None:
        follows = follows.filter(created_at__lte=followed_by)
    followers = follows.values_list("user_id", flat=True)
    for user_pk in followers.iterator(chunk_size=conf.settings.BATCH_SIZE):
        kinds.setdefault(user_pk, Kind.FOLLOWED)
    return write(post, kinds)


def notify_new_mentions(post) -> int:
    """After an edit: the newly mentioned hear of it, once, within the post's mention cap."""
    if not notifies(post):
        return 0
    mentioned = Notification.objects.filter(post=post, kind=Kind.MENTION).count()
    room = max(conf.settings.MAX_MENTIONS - mentioned, 0)
    already = set(
        Notification.objects.filter(post=post, kind__in=ACTIVITY).values_list(
            "recipient_id", flat=True
        )
    )
    new = [user for user in mentioned_users(post.body) if user.pk not in already]
    return write(post, {user.pk: Kind.MENTION for user in new[:room]})


def write(post, kinds: dict[int, str]) -> int:
    """Store the notifications of post in batches, then queue the mail they ask for."""
    kinds.pop(post.author_id, None)
    if not kinds:
        return 0
    muting = set(Mute.objects.filter(muted=post.author_id).values_list("user_id", flat=True))
    recipients = [pk for pk in kinds if pk not in muting]
    size, written = conf.settings.BATCH_SIZE, 0
    for start in range(0, len(recipients), size):
        batch = recipients[start : start + size]
        inactive = get_user_model().objects.filter(pk__in=batch, is_active=False)
        notified = set(inactive.values_list("pk", flat=True)) | set(
            Notification.objects.filter(
                post=post, kind__in=ACTIVITY, recipient_id__in=batch
            ).values_list("recipient_id", flat=True)
        )
        fresh = [
            Notification(recipient_id=pk, kind=kinds[pk], post=post, actor_id=post.author_id)
            for pk in batch
            if pk not in notified
        ]
        Notification.objects.bulk_create(fresh, ignore_conflicts=True)
        written += len(fresh)
        mail.queue_immediate(post, {n.recipient_id: n.kind for n in fresh})
    return written


def decide(post, kind) -> None:
    """Tell a post's author of a moderator's decision on it, with the reason given."""
    if post.author_id is None or post.external_id is not None:
        return
    record = (
        ModerationRecord.objects.filter(post=post)
        .exclude(action__in=[Action.MOVE, Action.SPLIT])
        .order_by("-created_at", "-pk")
        .first()
    )
    notification, made = Notification.objects.get_or_create(
        recipient_id=post.author_id,
        post=post,
        kind=kind,
        defaults={
            "actor_id": record.moderator_id if record else None,
            "reason": record.reason if record else "",
        },
    )
    if made:
        mail.queue_immediate(post, {post.author_id: kind}, reason=notification.reason)


def withdraw(post) -> int:
    """Take the notifications of a post nobody may read any more out of every inbox."""
    deleted, _ = Notification.objects.filter(post=post, kind__in=ACTIVITY).delete()
    return deleted


def _was_held(post) -> bool:
    """Whether this approval published a post held before anyone saw it (not a flagged one)."""
    records = ModerationRecord.objects.filter(post=post)
    approval = records.filter(action=Action.APPROVE).order_by("-created_at", "-pk").first()
    if approval is None or approval.details.get("previous_status") != Post.Status.PENDING:
        return False
    return not records.filter(action=Action.HIDE_FLAGGED).exists()
