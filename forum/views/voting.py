from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from .. import selectors, votes
from ..models import Post, Vote
from ..next_page import next_page

VOTE_VALUES = {"up": Vote.Value.UP, "down": Vote.Value.DOWN}


@require_POST
def post_vote(request, pk):
    post = get_object_or_404(Post.objects.filter(thread__in=selectors.listed_threads()), pk=pk)
    back = back_to_post(request, post)
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    value = VOTE_VALUES.get(request.POST.get("value"))
    if value is None:
        return HttpResponseBadRequest("A vote is either up or down.")
    try:
        votes.cast_vote(post=post, voter=request.user, value=value)
    except votes.VoteRefused as refusal:
        context = {"post": post, "reason": str(refusal), "back": back}
        return render(request, "forum/vote_refused.html", context, status=403)
    return HttpResponseRedirect(back)


def back_to_post(request, post):
    """The page the vote was cast on, if it is on this site, at the post's anchor."""
    page = next_page(request, post.get_absolute_url()).partition("#")[0]
    return f"{page}#{post.anchor}"
