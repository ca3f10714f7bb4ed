"""Moderators' pages: the queue, actions on posts, threads and users, and the audit log.

Every action calls its function in forum.moderation, the same one the admin's actions call, so
each takes the tree locks and writes its audit record there.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from ... import moderation
from ...models import ModerationRecord, Post, Thread
from ...next_page import next_page
from .. import queue as moderation_queue
from ..forms import (
    BulkActionForm,
    LockForm,
    LogFilterForm,
    MoveForm,
    ReasonForm,
    SplitForm,
)

QUEUE_PER_PAGE = 25  # each entry carries its context: a page a moderator can decide in one go
LOG_PER_PAGE = 50


def moderator_required(view):
    """Log in first; then moderators and superusers only, everyone else gets a 403."""
    view = require_http_methods(["GET", "POST"])(view)
    view = permission_required("forum.moderate_post", raise_exception=True)(view)
    return login_required(view)


@dataclass(frozen=True)
class Action:
    title: str
    service: Callable
    done: str
    form_class: type[forms.Form] = ReasonForm
    options: dict = field(default_factory=dict)  # passed on to the service


POST_ACTIONS = {
    "approve": Action(
        gettext_lazy("Approve"),
        moderation.approve_post,
        gettext_lazy("Approved: the post is published."),
    ),
    "remove": Action(
        gettext_lazy("Remove"),
        moderation.remove_post,
        gettext_lazy("Removed: its replies stay, under “[removed]”."),
    ),
    "remove-subtree": Action(
        gettext_lazy("Remove with all its replies"),
        moderation.remove_post,
        gettext_lazy("Removed, with all its replies."),
        options={"subtree": True},
    ),
    "spam": Action(
        gettext_lazy("Mark as spam"),
        moderation.mark_spam,
        gettext_lazy("Marked as spam and hidden."),
    ),
}
THREAD_ACTIONS = {
    "lock": Action(
        gettext_lazy("Lock the discussion"),
        moderation.lock_thread,
        gettext_lazy("Locked: nobody but moderators can post here now."),
        form_class=LockForm,
    ),
    "unlock": Action(
        gettext_lazy("Unlock the discussion"),
        moderation.unlock_thread,
        gettext_lazy("Unlocked: everyone can post here again."),
    ),
    "premoderation-on": Action(
        gettext_lazy("Hold new posts for moderation"),
        moderation.set_premoderation,
        gettext_lazy("Pre-moderation is on: new posts wait in the queue."),
        options={"enabled": True},
    ),
    "premoderation-off": Action(
        gettext_lazy("Stop holding new posts"),
        moderation.set_premoderation,
        gettext_lazy("Pre-moderation is off: new posts appear at once."),
        options={"enabled": False},
    ),
}


@moderator_required
def queue(request):
    """The posts awaiting a decision; a POST applies one action to the selected ones."""
    if request.method == "POST":
        return bulk_action(request)
    paginator = Paginator(moderation_queue.awaiting_posts(), QUEUE_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "page": page,
        "entries": moderation_queue.queue_entries(page),
        "bulk_form": BulkActionForm(),
    }
    return render(request, "moderation/queue.html", context)


def bulk_action(request):
    form = BulkActionForm(request.POST)
    back = next_page(request, reverse("moderation:queue"))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return HttpResponseRedirect(back)
    name, posts = form.cleaned_data["action"], form.cleaned_data["posts"]
    reason = form.cleaned_data["reason"].strip()
    if name == "ban":
        banned = ban_authors(request, posts, reason=reason, until=form.ban_until())
        if banned:
            messages.success(request, _("Banned: %(count)d users.") % {"count": banned})
        return HttpResponseRedirect(back)
    action = POST_ACTIONS[name]
    done = sum(
        act(request, action, {"post": post, "reason": reason}, about=f"Post {post.pk}: ")
        for post in posts
    )
    if done:
        counts = {"done": action.done, "count": done, "total": len(posts)}
        messages.success(request, _("%(done)s (%(count)d of %(total)d posts)") % counts)
    return HttpResponseRedirect(back)


def ban_authors(request, posts, *, reason, until):
    """Ban each selected post's author once; return how many were banned."""
    authors = {post.author for post in posts if post.author is not None}
    if nameless := sum(post.author is None for post in posts):
        messages.error(
            request,
            _("%(count)d of the selected posts have no account behind them to ban.")
            % {"count": nameless},
        )
    banned = 0
    for author in sorted(authors, key=lambda user: user.pk):
        try:
            moderation.ban_user(user=author, moderator=request.user, reason=reason, until=until)
        except ValidationError as refusal:
            messages.error(request, f"{author.get_username()}: {' '.join(refusal.messages)}")
        else:
            banned += 1
    return banned


def act(request, action, subject, *, about=""):
    """Run one action's service; whether it was done, with a message saying why if not."""
    try:
        action.service(moderator=request.user, **subject, **action.options)
    except ValidationError as refusal:
        messages.error(request, about + " ".join(refusal.messages))
        return False
    return True


@moderator_required
def post_action(request, pk, action):
    """Approve, remove or mark a post as spam: a confirmation page, or the POST that does it."""
    post = get_object_or_404(Post.objects.select_related("thread__article", "author"), pk=pk)
    action = POST_ACTIONS[action]
    context = {"post": post, "thread": post.thread}
    return confirm_and_act(
        request, action, subject={"post": post}, context=context, back=post.get_absolute_url()
    )


@moderator_required
def thread_action(request, pk, action):
    """Lock, unlock or switch pre-moderation of a thread."""
    thread = get_object_or_404(Thread.objects.select_related("article"), pk=pk)
    action = THREAD_ACTIONS[action]
    subject = {"thread": thread}
    return confirm_and_act(
        request, action, subject=subject, context=subject, back=thread.get_absolute_url()
    )


def confirm_and_act(request, action, *, subject, context, back):
    """Show the action's form; once it is sent and valid, act and go back with a message."""
    form = action.form_class(request.POST if request.method == "POST" else None)
    back = next_page(request, back)
    if form.is_valid():
        subject = {**subject, "reason": form.cleaned_data["reason"].strip()}
        if act(request, action, subject):
            messages.success(request, action.done)
        return HttpResponseRedirect(back)
    context = {**context, "action": action, "form": form, "back": back}
    return render(request, "moderation/confirm.html", context, status=form_status(form))


@moderator_required
def post_move(request, pk):
    post = get_object_or_404(Post.objects.select_related("thread__article"), pk=pk)
    form = MoveForm(request.POST if request.method == "POST" else None, post=post)
    if form.is_valid():
        try:
            moved = moderation.move_post(
                post=post,
                new_parent=form.cleaned_data["target"],
                moderator=request.user,
                reason=form.cleaned_data["reason"].strip(),
            )
        except ValidationError as refusal:
            form.add_error("target", refusal.messages)
        else:
            messages.success(request, _("Moved, with its replies."))
            return redirect(moved.get_absolute_url())
    context = {"post": post, "thread": post.thread, "form": form}
    return render(request, "moderation/move.html", context, status=form_status(form))


@moderator_required
def post_split(request, pk):
    post = get_object_or_404(Post.objects.select_related("thread__article"), pk=pk)
    form = SplitForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            new_thread = moderation.split_post(
                post=post,
                moderator=request.user,
                title=form.cleaned_data["title"],
                reason=form.cleaned_data["reason"].strip(),
            )
        except ValidationError as refusal:
            form.add_error(None, refusal.messages)
        else:
            messages.success(request, _("Split into a new discussion, with its replies."))
            return redirect(new_thread.get_forum_url())
    context = {"post": post, "thread": post.thread, "form": form}
    return render(request, "moderation/split.html", context, status=form_status(form))


@moderator_required
@require_safe
def audit_log(request):
    form = LogFilterForm(request.GET)
    records = ModerationRecord.objects.select_related("thread")
    if form.is_valid():
        records = form.filter(records)
    page = Paginator(records, LOG_PER_PAGE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    context = {"form": form, "page": page, "filters": filters.urlencode()}
    return render(request, "moderation/log.html", context)


def form_status(form):
    return 400 if form.is_bound and form.errors else 200
