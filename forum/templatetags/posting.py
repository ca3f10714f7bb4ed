"""Template tags that put the forms and links for writing beside what is read."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from .. import antispam, services
from ..forms import ReplyForm

register = template.Library()


def login_url(request, anchor):
    """The login page, leading back to this page at anchor afterwards."""
    next_url = f"{request.get_full_path()}#{anchor}"
    return f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': next_url})}"


@register.inclusion_tag("forum/_comment_form.html", takes_context=True)
def comment_form(context, thread):
    """The form for a new top-level post under a discussion, or the way to log in for it."""
    request = context["request"]
    context = {"thread": thread, "request": request}
    if thread.is_closed_to(request.user):
        return context  # the lock notice above the discussion says why
    if not request.user.is_authenticated:
        return {**context, "login_url": login_url(request, "new-comment")}
    if refusal := antispam.posting_refusal(request.user, thread):
        return {**context, "refusal": refusal}
    form = ReplyForm(initial={"thread": thread.pk}, auto_id="comment-%s")
    action = reverse("forum:thread-reply", kwargs={"slug": thread.slug})
    return {**context, "form": form, "action": action}


@dataclass(frozen=True)
class PostActions:
    reply_url: str = ""
    login_url: str = ""
    edit_url: str = ""
    delete_url: str = ""
    closed: bool = False  # the lock keeps this reader from voting and reporting too


@register.simple_tag(takes_context=True)
def post_actions(context, post):
    """The links this reader may follow to reply to, edit or delete a post."""
    request = context["request"]
    user = request.user
    thread = context.get("thread")
    is_open = thread is None or not thread.is_closed_to(user)
    if not user.is_authenticated:
        wanted = is_open and post.accepts_replies
        return PostActions(
            login_url=login_url(request, post.anchor) if wanted else "", closed=not is_open
        )
    links = {"closed": not is_open}
    if is_open and post.accepts_replies:
        links["reply_url"] = reverse("forum:post-reply", kwargs={"pk": post.pk})
    if post.author_id == user.pk:
        if is_open and services.edit_refusal(post=post, editor=user) is None:
            links["edit_url"] = reverse("forum:post-edit", kwargs={"pk": post.pk})
        if services.delete_refusal(post=post, author=user) is None:
            links["delete_url"] = reverse("forum:post-delete", kwargs={"pk": post.pk})
    return PostActions(**links)
