"""Writes to the forum: each a named function that validates, writes and keeps counts right."""

import html
import re
import unicodedata
from datetime import timedelta
from itertools import count
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import antispam, conf, events, trees
from .markdown import render_markdown
from .models import Post, Thread
from .slugs import slug_for

Status = Post.Status

SLUG_LENGTH = 80  # characters of the title kept in a new thread's address
SLUG_ATTEMPTS = 3  # two people starting same-titled threads at once: the loser retries

EMPTY_BODY = gettext_lazy("Your comment is empty: write something first.")
SHOWS_NOTHING = gettext_lazy(
    "Your comment shows no text once formatted: Markdown such as a link definition "
    "(“[a]: https://…”) is not shown on its own. Write something to show."
)
EMPTY_TITLE = gettext_lazy("Give the discussion a title.")
LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")
_REMOVED_PARENT = gettext_lazy(
    "The comment you are replying to was removed by a moderator; it takes no replies."
)
REFUSED_PARENT = {
    Status.PENDING: gettext_lazy(
        "The comment you are replying to is awaiting moderation; it takes no replies yet."
    ),
    Status.REMOVED: _REMOVED_PARENT,
    Status.SPAM: _REMOVED_PARENT,
    Status.DELETED: gettext_lazy(
        "The comment you are replying to was deleted by its author; it takes no replies."
    ),
}


def add_post(
    *,
    thread,
    body,
    author=None,
    author_name="",
    parent=None,
    status=Post.Status.PUBLISHED,
    created_at=None,
    submission_token=None,
) -> Post:
    """Add a post to a thread, as a reply to parent or as a new top-level post."""
    post = Post(
        thread=thread,
        parent=parent,
        author=author,
        author_name=author_name or (author.get_username() if author else ""),
        body=body,
        body_html=render_markdown(body, link_mentions=author is not None),
        status=status,
        created_at=created_at or timezone.now(),
        submission_token=submission_token,
    )
    post.full_clean(exclude=["lft", "rght", "tree_id", "level"])
    post = trees.insert_post(post)
    events.announce_posts(events.Write.POST_ADDED, [post])
    return post


# What a user may write


def max_post_length() -> int:
    return conf.settings.MAX_POST_LENGTH


def edit_window() -> timedelta:
    return timedelta(minutes=conf.settings.EDIT_WINDOW_MINUTES)


def edit_window_end(post):
    """When the author's time to edit the post ends, or None if its status allows no edit."""
    if post.status not in (Status.PUBLISHED, Status.PENDING):
        return None
    return post.created_at + edit_window()


def clean_body(body: str) -> str:
    """The body as stored: Unix line ends, no blank lines before the text, no space after it."""
    body = LEADING_BLANK_LINES.sub("", body.replace("\r\n", "\n").replace("\r", "\n"))
    # Only ASCII space goes: a U+00A0 the author typed is part of the text.
    return body.rstrip(" \t\n")


def is_blank(text: str) -> bool:
    """Whether text shows nothing: only white space (U+00A0 too) and invisible format marks."""
    return all(char.isspace() or unicodedata.category(char) == "Cf" for char in text)


def validate_body(body: str) -> str:
    """The body cleaned for storing; a ValidationError says what is wrong with it."""
    body = clean_body(body)
    limit = max_post_length()
    if len(body) > limit:
        message = _("Your comment is %(length)s characters long; the limit is %(limit)s.") % {
            "length": f"{len(body):,}",
            "limit": f"{limit:,}",
        }
        raise ValidationError(message, code="too_long")
    if is_blank(body):
        raise ValidationError(EMPTY_BODY, code="empty")
    if is_blank(html.unescape(strip_tags(render_markdown(body)))):
        raise ValidationError(SHOWS_NOTHING, code="shows_nothing")
    return body


def validate_title(title: str) -> str:
    title = " ".join(title.split())
    limit = Thread._meta.get_field("title").max_length
    if not title:
        raise ValidationError(EMPTY_TITLE, code="empty")
    if len(title) > limit:
        message = _("Keep the title under %(limit)s characters.") % {"limit": limit}
        raise ValidationError(message, code="too_long")
    return title


def parent_refusal(*, thread: Thread, parent: Post | None) -> str | None:
    """Why parent takes no reply in this thread, or None if it does (or is None)."""
    if parent is None:
        return None
    if parent.thread_id != thread.pk:
        return _("The comment you are replying to is in another discussion.")
    return REFUSED_PARENT.get(parent.status)


def edit_refusal(*, post: Post, editor, now=None) -> str | None:
    """Why this user may not edit this post now, or None if they may."""
    if not editor.is_authenticated or post.author_id != editor.pk:
        return _("Only its author can edit a comment.")
    window_end = edit_window_end(post)
    if window_end is None:
        return _("This comment can no longer be edited.")
    if (now or timezone.now()) > window_end:
        minutes = int(edit_window().total_seconds() // 60)
        return _(
            "Comments can be edited for %(minutes)s minutes after posting; that time has passed."
        ) % {"minutes": minutes}
    return None


def delete_refusal(*, post: Post, author) -> str | None:
    """Why this user may not delete this post, or None if they may."""
    if not author.is_authenticated or post.author_id != author.pk:
        return _("Only its author can delete a comment.")
    if post.status == Status.DELETED:
        return _("This comment is already deleted.")
    if post.status not in (Status.PUBLISHED, Status.PENDING):
        # A moderator's decision keeps the text for an appeal; the author cannot erase it.
        return _("A moderator removed this comment; it can no longer be deleted.")
    return None


# Posting, editing and deleting


def start_thread(*, title: str, author, body: str, token=None) -> Thread:
    """Open a new discussion with its first post by author."""
    title, body = validate_title(title), validate_body(body)
    for attempt in count(1):
        try:
            with transaction.atomic():
                trees.lock_new_trees()  # the documented lock order: before any row
                if (made := _made_with(token, author)) is not None:
                    return made.thread
                thread = Thread(title=title, slug=free_thread_slug(title))
                _check_writer(author, thread, body)
                thread.full_clean()
                thread.save()
                opening = _add_authored_post(
                    thread=thread, parent=None, author=author, body=body, token=token
                )
                thread = opening.thread
                thread.opening_post = opening  # its author is the discussion's starter
                thread.save(update_fields=["opening_post"])
                return thread
        except IntegrityError:
            if attempt == SLUG_ATTEMPTS:
                raise


def post_reply(*, thread: Thread, parent: Post | None, author, body: str, token=None) -> Post:
    """Add author's post to thread: a reply to parent, or a top-level post when it is None."""
    body = validate_body(body)
    with transaction.atomic():
        if parent is None:
            trees.lock_new_trees()
        (locked,) = trees.lock_threads(thread)
        if (made := _made_with(token, author)) is not None:
            return made
        fresh_parent = Post.objects.get(pk=parent.pk) if parent is not None else None
        _check_writer(author, locked, body)
        if refusal := parent_refusal(thread=locked, parent=fresh_parent):
            raise ValidationError(refusal, code="parent")
        return _add_authored_post(
            thread=locked, parent=fresh_parent, author=author, body=body, token=token
        )


def edit_post(*, post: Post, editor, body: str) -> Post:
    """Replace the text of editor's own post, within the edit window."""
    body = validate_body(body)
    with transaction.atomic():
        post = _locked_post(post)
        if refusal := edit_refusal(post=post, editor=editor):
            raise ValidationError(refusal, code="refused")
        _check_writer(editor, post.thread, body)
        if post.body != body:
            post.body, post.body_html = body, render_markdown(body, link_mentions=True)
            post.edited_at = timezone.now()
            post.save(update_fields=["body", "body_html", "edited_at"])
            events.announce_posts(events.Write.POST_EDITED, [post])
    return post


def delete_post(*, post: Post, author) -> Post:
    """Delete author's own post: its text and name are erased, its place kept for replies."""
    with transaction.atomic():
        post = _locked_post(post)
        if refusal := delete_refusal(post=post, author=author):
            raise ValidationError(refusal, code="refused")
        was_published = post.status == Status.PUBLISHED
        post.status = Status.DELETED
        post.body = post.body_html = post.author_name = ""
        post.author = None
        post.save(update_fields=["status", "body", "body_html", "author_name", "author"])
        if was_published:
            post.thread.count_published(-1)
        events.announce_posts(events.Write.POST_DELETED, [post])
    return post


def free_thread_slug(title: str, *, preferred: str = "") -> str:
    """An unused slug for a thread with this title (or preferred, an imported thread's own
    slug), at an address no other page claims."""
    base = slug_for(title, preferred=preferred)[:SLUG_LENGTH].strip("-") or "discussion"
    numbered = rf"^{re.escape(base)}-[0-9]+$"
    taken = set(
        Thread.objects.filter(Q(slug=base) | Q(slug__regex=numbered)).values_list(
            "slug", flat=True
        )
    )
    candidates = (base if n == 1 else f"{base}-{n}" for n in count(1))
    return next(slug for slug in candidates if slug not in taken and _is_thread_address(slug))


def _is_thread_address(slug):
    # "/forum/new/" and the like belong to other pages: a thread there could not be reached.
    # reverse() percent-encodes a Unicode slug; a request's path arrives decoded.
    path = unquote(reverse("forum:thread", kwargs={"slug": slug}))
    return resolve(path).view_name == "forum:thread"


def _check_writer(author, thread, body):
    """Refuse a banned writer, a locked thread, or a new account's post full of links."""
    if refusal := antispam.posting_refusal(author, thread):
        raise ValidationError(refusal, code="refused")
    if refusal := antispam.too_many_links(body, author):
        raise ValidationError(refusal, code="links")


def _add_authored_post(*, thread, parent, author, body, token=None):
    status = antispam.initial_status_for(author, thread)
    return add_post(
        thread=thread,
        parent=parent,
        author=author,
        body=body,
        status=status,
        submission_token=token,
    )


def _locked_post(post):
    """Lock the post's thread, then read the post afresh under that lock."""
    (thread,) = trees.lock_threads(post.thread)
    post = Post.objects.get(pk=post.pk)
    if post.thread_id != thread.pk:
        raise ValidationError(_("This comment was moved to another discussion meanwhile."))
    post.thread = thread
    return post


def _made_with(token, author):
    """The post this author's form with this token already made, if it was sent before."""
    # Read under the writer's locks, so a second click waits for the first and finds its post.
    if token is None:
        return None
    return (
        Post.objects.select_related("thread").filter(author=author, submission_token=token).first()
    )
