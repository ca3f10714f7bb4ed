"""Threads out of Parley: our lossless JSON, or a Disqus XML export that other tools can read.

Both writers stream: posts are read in chunks, in tree order, and written one at a time.

Disqus has two flags where we have five statuses, so the Disqus export maps them:
published: neither flag; spam: isSpam; deleted (an author's own, text erased) and removed (by a
moderator, text kept for appeal): isDeleted, with a removed post's text still in its message;
pending: no flag, and <isApproved>false</isApproved>, the Disqus API's name for a post held for
moderation, which our Disqus reader turns back into pending.
"""

import re
from datetime import UTC
from xml.sax.saxutils import escape, quoteattr

from django.db.models import F, Prefetch

from ..models import Post, Thread, Vote
from . import disqus
from .jsonformat import write_json

FORMATS = ("disqus", "json")
POST_CHUNK = 2000  # posts per database round trip while streaming
DISQUS_PREFIX = f"{disqus.SOURCE}:"
# Characters XML 1.0 cannot carry at all, not even escaped: dropped from the export.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# A bare carriage return would come back as a line feed: written as a reference instead.
TEXT_ENTITIES = {"\r": "&#13;"}


def exported_threads(slug=None):
    threads = Thread.objects.select_related("article").order_by("pk")
    return threads.filter(slug=slug) if slug is not None else threads


def exported_posts(threads, *, votes=False):
    """The threads' posts in tree order, with the ids and names the writers need."""
    posts = Post.objects.filter(thread__in=threads)
    if votes:
        posts = posts.prefetch_related(Prefetch("votes", Vote.objects.order_by("pk")))
    return (
        posts.annotate(
            discussion_external_id=F("thread__external_id"),
            parent_external_id=F("parent__external_id"),
            author_username=F("author__username"),
        )
        .order_by("thread_id", "tree_id", "lft")
        .iterator(chunk_size=POST_CHUNK)
    )


def export(out, *, format, threads, base_url="", whole_site=False):
    """Write threads and all their posts to the text stream out, in format.

    A JSON export of the whole site also carries its reports, bans and audit log.
    """
    if format == "json":
        write_json(
            out,
            threads=threads.iterator(),
            posts=exported_posts(threads, votes=True),
            whole_site=whole_site,
        )
    elif format == "disqus":
        write_disqus(
            out, threads=threads.iterator(), posts=exported_posts(threads), base_url=base_url
        )
    else:
        raise ValueError(f"format must be one of {FORMATS}, not {format!r}")


def write_disqus(out, *, threads, posts, base_url=""):
    """Write a Disqus XML export: every thread, then every post in tree order."""
    out.write('<?xml version="1.0" encoding="utf-8"?>\n')
    out.write(f'<disqus xmlns="{disqus.NAMESPACE}" xmlns:dsq="{disqus.INTERNALS_NAMESPACE}">\n')
    for thread in threads:
        out.write(_thread_element(thread, base_url))
    for post in posts:
        out.write(_post_element(post))
    out.write("</disqus>\n")


def dsq_id(external_id, pk):
    """The Disqus id a thread or post came with, else one made from our primary key."""
    if external_id and external_id.startswith(DISQUS_PREFIX):
        return external_id.removeprefix(DISQUS_PREFIX)
    return f"parley-{pk}"


def _text(value):
    return escape(NOT_XML.sub("", value), TEXT_ENTITIES)


def _attribute(value):
    return quoteattr(NOT_XML.sub("", value), TEXT_ENTITIES)


def _time(moment):
    """ISO 8601 in UTC with a Z, as Disqus writes it; fractions of a second only when present."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


def _flag(value):
    return "true" if value else "false"


def _thread_element(thread, base_url):
    link = base_url.rstrip("/") + thread.get_absolute_url()
    return (
        f"  <thread dsq:id={_attribute(dsq_id(thread.external_id, thread.pk))}>\n"
        f"    <id>{_text(thread.slug)}</id>\n"
        f"    <link>{_text(link)}</link>\n"
        f"    <title>{_text(thread.title)}</title>\n"
        f"    <message></message>\n"
        f"    <createdAt>{_time(thread.created_at)}</createdAt>\n"
        f"    <isClosed>{_flag(thread.is_locked)}</isClosed>\n"
        f"    <isDeleted>false</isDeleted>\n"
        f"  </thread>\n"
    )


def _post_element(post):
    status = post.status
    thread_id = dsq_id(post.discussion_external_id, post.thread_id)
    parent = ""
    if post.parent_id is not None:
        parent_id = dsq_id(post.parent_external_id, post.parent_id)
        parent = f"    <parent dsq:id={_attribute(parent_id)}/>\n"
    pending = "    <isApproved>false</isApproved>\n" if status == Post.Status.PENDING else ""
    deleted = status in (Post.Status.DELETED, Post.Status.REMOVED)
    return (
        f"  <post dsq:id={_attribute(dsq_id(post.external_id, post.pk))}>\n"
        f"    <message>{_text(post.body_html)}</message>\n"
        f"    <createdAt>{_time(post.created_at)}</createdAt>\n"
        f"    <isDeleted>{_flag(deleted)}</isDeleted>\n"
        f"    <isSpam>{_flag(status == Post.Status.SPAM)}</isSpam>\n"
        f"{pending}"
        f"    <author>\n"
        f"      <name>{_text(post.author_name)}</name>\n"
        f"      <isAnonymous>{_flag(post.author_id is None)}</isAnonymous>\n"
        f"      <username>{_text(post.author_username or '')}</username>\n"
        f"    </author>\n"
        f"    <thread dsq:id={_attribute(thread_id)}/>\n"
        f"{parent}"
        f"  </post>\n"
    )
