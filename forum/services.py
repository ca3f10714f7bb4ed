"""Writes to the forum: each a named function that validates, writes and keeps counts right."""

from django.utils import timezone

from . import trees
from .markdown import render_markdown
from .models import Post


def add_post(
    *,
    thread,
    body,
    author=None,
    author_name="",
    parent=None,
    status=Post.Status.PUBLISHED,
    created_at=None,
) -> Post:
    """Add a post to a thread, as a reply to parent or as a new top-level post."""
    post = Post(
        thread=thread,
        parent=parent,
        author=author,
        author_name=author_name or (author.get_username() if author else ""),
        body=body,
        body_html=render_markdown(body),
        status=status,
        created_at=created_at or timezone.now(),
    )
    post.full_clean(exclude=["lft", "rght", "tree_id", "level"])
    return trees.insert_post(post)
