"""The search itself: what this reader may find for a query, a page at a time."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.safestring import SafeString

from forum.models import Post, Thread, can_moderate

from . import backends
from .conf import settings
from .excerpts import excerpt
from .models import Document
from .query import Query

Kind = Document.Kind
BEST, NEWEST = "best", "newest"
MAX_PAGE = 50  # deeper than any reader pages; an OFFSET past it only costs the database


@dataclass(frozen=True)
class Result:
    kind: str  # "article", "discussion" or "post"
    title: str
    url: str
    author: str
    date: datetime
    excerpt: SafeString
    status: str = ""  # a post's status, shown to moderators and to the author of a pending one


@dataclass(frozen=True)
class ResultsPage:
    results: list[Result]
    number: int
    has_next: bool

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def first_index(self):
        return (self.number - 1) * settings.RESULTS_PER_PAGE + 1


def visible_documents(user, *, statuses=()):
    """The documents this reader may find: by the discussion pages' rules for posts."""
    posts = Post.objects.visible_to(user)
    if statuses and can_moderate(user):
        posts = posts.filter(status__in=statuses)
    # EXISTS looks up each matching document's post; IN (...) would list every visible post.
    visible_post = Exists(posts.filter(pk=OuterRef("post_id")))
    if statuses and can_moderate(user):
        return Document.objects.filter(visible_post, kind=Kind.POST)
    return Document.objects.filter(
        Q(visible_post, kind=Kind.POST)
        | Q(kind=Kind.THREAD, thread__isnull=False)
        | Q(kind=Kind.ARTICLE, article__published_at__lte=timezone.now())
    )


def search(
    *,
    user,
    query: Query,
    thread: Thread | None = None,
    since: date | None = None,
    until: date | None = None,
    order: str = BEST,
    statuses=(),
    page: int = 1,
) -> ResultsPage:
    """One page of what this reader finds, best match (or newest) first."""
    documents = visible_documents(user, statuses=statuses)
    # Unfiltered, a common word matches half the site: rank only its newest matches.
    window = None if (query.author or thread or since or until or statuses) else settings.WINDOW
    if query.author:
        documents = documents.filter(author_name__iexact=query.author)
    if thread is not None:
        documents = documents.filter(thread=thread)
    if since:
        documents = documents.filter(created_at__gte=_day_start(since))
    if until:
        documents = documents.filter(created_at__lt=_day_start(until, after=True))
    ordering = ["-created_at", "-pk"]
    if query.has_words:
        documents, best_first = backends.current().match(documents, query, window=window)
        if order == BEST:
            ordering.insert(0, best_first)
    per_page = settings.RESULTS_PER_PAGE
    page = min(max(page, 1), MAX_PAGE)
    start = (page - 1) * per_page
    # The page's ids first, sorted on narrow rows; then only those documents, whole.
    window = documents.order_by(*ordering).values_list("pk", flat=True)
    pks = list(window[start : start + per_page + 1])
    related = ("article", "thread__article", "post__thread")
    shown = Document.objects.select_related(*related).in_bulk(pks[:per_page])
    results = [_result(shown[pk], query) for pk in pks[:per_page]]
    return ResultsPage(results, page, has_next=len(pks) > per_page and page < MAX_PAGE)


def _day_start(day, *, after=False):
    if after:
        day = date.fromordinal(day.toordinal() + 1)
    return timezone.make_aware(datetime.combine(day, time.min))


def _result(document, query):
    words = query.terms_shown
    if document.kind == Kind.POST:
        post = document.post
        return Result(
            "post",
            post.thread.title,
            post.get_absolute_url(),
            document.author_name,
            document.created_at,
            excerpt(document.text, words),
            status="" if post.status == Post.Status.PUBLISHED else post.get_status_display(),
        )
    if document.kind == Kind.THREAD:
        thread = document.thread
        return Result(
            "discussion",
            thread.title,
            thread.get_absolute_url(),
            "",
            document.created_at,
            excerpt(document.title, words),
        )
    article = document.article
    return Result(
        "article",
        article.title,
        article.get_absolute_url(),
        document.author_name,
        document.created_at,
        excerpt(document.text, words),
    )
