"""The one loader: any front end's records become articles, threads and posts.

Every import (the seed, Disqus, WordPress, our JSON) goes through load(), so the rules live in
one place: external ids make a second import add only what is new, trees are written in bulk by
forum.trees, and the whole stream is stored in one transaction or not at all.

External ids arrive qualified by the archive they first came from ("seed:5", "disqus:123"), so
two formats never collide, and our own JSON can carry a post's id back unchanged.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from articles.models import Article
from forum import trees
from forum.markdown import render_markdown, sanitize_html
from forum.models import Post, Thread

from .placement import Skipped, place_posts
from .records import DiscussionRecord, PostRecord

LOOKUP_CHUNK = 500  # external ids per IN (...) lookup, well below every backend's limit
AUTHOR_NAME_LENGTH = Post._meta.get_field("author_name").max_length
EXTERNAL_ID_LENGTH = Post._meta.get_field("external_id").max_length


@dataclass
class LoadSummary:
    source: str
    discussions_created: int = 0
    discussions_found: int = 0
    articles_created: int = 0
    posts_created: int = 0
    statuses_updated: int = 0
    posts_unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)


def load(records, *, source, orphans="skip") -> LoadSummary:
    """Store a stream of import records, adding only what is not stored yet."""
    summary = LoadSummary(source=source)
    discussions, posts = _collect(records, summary)
    with transaction.atomic():
        threads = {
            external_id: _thread_for(record, summary)
            for external_id, record in discussions.items()
        }
        for discussion_id, thread_posts in posts.items():
            thread = (
                threads.get(discussion_id)
                or Thread.objects.filter(external_id=discussion_id).first()
            )
            if thread is None:
                summary.skipped += [
                    Skipped(external_id, f"its discussion {discussion_id} is not in the import")
                    for external_id in thread_posts
                ]
                continue
            _load_posts(thread, thread_posts, orphans, summary)
    return summary


def _collect(records, summary):
    """Read the whole stream: replies may come before their parents, posts before threads."""
    discussions, posts = {}, defaultdict(dict)
    for record in records:
        if not isinstance(record, DiscussionRecord | PostRecord):
            raise TypeError(f"not an import record: {record!r}")
        origin, _, local_id = record.external_id.partition(":")
        if not (origin and local_id):
            raise ValueError(f"{record.external_id!r} is not a '<source>:<id>' external id")
        if len(record.external_id) > EXTERNAL_ID_LENGTH:
            summary.skipped.append(Skipped(record.external_id[:80], "its id is too long"))
        elif isinstance(record, DiscussionRecord):
            _keep_first(discussions, record, summary)
        elif record.status not in Post.Status.values:
            raise ValueError(f"{record.external_id}: unknown status {record.status!r}")
        else:
            _keep_first(posts[record.discussion_external_id], record, summary)
    return discussions, posts


def _keep_first(seen, record, summary):
    if record.external_id in seen:
        summary.skipped.append(Skipped(record.external_id, "it appears twice; the first is kept"))
    else:
        seen[record.external_id] = record


def _thread_for(record, summary):
    """The discussion's thread: found by external id or through its article, else created."""
    thread = Thread.objects.filter(external_id=record.external_id).first()
    article = None
    if thread is None and record.article is not None:
        article = _article_for(record.article, summary)
        thread = Thread.objects.filter(article=article).first()
        if thread is not None and not thread.external_id:
            # Remembered, so that the next import of this discussion finds the thread directly.
            thread.external_id = record.external_id
            thread.save(update_fields=["external_id"])
    if thread is not None:
        summary.discussions_found += 1
        return thread
    thread = Thread(
        title=record.title[: Thread._meta.get_field("title").max_length],
        slug=_free_slug(record.slug or slugify(record.title) or "discussion"),
        article=article,
        created_at=record.created_at,
        last_activity_at=record.created_at,
        external_id=record.external_id,
        is_locked=record.is_locked,
        lock_reason=record.lock_reason,
    )
    thread.full_clean()
    thread.save()
    summary.discussions_created += 1
    return thread


def _article_for(record, summary):
    article = Article.objects.filter(slug=record.slug).first()
    if article is None:
        article = Article(
            title=record.title,
            slug=record.slug,
            published_at=record.published_at,
            body=record.body,
            lead_image_caption=record.lead_image_caption,
            lead_image_credit=record.lead_image_credit,
            byline=record.byline,
            source=record.source,
        )
        article.full_clean()
        article.save()
        summary.articles_created += 1
    return article


def _free_slug(slug):
    limit = Thread._meta.get_field("slug").max_length
    candidate, number = slug[:limit], 1
    while Thread.objects.filter(slug=candidate).exists():
        number += 1
        suffix = f"-{number}"
        candidate = slug[: limit - len(suffix)] + suffix
    return candidate


def _load_posts(thread, records, orphans, summary):
    """Update the statuses of stored posts, then add the new ones to the thread's trees."""
    parent_ids = {r.parent_external_id for r in records.values() if r.parent_external_id}
    stored = _stored_posts(records.keys() | parent_ids)
    _update_statuses(records, stored, summary)
    new = {external_id: r for external_id, r in records.items() if external_id not in stored}
    answerable = {
        external_id: post for external_id, post in stored.items() if post.thread_id == thread.pk
    }
    parents, skipped = place_posts(
        {external_id: r.parent_external_id for external_id, r in new.items()},
        stored=answerable,
        orphans=orphans,
    )
    summary.skipped += skipped
    created = {external_id: _new_post(thread, new[external_id]) for external_id in parents}
    for external_id, parent_id in parents.items():
        if parent_id is not None:
            created[external_id].parent = created.get(parent_id) or answerable[parent_id]
    if created:
        trees.bulk_insert_posts(thread=thread, posts=list(created.values()))
    summary.posts_created += len(created)


def _stored_posts(external_ids):
    external_ids = sorted(external_ids)
    stored = {}
    for start in range(0, len(external_ids), LOOKUP_CHUNK):
        chunk = external_ids[start : start + LOOKUP_CHUNK]
        for post in Post.objects.filter(external_id__in=chunk).only(
            "pk", "external_id", "status", "thread_id", "tree_id", "level"
        ):
            stored[post.external_id] = post
    return stored


def _update_statuses(records, stored, summary):
    changed, touched_threads = defaultdict(list), set()
    for external_id, record in records.items():
        post = stored.get(external_id)
        if post is None:
            continue
        if post.status == record.status:
            summary.posts_unchanged += 1
            continue
        changed[record.status].append(post.pk)
        touched_threads.add(post.thread_id)
        post.status = record.status
        summary.statuses_updated += 1
    for status, pks in changed.items():
        for start in range(0, len(pks), LOOKUP_CHUNK):
            Post.objects.filter(pk__in=pks[start : start + LOOKUP_CHUNK]).update(status=status)
    for thread in Thread.objects.filter(pk__in=touched_threads):
        thread.update_counts()


def _new_post(thread, record):
    return Post(
        thread=thread,
        author=None,  # imported names are never matched to local accounts
        author_name=record.author_name[:AUTHOR_NAME_LENGTH],
        body=record.body,
        body_html=_html(record),
        created_at=record.created_at,
        edited_at=record.edited_at,
        status=record.status,
        external_id=record.external_id,
    )


def _html(record):
    if record.body_html is not None:
        # Front ends sanitise already; the loader does not rely on every one of them doing so.
        return sanitize_html(record.body_html)
    return render_markdown(record.body)
