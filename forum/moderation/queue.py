"""What the moderation queue shows: held and flagged posts, each with what a decision needs."""

from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Window
from django.db.models.functions import RowNumber

from ..models import Ban, Flag, Post

HISTORY_LENGTH = 5  # the author's latest posts: enough to tell a regular from a drive-by


@dataclass(frozen=True)
class QueueEntry:
    post: Post
    open_flags: list[Flag]
    history: list[Post] = field(default_factory=list)  # the author's other latest posts
    ban: Ban | None = None  # the author's ban in force


def awaiting_posts():
    """The queue's posts, newest first, with their thread, parent, author and open flags."""
    open_flags = Flag.objects.open().select_related("reporter").order_by("created_at", "pk")
    return (
        Post.objects.awaiting_moderation()
        .select_related("thread__article", "author", "parent")
        .prefetch_related(Prefetch("flags", queryset=open_flags, to_attr="open_flags"))
    )


def queue_entries(posts):
    """Each post with its author's recent history and ban, in two queries for the whole page."""
    posts = list(posts)
    author_ids = {post.author_id for post in posts if post.author_id is not None}
    histories = recent_posts_by_author(author_ids, limit=HISTORY_LENGTH + 1)
    bans = bans_in_force(author_ids)
    return [
        QueueEntry(
            post=post,
            open_flags=post.open_flags,
            history=[other for other in histories.get(post.author_id, []) if other.pk != post.pk][
                :HISTORY_LENGTH
            ],
            ban=bans.get(post.author_id),
        )
        for post in posts
    ]


def recent_posts_by_author(author_ids, *, limit):
    """Each author's latest posts, newest first, in one query ranked per author."""
    if not author_ids:
        return {}
    recency = Window(
        RowNumber(),
        partition_by=F("author_id"),
        order_by=[F("created_at").desc(), F("pk").desc()],
    )
    recent = (
        Post.objects.filter(author_id__in=author_ids)
        .annotate(recency=recency)
        .filter(recency__lte=limit)
        .select_related("thread")
        .only("pk", "author_id", "status", "created_at", "body", "thread__title")
        .order_by("author_id", "recency")
    )
    histories = {}
    for post in recent:
        histories.setdefault(post.author_id, []).append(post)
    return histories


def bans_in_force(user_ids):
    """The ban that ends last for each of these users who is banned now."""
    bans = {}
    for ban in Ban.objects.active().filter(user_id__in=user_ids):
        current = bans.get(ban.user_id)
        if current is None or _ends_later(ban, current):
            bans[ban.user_id] = ban
    return bans


def _ends_later(ban, other):
    if other.until is None:
        return False
    return ban.until is None or ban.until > other.until
