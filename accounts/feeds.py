"""One member's posts as an Atom feed: those an anonymous reader of their profile may read."""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.urls import reverse

from config.feeds import FEED_ITEMS, absolute
from forum.feeds import PostFeed, public_posts


class UserPostsFeed(PostFeed):
    def get_object(self, request, username):
        return get_object_or_404(get_user_model(), username=username)

    def title(self, user):
        return f"Comments by {user.get_username()} · Parley"

    def subtitle(self, user):
        return f"The newest comments by {user.get_username()}."

    def link(self, user):
        return absolute(reverse("accounts:profile", kwargs={"username": user.get_username()}))

    def feed_url(self, user):
        return absolute(reverse("accounts:feed", kwargs={"username": user.get_username()}))

    def items(self, user):
        return public_posts().filter(author=user)[:FEED_ITEMS]
