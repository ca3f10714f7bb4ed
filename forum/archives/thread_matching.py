"""The thread each imported discussion goes into: found again, found through its article, or new.

A discussion's article is the one its record carries (the seed, our JSON), else the stored
article its link points at: the article's own page on this site, or the page it was first
published on (Article.source), as a Disqus or WordPress export names it.
"""

from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

from articles.models import Article
from forum.models import Thread
from forum.services import free_thread_slug

ARTICLE_PAGE = "articles:detail"


def thread_for(record, summary):
    """The discussion's thread: found by external id or through its article, else created;
    None for a discussion without posts that has neither (nobody would read it)."""
    thread = Thread.objects.filter(external_id=record.external_id).first()
    article = None
    if thread is None:
        if record.article is not None:
            article = _article_for(record.article, summary)
        else:
            article = article_at(record.link)
        if article is not None:
            thread = Thread.objects.filter(article=article).first()
    if thread is not None and not thread.external_id:
        # Remembered, so that the next import of this discussion finds the thread directly.
        thread.external_id = record.external_id
        thread.save(update_fields=["external_id"])
    if thread is not None:
        summary.discussions_found += 1
        return thread
    if record.without_posts and article is None:
        summary.discussions_without_posts += 1
        return None
    title = record.title[: Thread._meta.get_field("title").max_length]
    thread = Thread(
        title=title,
        slug=free_thread_slug(title, preferred=record.slug),
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


def article_at(link):
    """The stored article whose page on this site is at link's path, or whose source is link."""
    if not link:
        return None
    path = urlsplit(link).path
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    if match is not None and match.view_name == ARTICLE_PAGE:
        article = Article.objects.filter(slug=match.kwargs["slug"]).first()
        if article is not None and article.get_absolute_url() == path:
            return article
    return Article.objects.filter(source=link).order_by("pk").first()


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
