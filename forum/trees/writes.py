"""Single-post tree writes: insert a post, move a subtree, split a subtree into another thread."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from ..models import Post
from .locks import lock_new_trees, lock_threads


def insert_post(post):
    """Save a new post as the last reply to its parent, or as the root of a new tree."""
    with transaction.atomic():
        if post.parent_id is None:
            lock_new_trees()
        (post.thread,) = lock_threads(post.thread)
        if post.parent_id is not None:
            # The parent's lft/rght may have moved since it was read: insert from fresh values.
            post.parent = Post.objects.get(pk=post.parent_id)
            if post.parent.thread_id != post.thread_id:
                # A moderator split the parent off into another thread after it was read.
                raise ValidationError(
                    _("The comment you are replying to has moved to another discussion."),
                    code="parent_moved",
                )
        post.save()
        if post.status == Post.Status.PUBLISHED:
            post.thread.count_published(+1, newest=post.created_at)
    return post


class InvalidMove(ValueError):
    """A move that would break a tree or carry posts out of their thread."""


def move_subtree(*, post, new_parent):
    """Move a post with all its replies to the end of new_parent's replies, in the same thread."""
    with transaction.atomic():
        (thread,) = lock_threads(post.thread)
        # django-mptt computes the move from both nodes' lft/rght: read them under the lock.
        post = Post.objects.get(pk=post.pk)
        new_parent = Post.objects.get(pk=new_parent.pk)
        _check_move(post, new_parent, thread)
        post.move_to(new_parent, position="last-child")
    return post


def _check_move(post, new_parent, thread):
    if post.thread_id != thread.pk or new_parent.thread_id != thread.pk:
        raise InvalidMove("A post can only be moved under another post of its own thread.")
    if new_parent.pk == post.pk or post.is_ancestor_of(new_parent):
        raise InvalidMove("A post cannot be moved under itself or one of its own replies.")
    if new_parent.pk == post.parent_id:
        raise InvalidMove("The post is already a reply to that post.")


def split_subtree(*, post, new_thread):
    """Make a post, with all its replies, the root of a tree of its own in new_thread."""
    with transaction.atomic():
        lock_new_trees()
        old_thread, new_thread = lock_threads(post.thread, new_thread)
        post = Post.objects.get(pk=post.pk)
        if post.thread_id != old_thread.pk:
            raise InvalidMove("The post has left its thread meanwhile.")
        if new_thread.pk == old_thread.pk:
            raise InvalidMove("A post can only be split into another thread.")
        if post.parent_id is not None:
            post.move_to(None)  # django-mptt gives it the next free tree_id
        # A tree belongs to one thread: its posts change thread together.
        Post.objects.filter(tree_id=post.tree_id).update(thread=new_thread)
        post.thread = new_thread
        moved = Post.objects.filter(tree_id=post.tree_id, status=Post.Status.PUBLISHED)
        moved = moved.aggregate(count=Count("pk"), newest=Max("created_at"))
        if moved["count"]:
            old_thread.count_published(-moved["count"])
            new_thread.count_published(+moved["count"], newest=moved["newest"])
    return post
