"""The seeded site after some life: replies, votes, an edit, a moderation history, a split."""

import io
from collections import Counter

from django.core.management import call_command
from django.db import connection

from articles.models import Article
from forum import moderation, services, votes
from forum.archives.localids import post_external_id
from forum.models import Ban, Flag, ModerationRecord, Post, Thread, Vote
from tests.factories import make_moderator, make_user

SITE_POSTS = 12  # written on the site, beside the seed's 14


def build_seeded_site():
    """Load the seed, then have three readers and a moderator use the site through its services."""
    call_command("load_seed", stdout=io.StringIO())
    thread = Thread.objects.get()
    seed = list(Post.objects.order_by("created_at", "pk"))
    mod = make_moderator("mod")
    ana, ben, cy = make_user("ana"), make_user("ben"), make_user("cy")

    def write(author, parent=None, body=None, **fields):
        return services.add_post(
            thread=thread,
            parent=parent,
            author=author,
            body=body or f"{author} says hi.",
            **fields,
        )

    a1 = write(ana, seed[0], "Ana answers the *first* comment.")
    b1 = write(ben, a1, "Ben answers Ana.")
    c1 = write(cy, b1, "Cy joins in.")
    a2 = write(ana, None, "A new top-level comment by Ana.")
    b2 = write(ben, a2, "Rude words.")
    c2 = write(cy, a2, "A calm answer.")
    write(ana, c2, "Thanks, Cy.")
    held = write(cy, seed[3], "Held for a moderator.", status=Post.Status.PENDING)
    spam = write(ben, seed[5], "Buy cheap things.")
    split_root = write(ana, seed[7], "A tangent about rockets.")
    write(cy, split_root, "More about rockets.")
    write(ben, split_root, "Rockets, again.")

    services.edit_post(post=a1, editor=ana, body="Ana answers the **first** comment.")
    for voter, post, value in [
        (ben, a1, 1),
        (cy, a1, 1),
        (ana, b1, -1),
        (cy, b1, 1),
        (ana, c2, 1),
        (ben, seed[0], 1),
        (cy, seed[0], -1),
    ]:
        votes.cast_vote(post=post, voter=voter, value=value)
    moderation.flag_post(post=b2, reporter=ana, reason="abuse")
    moderation.flag_post(post=c1, reporter=ana, reason="off-topic")
    moderation.flag_post(post=spam, reporter=cy, reason="spam")
    moderation.remove_post(post=b2, moderator=mod, reason="Insults")
    moderation.approve_post(post=held, moderator=mod)
    moderation.approve_post(post=c1, moderator=mod, reason="On topic after all")
    moderation.mark_spam(post=spam, moderator=mod)
    moderation.ban_user(user=ben, moderator=mod, reason="Insults and spam")
    moderation.split_post(post=split_root, moderator=mod, reason="Tangent", title="Rockets")
    return thread


def site_counts():
    """Everything an import could add or change, counted."""
    return {
        "articles": Article.objects.count(),
        "threads": Thread.objects.count(),
        "posts": Post.objects.count(),
        "statuses": Counter(Post.objects.values_list("status", flat=True)),
        "votes": Vote.objects.count(),
        "flags": Flag.objects.count(),
        "open flags": Flag.objects.open().count(),
        "bans": Ban.objects.count(),
        "audit records": ModerationRecord.objects.count(),
    }


def posts_by_exported_id():
    """Each post as the export names it, with what a copy must keep."""
    posts = Post.objects.select_related("thread", "parent", "author")
    return {
        post_external_id(post.pk, post.external_id): (
            post.thread.title,
            None
            if post.parent is None
            else post_external_id(post.parent.pk, post.parent.external_id),
            post.author_name,
            post.status,
            post.body,
            post.body_html,
            post.created_at,
            post.edited_at,
            post.upvotes,
            post.downvotes,
        )
        for post in posts
    }


def copies_by_exported_id():
    """The same, for posts imported from the export: they keep its ids as external ids."""
    posts = Post.objects.select_related("thread", "parent")
    return {
        post.external_id: (
            post.thread.title,
            None if post.parent is None else post.parent.external_id,
            post.author_name,
            post.status,
            post.body,
            post.body_html,
            post.created_at,
            post.edited_at,
            post.upvotes,
            post.downvotes,
        )
        for post in posts
    }


def empty_site():
    """Delete every article, thread, post and their history; the accounts and site id stay."""
    Vote.objects.all().delete()
    Flag.objects.all().delete()
    Ban.objects.all().delete()
    with connection.cursor() as cursor:
        # The audit log refuses deletes through the ORM, as it should on a live site.
        cursor.execute(f"DELETE FROM {ModerationRecord._meta.db_table}")
    Post.objects.update(parent=None)
    Post.objects.all().delete()
    Thread.objects.all().delete()
    Article.objects.all().delete()
