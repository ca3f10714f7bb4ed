from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .. import selectors
from ..models import Post

THREADS_PER_PAGE = 50


def thread_list(request):
    paginator = Paginator(selectors.listed_threads(), THREADS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "forum/thread_list.html", {"page": page})


def thread_detail(request, slug):
    thread = get_object_or_404(selectors.listed_threads(), slug=slug)
    context = {
        "thread": thread,
        "entries": selectors.thread_discussion(thread, request.user),
        # An article's discussion is read on the article's page.
        "canonical_url": request.build_absolute_uri(thread.get_absolute_url()),
    }
    return render(request, "forum/thread_detail.html", context)


def post_detail(request, pk):
    posts = Post.objects.filter(thread__in=selectors.listed_threads()).select_related(
        "thread__article"
    )
    post = get_object_or_404(posts, pk=pk)
    entries, focus = selectors.post_discussion(post, request.user)
    if focus is None:
        raise Http404("No post here that you may read.")
    context = {"thread": post.thread, "entries": entries, "focus": focus}
    return render(request, "forum/post_detail.html", context)
