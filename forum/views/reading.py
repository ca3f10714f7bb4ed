from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from reading.new_posts import threads_with_new_posts

from .. import rendering, selectors
from ..models import Post

THREADS_PER_PAGE = 50


def thread_list(request):
    paginator = Paginator(selectors.listed_threads(), THREADS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    context = {"page": page, "new_threads": threads_with_new_posts(request.user, page)}
    return render(request, "forum/thread_list.html", context)


def thread_detail(request, slug):
    thread = get_object_or_404(selectors.listed_threads(), slug=slug)

    asked = rendering.page_asked(request, thread)

    def page():
        context = {
            "thread": thread,
            "discussion": rendering.thread_discussion(request, thread, asked),
            # An article's discussion is read on the article's page.
            "canonical_url": settings.PARLEY_SITE_URL + thread.get_absolute_url(),
        }
        return rendering.render_discussion_page(request, "forum/thread_detail.html", context)

    order, number, _ = asked
    return rendering.discussion_response(request, thread, page, order.name, number)


def post_detail(request, pk):
    posts = Post.objects.filter(thread__in=selectors.listed_threads()).select_related(
        "thread__article"
    )
    post = get_object_or_404(posts, pk=pk)

    def page():
        discussion = rendering.post_discussion(request, post)
        if not discussion.found:
            raise Http404("No comment here that you may read.")
        context = {"thread": post.thread, "discussion": discussion}
        return rendering.render_discussion_page(request, "forum/post_detail.html", context)

    order = selectors.sort_order(request.GET.get("sort"))
    # A post's page has no pages of its own: any ?page= reads the one kept page.
    return rendering.discussion_response(request, post.thread, page, order.name, 1)
