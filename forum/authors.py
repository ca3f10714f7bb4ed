"""A deleted account's posts stay, without their author: their pages change with it.

Accounts are Django's own model, deleted by the admin (one or many at a time) or by code: each
way deletes through Django's collector, which sends pre_delete for every account inside its
transaction, before the posts' author is set to null. So the deletion is announced there, as
every other write is, and the pages showing the posts drop the member badge and the
moderators' tools that acted on the account.
"""

from . import events
from .models import Post


def announce_account_deleted(sender, instance, **kwargs):
    """A receiver of the user model's pre_delete: announce the posts losing their author."""
    posts = list(Post.objects.filter(author=instance).only("pk", "thread_id", "tree_id"))
    if posts:
        events.announce_posts(events.Write.ACCOUNT_DELETED, posts, users=[instance])
