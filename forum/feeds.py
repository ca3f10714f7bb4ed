"""Posts as Atom feeds (a discussion's, one member's): only what an anonymous reader may read."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from config.feeds import FEED_ITEMS, SiteFeed, absolute

from . import selectors
from .models import Post


def public_posts():
    """Published posts of the discussions anyone may read, newest first, with what a feed shows."""
    return (
        Post.objects.published()
        .filter(thread__in=selectors.listed_threads())
        .select_related("thread", "author")
        .order_by("-created_at", "-pk")
    )


class PostFeed(SiteFeed):
    """What every feed of posts says of each: its author, discussion, times and text."""

    def item_title(self, post):
        return f"{post.author_name} in {post.thread.title}"

    def item_description(self, post):
        return post.body_html  # rendered and sanitised when it was written

    def item_pubdate(self, post):
        return post.created_at

    def item_updateddate(self, post):
        return post.edited_at or post.created_at

    def item_author_name(self, post):
        return post.author_name

    def item_author_link(self, post):
        if post.author is None:  # a seeded or imported name, not an account
            return None
        return absolute(reverse("accounts:profile", kwargs={"username": post.author.username}))


class DiscussionFeed(PostFeed):
    def get_object(self, request, slug):
        # Threads of unpublished articles are nobody's to read yet: no feed either.
        return get_object_or_404(selectors.listed_threads(), slug=slug)

    def title(self, thread):
        return f"{thread.title} · Parley"

    def subtitle(self, thread):
        return f"The newest comments in the discussion “{thread.title}”."

    def link(self, thread):
        return absolute(thread.get_absolute_url())

    def feed_url(self, thread):
        return absolute(reverse("forum:thread-feed", kwargs={"slug": thread.slug}))

    def items(self, thread):
        return public_posts().filter(thread=thread)[:FEED_ITEMS]
