"""Votes on posts: casting, taking back and switching them, and the "best" score they give."""

import math

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from . import events
from .models import Post, Vote, active_ban

# Reddit's "best": the lower bound of the 80% Wilson score interval.
BEST_Z = 1.281551565545
COUNTERS = {Vote.Value.UP: "upvotes", Vote.Value.DOWN: "downvotes"}


class VoteRefused(Exception):
    """A vote the user may not cast; the message says why, for the user."""


def vote_refusal(*, post: Post, voter) -> str | None:
    """Why this user may not vote on this post, or None if they may."""
    if not voter.is_authenticated:
        return _("Log in to vote.")
    if (ban := active_ban(voter)) is not None:
        return ban.notice()
    if post.thread.is_closed_to(voter):
        return _("This discussion is locked: its comments take no more votes.")
    if post.author_id == voter.pk:
        return _("You cannot vote on your own comment.")
    if post.status != Post.Status.PUBLISHED:
        return _("Only published comments take votes.")
    return None


def cast_vote(*, post: Post, voter, value: Vote.Value) -> Vote.Value | None:
    """Vote on a post; the same vote again takes it back. Returns the vote now standing."""
    value = Vote.Value(value)
    with transaction.atomic():
        # Locking the post takes one user's clicks sent at once in turn, so two never both insert
        # (the vote's own row cannot: the first click has none yet, and a later one may delete it).
        locked = Post.objects.select_for_update(of=("self",)).select_related("thread")
        post = locked.get(pk=post.pk)
        if (refusal := vote_refusal(post=post, voter=voter)) is not None:
            raise VoteRefused(refusal)
        vote, created = Vote.objects.get_or_create(
            post=post, user=voter, defaults={"value": value}
        )
        if created:
            _count(post, {value: +1})
            return value
        if vote.value == value:
            vote.delete()
            _count(post, {value: -1})
            return None
        _count(post, {Vote.Value(vote.value): -1, value: +1})
        vote.value = value
        vote.save(update_fields=["value"])
        return value


def _count(post, changes):
    events.announce_posts(events.Write.POST_VOTED, [post])
    counters = {COUNTERS[value]: F(COUNTERS[value]) + change for value, change in changes.items()}
    Post.objects.filter(pk=post.pk).update(**counters)


def best_score(upvotes: int, downvotes: int, *, z: float = BEST_Z) -> float:
    """The lower bound of the Wilson score interval: how well liked the post is, at least."""
    votes = upvotes + downvotes
    if votes == 0:
        return 0.0
    liked = upvotes / votes
    spread = z * math.sqrt((liked * (1 - liked) + z * z / (4 * votes)) / votes)
    return (liked + z * z / (2 * votes) - spread) / (1 + z * z / votes)
