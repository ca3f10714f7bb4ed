"""The article page's own read: the article with its discussion, at every request.

Compiled by the ORM once (config.compiled_queries): building and compiling it cost the page
more than the database took to find the row by its unique slug.
"""

from django.db.models.functions import Now

from config.compiled_queries import CompiledQuery
from forum.models import Thread

from .models import Article

ARTICLE_FIELDS = [field.attname for field in Article._meta.concrete_fields]
THREAD_FIELDS = [field.attname for field in Thread._meta.concrete_fields]


def _published_with_thread(slug):
    # Now() is the database's clock, rather than the app's sent as a value: the SQL then
    # stays the same from one request to the next.
    articles = Article.objects.filter(published_at__lte=Now(), slug=slug).order_by()
    return articles.values_list(*ARTICLE_FIELDS, *(f"thread__{name}" for name in THREAD_FIELDS))


_query = CompiledQuery(_published_with_thread, slug="-article-slug-stand-in-")


def published_article(slug, using="default"):
    """The published article with this slug, its thread read with it, or None."""
    rows = _query.rows(using, slug=slug)
    if not rows:
        return None
    (row,) = rows
    article = Article.from_db(using, ARTICLE_FIELDS, row[: len(ARTICLE_FIELDS)])
    thread_values = row[len(ARTICLE_FIELDS) :]
    thread = None
    if thread_values[0] is not None:  # its pk: an article without a discussion has none
        thread = Thread.from_db(using, THREAD_FIELDS, thread_values)
        Thread.article.field.set_cached_value(thread, article)
    # As select_related() would: None too is kept, so asking costs no query.
    Article.thread.related.set_cached_value(article, thread)
    return article
