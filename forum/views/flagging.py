"""Readers reporting a post to the moderators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import moderation, selectors
from ..models import Post, active_ban
from ..moderation.flags import LOCKED_THREAD
from ..moderation.forms import FlagForm
from ..moderation.views.actions import form_status
from ..next_page import next_page


@login_required
@require_http_methods(["GET", "POST"])
def post_flag(request, pk):
    readable = Post.objects.visible_to(request.user).filter(thread__in=selectors.listed_threads())
    post = get_object_or_404(readable.select_related("thread__article"), pk=pk)
    if refusal := flag_refusal(request.user, post):
        context = {"message": refusal, "thread": post.thread}
        return render(request, "forum/flag_refused.html", context, status=403)
    form = FlagForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            moderation.flag_post(post=post, reporter=request.user, **form.cleaned_data)
        except ValidationError as refusal:
            form.add_error(None, refusal.messages)
        else:
            messages.success(request, _("Thank you: the moderators will look at this comment."))
            # Enough reports hide the post: the discussion is a page the reporter can still read.
            return HttpResponseRedirect(next_page(request, post.thread.get_absolute_url()))
    context = {"post": post, "thread": post.thread, "form": form, "back": next_page(request, "")}
    return render(request, "forum/flag.html", context, status=form_status(form))


def flag_refusal(user, post):
    """Why this user may not report this post at all, or None."""
    if (ban := active_ban(user)) is not None:
        return ban.notice()
    if post.thread.is_closed_to(user):
        return LOCKED_THREAD
    if post.author_id == user.pk:
        return _("You cannot report your own comment.")
    return None
