from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from forum import rendering, selectors
from reading.new_posts import threads_with_new_posts

from .models import Article
from .reads import published_article

ARTICLES_PER_PAGE = 20


def home(request):
    articles = Article.objects.published().select_related("thread")
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    active_threads = list(selectors.active_threads())
    threads = [getattr(article, "thread", None) for article in page]
    discussions = [*active_threads, *filter(None, threads)]
    context = {
        "page": page,
        "active_threads": active_threads,
        "new_threads": threads_with_new_posts(request.user, discussions),
    }
    return render(request, "articles/home.html", context)


def detail(request, slug):
    article = published_article(slug)
    if article is None:
        raise Http404("No such article.")
    thread = getattr(article, "thread", None)
    context = {
        "article": article,
        "thread": thread,
        "canonical_url": settings.PARLEY_SITE_URL + article.get_absolute_url(),
    }
    if thread is None:
        return render(request, "articles/detail.html", context)

    asked = rendering.page_asked(request, thread)

    def page():
        context["discussion"] = rendering.thread_discussion(request, thread, asked)
        return rendering.render_discussion_page(request, "articles/detail.html", context)

    # Article edits in the admin change the thread's version too: the page is kept with it.
    order, number, _ = asked
    return rendering.discussion_response(request, thread, page, order.name, number)
