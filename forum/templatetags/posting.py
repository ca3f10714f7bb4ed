"""Template tags that put the forms and links for writing beside what is read."""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from .. import antispam
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
    shown = {"thread": thread, "request": request}
    if thread.is_closed_to(request.user):
        return shown  # the lock notice above the discussion says why
    if not request.user.is_authenticated:
        return {**shown, "login_url": login_url(request, "new-comment")}
    # A discussion page gives the refusal as one of its reader facts, and a stand-in for the
    # form's one-time token when the page is kept (forum/rendering/frames.py).
    if "posting_refusal" in context:
        refusal = context["posting_refusal"]
    else:
        refusal = antispam.posting_refusal(request.user, thread)
    if refusal:
        return {**shown, "refusal": refusal}
    initial = {"thread": thread.pk}
    if token := context.get("comment_form_token"):
        initial["token"] = token
    form = ReplyForm(initial=initial, auto_id="comment-%s")
    action = reverse("forum:thread-reply", kwargs={"slug": thread.slug})
    return {**shown, "form": form, "action": action}
