"""What is new to one reader of a discussion page, layered onto the page everyone shares.

The discussion's HTML is shared by all its readers (forum.rendering), so nothing here is put into
it: per request, a marker goes beside each new post's footer and a line above the discussion
says how many posts are new and links to the first (here, or on its permalink page). Reading a
page moves the reader's mark past the new posts it showed, never past one it did not, so a new
post on another page stays new.
A page costs the same few queries whatever the thread's size: the mark, the new posts (the first
of them, and their count in the same query), and a write only when the mark moves.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Window
from markupsafe import Markup

from forum import selectors
from forum.models import Post, can_moderate

from .models import ThreadReading

# The mark moves past at most this many new posts per read: a reader away for a long time
# reads on from there next time, and no read fetches a whole thread's worth of posts.
NEW_POSTS_READ_AT_ONCE = 500

POST_MARKER = '\n  <p class="post-new"><strong class="badge badge-new">New</strong></p>'
SUMMARY = Markup(
    '<p class="new-posts"><strong>{count} new</strong> since your last visit: '
    '<a href="{href}">jump to the first</a></p>\n'
)


@dataclass(frozen=True)
class NewPosts:
    """The posts of a discussion that are new to its reader, as one page shows them."""

    count: int = 0  # new posts in the whole discussion
    first_url: str = ""  # where the oldest of them is read
    on_page: frozenset[int] = field(default_factory=frozenset)  # pks of the page's new posts

    def mark(self, posts, footers):
        """The footers, each new post's with its marker before it."""
        return [
            POST_MARKER + footer if post.pk in self.on_page else footer
            for post, footer in zip(posts, footers, strict=True)
        ]

    @property
    def summary(self):
        if not self.count:
            return Markup("")
        return SUMMARY.format(count=self.count, href=self.first_url)


NOTHING_NEW = NewPosts()


def read_discussion(request, thread, posts) -> NewPosts:
    """What of the thread is new to the request's reader, and these shown posts now read."""
    user = request.user
    if not user.is_authenticated:
        return NOTHING_NEW
    reading = ThreadReading.objects.filter(user=user, thread=thread).first()
    if reading is None:
        # A first visit finds nothing new: all that the thread held is now read.
        ThreadReading.objects.bulk_create(
            [ThreadReading(user=user, thread=thread, read_until=thread.last_activity_at)],
            ignore_conflicts=True,
        )
        return NOTHING_NEW
    if reading.read_until >= thread.last_activity_at and (
        not can_moderate(user) or not _written_since(thread, reading.read_until)
    ):
        # Nothing published since the mark, and a reader who is no moderator is new to nothing
        # else (their own held posts are theirs): the page asks nothing more of the posts. A
        # moderator is new to held posts too, which the thread's last activity leaves out: one
        # look at the thread's posts by time says whether any came at all.
        return NOTHING_NEW
    newest = _new_posts(user, thread, reading.read_until)
    if not newest:
        return NOTHING_NEW
    shown = {post.pk for post in posts}
    _move_mark(reading, _read_until(reading.read_until, newest, shown))
    first = newest[0]
    return NewPosts(
        count=first.new_count,
        first_url=f"#{first.anchor}" if first.pk in shown else _permalink(request, first),
        on_page=frozenset(
            post.pk
            for post in posts
            if post.created_at > reading.read_until and post.author_id != user.pk
        ),
    )


def threads_with_new_posts(user, threads) -> frozenset[int]:
    """The pks of these threads that have posts the user has not read since their last visit."""
    if not user.is_authenticated:
        return frozenset()
    unread = _new_to(user, Post.objects.filter(thread=OuterRef("thread"))).filter(
        created_at__gt=OuterRef("read_until")
    )
    readings = ThreadReading.objects.filter(
        Exists(unread), user=user, thread__in=[thread.pk for thread in threads]
    )
    return frozenset(readings.values_list("thread_id", flat=True))


def _new_to(user, posts):
    """Of these posts, those that can be new to the user: ones they see, by others."""
    posts = posts.visible_to(user).exclude(author=user)
    if can_moderate(user):
        return posts
    # A post held for moderation hides its replies with it (forum.discussions): none is shown,
    # so none may hold the mark back.
    held_above = Post.objects.filter(
        tree_id=OuterRef("tree_id"),
        lft__lt=OuterRef("lft"),
        rght__gt=OuterRef("rght"),
        status=Post.Status.PENDING,
    ).exclude(author=user)
    return posts.exclude(Exists(held_above))


def _written_since(thread, moment):
    return Post.objects.filter(thread=thread, created_at__gt=moment).exists()


def _new_posts(user, thread, read_until):
    """The oldest posts new to the user, each with the count of all of them."""
    newer = _new_to(user, Post.objects.filter(thread=thread, created_at__gt=read_until))
    return list(
        newer.annotate(new_count=Window(Count("pk")))
        .only("pk", "created_at")
        .order_by("created_at", "pk")[:NEW_POSTS_READ_AT_ONCE]
    )


def _read_until(read_until, newest, shown):
    """The mark moved past the new posts the page showed, up to the first it did not show."""
    for post in newest:
        if post.pk not in shown:
            break
        read_until = post.created_at
    return read_until


def _move_mark(reading, read_until):
    if read_until > reading.read_until:
        # Never back: a slower request for an older page must not undo a newer one's read.
        ThreadReading.objects.filter(pk=reading.pk, read_until__lt=read_until).update(
            read_until=read_until
        )


def _permalink(request, post):
    """The oldest new post on its own page, with its ancestors and replies, in the page's sort.

    Not its place among the discussion's pages: finding that page reads every top-level post of
    the thread, which on a big discussion costs more than the whole page the reader asked for."""
    sort = selectors.sort_order(request.GET.get("sort")).name
    return f"{post.get_absolute_url()}{selectors.query_string(sort)}#{post.anchor}"
