"""Keeping the index in step with the site: from the write announcements, and from scratch.

Only the text of a document is indexed with it (plus its thread, author and date, which never
change without an announcement that names the post's tree). Who may see a post is not stored:
searches join the post's live status, so a moderation action is right at its commit.

Posts are indexed a batch of consecutive pks at a time, and the database builds each batch's
documents itself, from its own rows (backends.*.add_posts: INSERT ... SELECT), exactly as
search.text would: an import's 100,000 posts never cross into Python and back. Discussion
titles and articles, a few per write, are built in Python.
"""

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from articles.models import Article
from forum.events import Write
from forum.models import Post, Thread

from . import backends
from .conf import settings
from .models import Document
from .text import html_to_text

Kind = Document.Kind
# Writes that change a post's text, its thread or whether it exists at all.
POST_TEXT_WRITES = {Write.POST_ADDED, Write.POST_EDITED, Write.POST_DELETED}
TREE_WRITES = {Write.POST_MOVED, Write.POST_SPLIT, Write.POSTS_IMPORTED, Write.POSTS_LOADED}
BULK_WRITES = {Write.POSTS_IMPORTED, Write.POSTS_LOADED}
THREAD_TITLE_WRITES = {Write.THREAD_EDITED, Write.POST_SPLIT}
ARTICLE_WRITES = {Write.ARTICLE_EDITED, Write.ARTICLE_DELETED}
TREES_PER_QUERY = 500  # tree ids per IN (...), well below every backend's parameter limit
# What a post's document is made of, in the order backends.*.add_posts reads it: the account's
# name, or the name given with the post when it has no account.
WRITER = Coalesce(NullIf("author__username", Value("")), "author_name")
POST_ROW = ("pk", "thread_id", "writer", "body_html", "created_at")


def on_write(sender, change, **kwargs):
    """Receiver of forum.events.written: index what the committed write changed."""
    # One transaction: the index changes whole, and an import's batches pay for one commit.
    with transaction.atomic():
        _index_change(change)


def _index_change(change):
    if change.write in POST_TEXT_WRITES:
        index_posts(Post.objects.filter(pk__in=change.posts))
    if change.write in BULK_WRITES:
        # Posts just written by the thousand, which the database has no statistics on yet:
        # without them PostgreSQL reads each batch of trees through the whole table.
        backends.current().analyze(Post)
    if change.write in TREE_WRITES:
        index_trees(change.trees)
    if change.write in THREAD_TITLE_WRITES:
        index_threads(Thread.objects.filter(pk__in=change.threads))
    elif change.threads:
        # A new discussion (its first post, an import) gets its title indexed once.
        index_threads(
            Thread.objects.filter(pk__in=change.threads).exclude(pk__in=_indexed("thread"))
        )
    if change.write in ARTICLE_WRITES:
        index_articles(Article.objects.filter(pk__in=change.articles))
        _remove(Document.objects.filter(kind=Kind.ARTICLE, article=None))
    elif change.articles:
        # An import may bring its article along (the seed does).
        index_articles(
            Article.objects.filter(pk__in=change.articles).exclude(pk__in=_indexed("article"))
        )


def index_posts(posts):
    """(Re)index these posts, a batch at a time; deleted ones leave the index."""
    backend = backends.current()
    for batch, first, last in _pk_batches(posts):
        # By the range, PostgreSQL reads the batch's documents through their index: without it,
        # it read every document at each batch of an import (they have no statistics yet).
        _remove(Document.objects.filter(post__gte=first, post__lte=last, post__in=batch))
        rows = batch.exclude(status=Post.Status.DELETED).annotate(writer=WRITER)
        # The database builds the documents in SQL; it leaves to Python the few it cannot.
        left = backend.add_posts(rows.values_list(*POST_ROW).order_by("pk"))
        _add(
            Document(
                kind=Kind.POST,
                post_id=pk,
                thread_id=thread_pk,
                author_name=writer,
                text=html_to_text(html),
                created_at=created_at,
            )
            for pk, thread_pk, writer, html, created_at in left
        )


def index_trees(tree_ids):
    """(Re)index every post of these trees: an import or a move names thousands at once."""
    tree_ids = sorted(tree_ids)
    for start in range(0, len(tree_ids), TREES_PER_QUERY):
        index_posts(Post.objects.filter(tree_id__in=tree_ids[start : start + TREES_PER_QUERY]))


def index_threads(threads):
    """(Re)index these discussions' titles."""
    for batch in _batches(threads.values_list("pk", "title", "created_at")):
        _remove(Document.objects.filter(kind=Kind.THREAD, thread_id__in=[r[0] for r in batch]))
        _add(
            Document(kind=Kind.THREAD, thread_id=pk, title=title, created_at=created_at)
            for pk, title, created_at in batch
        )


def index_articles(articles):
    """(Re)index these articles' titles and texts."""
    rows = articles.values_list("pk", "title", "byline", "body", "published_at")
    for batch in _batches(rows):
        _remove(Document.objects.filter(kind=Kind.ARTICLE, article_id__in=[r[0] for r in batch]))
        _add(
            Document(
                kind=Kind.ARTICLE,
                article_id=pk,
                title=title,
                author_name=byline,
                text=" ".join(body.split()),
                created_at=published_at or timezone.now(),
            )
            for pk, title, byline, body, published_at in batch
        )


def rebuild(progress=None):
    """Empty the index and index every article, discussion and post again, batch by batch."""
    # One transaction: searches use the old index until the new one is whole (on SQLite,
    # writers wait for it meanwhile); memory still holds one batch at a time.
    with transaction.atomic():
        backends.current().clear()
        Document.objects.all().delete()
        for name, index, objects in (
            ("articles", index_articles, Article.objects.all()),
            ("discussions", index_threads, Thread.objects.all()),
            ("posts", index_posts, Post.objects.exclude(status=Post.Status.DELETED)),
        ):
            index(objects)
            if progress:
                progress(name, Document.objects.filter(kind=_KIND_OF[name]).count())


_KIND_OF = {"articles": Kind.ARTICLE, "discussions": Kind.THREAD, "posts": Kind.POST}


def _indexed(field):
    """The pks of the articles or threads that have their own document already."""
    kind = Kind.ARTICLE if field == "article" else Kind.THREAD
    return Document.objects.filter(kind=kind).values(f"{field}_id")


def _batches(rows):
    """Rows in batches, read by ascending pk: memory holds one batch whatever the total."""
    size = settings.INDEX_BATCH_SIZE
    last = None
    while True:
        page = rows.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        batch = list(page[:size])
        if not batch:
            return
        yield batch
        last = batch[-1][0]


def _pk_batches(posts):
    """These posts in batches of consecutive pks: (the batch's posts, its first and last pk)."""
    size = settings.INDEX_BATCH_SIZE
    rest = posts
    while pks := list(rest.order_by("pk").values_list("pk", flat=True)[:size]):
        yield posts.filter(pk__range=(pks[0], pks[-1])), pks[0], pks[-1]
        rest = posts.filter(pk__gt=pks[-1])


def _add(documents):
    documents = Document.objects.bulk_create(list(documents))
    if documents:
        backends.current().write(documents)


def _remove(documents):
    pks = list(documents.values_list("pk", flat=True))
    if pks:
        backends.current().remove(pks)
        Document.objects.filter(pk__in=pks).delete()
