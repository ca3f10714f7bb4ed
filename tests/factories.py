"""Small factories for building test data through the same services the site uses."""

import itertools
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string

from articles.models import Article
from forum import services, trees
from forum.markdown import render_markdown
from forum.models import Post, Thread

_sequence = itertools.count(1)


def make_user(username=None, *, password="correct horse battery staple", moderator=False):
    user = get_user_model().objects.create_user(
        username=username or f"user{next(_sequence)}", password=password
    )
    if moderator:
        user.user_permissions.add(Permission.objects.get(codename="moderate_post"))
    return user


def returning_reader(user=None, **options):
    """A test client as a browser that has been here before, so holds a CSRF cookie, and logged
    in as user if given: its first read of a page can be kept for it alone
    (forum/rendering/reader_pages.py), so that the read after a write shows whether that page
    was let go."""
    client = Client(**options)
    client.cookies[settings.CSRF_COOKIE_NAME] = get_random_string(32)
    if user is not None:
        client.force_login(user)
    return client


def make_article(title="A test article", **fields):
    n = next(_sequence)
    fields.setdefault("slug", f"test-article-{n}")
    fields.setdefault("published_at", timezone.now() - timedelta(hours=1))
    fields.setdefault("body", "First paragraph.\n\nSecond paragraph.")
    return Article.objects.create(title=title, **fields)


def make_thread(title="A test thread", *, article=None, **fields):
    fields.setdefault("slug", f"test-thread-{next(_sequence)}")
    return Thread.objects.create(title=title, article=article, **fields)


def make_post(thread, *, parent=None, author=None, author_name="Reader", body=None, **fields):
    return services.add_post(
        thread=thread,
        parent=parent,
        author=author,
        author_name=author_name if author is None else "",
        body=body or f"Post number {next(_sequence)}.",
        **fields,
    )


def make_big_thread(thread, count, *, fanout=3):
    """A thread of count posts: a few roots, each reply under an earlier post."""
    posts = []
    for i in range(count):
        parent = posts[(i - 1) // fanout] if i and i % 10 else None
        posts.append(make_post(thread, parent=parent, body=f"Post {i}."))
    return posts


def set_status(post, status):
    """Change a post's status directly, for tests that only read the result."""
    Post.objects.filter(pk=post.pk).update(status=status)
    post.thread.update_counts()
    post.refresh_from_db()
    return post


def make_posts_in_bulk(thread, count, *, chain=0, fanout=3, authors=()):
    """Insert count posts through the tree module's bulk path: first a reply chain of chain
    posts, then shallow trees laid out as in make_big_thread; authors take turns, if given."""
    start = timezone.now() - timedelta(days=1)
    turns = itertools.cycle(authors or [None])
    posts = []
    for i in range(count):
        if i < chain:
            parent = posts[-1] if posts else None
        else:
            n = i - chain
            parent = posts[chain + (n - 1) // fanout] if n % 10 else None
        body = f"Post {i}."
        author = next(turns)
        posts.append(
            Post(
                thread=thread,
                parent=parent,
                author=author,
                author_name=author.get_username() if author else "Reader",
                body=body,
                body_html=render_markdown(body),
                created_at=start + timedelta(seconds=i),
            )
        )
    return trees.bulk_insert_posts(thread=thread, posts=posts)


def make_moderator(username=None, *, staff=False, **fields):
    """A user in the Moderators group that the data migration creates."""
    user = make_user(username, **fields)
    # A migration creates the group; a transactional test's flush empties it away again.
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(Permission.objects.get(codename="moderate_post"))
    user.groups.add(group)
    if staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user
