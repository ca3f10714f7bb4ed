"""Writing in the forum: new threads, comments and replies, edits and deletions."""

from dataclasses import dataclass
from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from .. import antispam, rendering, selectors, services
from ..forms import EditForm, NewThreadForm, ReplyForm
from ..models import Post, Thread


@dataclass(frozen=True)
class ShownPost:
    """One post shown on its own by forum/_post.html, outside a discussion."""

    post: Post
    shows_text: bool

    @property
    def placeholder(self):
        return None if self.shows_text else self.post.placeholder


MISSING_PARENT = gettext_lazy(
    "The comment you are replying to does not exist. You can post your text as a comment on "
    "the discussion instead."
)


@login_required
@require_http_methods(["GET", "POST"])
def thread_new(request):
    if refusal := antispam.posting_refusal(request.user, Thread()):
        return refused(request, refusal)
    form = NewThreadForm(request.POST or None)
    status = 400
    if form.is_valid() and not wants_preview(request):
        try:
            check_post_rate(request)
            fields = {name: form.cleaned_data[name] for name in ("title", "body", "token")}
            thread = services.start_thread(author=request.user, **fields)
        except ValidationError as error:
            antispam.uncount_post(request)  # nothing stored, so nothing counts
            if code_of(error) == "refused":
                return refused(request, error.message)
            form.add_error(None, error)
            if code_of(error) == "rate":
                status = HTTPStatus.TOO_MANY_REQUESTS
        else:
            first = thread.posts.order_by("pk").first()
            say_posted(request, first, _("Your discussion is started."))
            return redirect(shown_at(first, request.user))
    context = {"form": form, "preview": preview_of(request, form)}
    return render(request, "forum/new_thread.html", context, status=form_status(form, status))


@login_required
@require_http_methods(["GET", "POST"])
def thread_reply(request, slug):
    """A new top-level post in a thread."""
    thread = get_object_or_404(selectors.listed_threads(), slug=slug)
    return write_reply(request, thread=thread, parent=None)


@login_required
@require_http_methods(["GET", "POST"])
def post_reply(request, pk):
    parent = readable_posts().filter(pk=pk).first()
    if parent is not None:
        return write_reply(request, thread=seen_thread(request) or parent.thread, parent=parent)
    thread = seen_thread(request)
    if request.method != "POST":
        raise Http404("No such comment.")
    if thread is None:
        # Nowhere to post it: give the text back rather than losing it on a bare 404.
        return refused(request, _("The comment you are replying to does not exist."), status=404)
    form = ReplyForm(request.POST, auto_id="comment-%s")
    form.is_valid()
    form.add_error(None, MISSING_PARENT)
    return render_reply(request, form, thread=thread, parent=None)


def write_reply(request, *, thread, parent):
    if refusal := antispam.posting_refusal(request.user, thread):
        return refused(request, refusal, thread=thread)
    auto_id = f"reply-{parent.pk}-%s" if parent else "comment-%s"
    form = ReplyForm(request.POST or None, initial={"thread": thread.pk}, auto_id=auto_id)
    if parent is not None:
        form.fields["body"].label = _("Your reply")
    if refusal := services.parent_refusal(thread=thread, parent=parent):
        if request.method != "POST":
            return refused(request, refusal, thread=thread)
        # Offer the text as a top-level post of the discussion the writer was reading.
        form.is_valid()
        form.add_error(None, refusal)
        return render_reply(request, form, thread=thread, parent=None)
    status = 400
    if form.is_valid() and not wants_preview(request):
        try:
            check_post_rate(request)
            post = services.post_reply(
                thread=thread,
                parent=parent,
                author=request.user,
                body=form.cleaned_data["body"],
                token=form.cleaned_data["token"],
            )
        except ValidationError as error:
            antispam.uncount_post(request)  # nothing stored, so nothing counts
            if code_of(error) == "refused":  # locked, or the writer banned, while they wrote
                return refused(request, error.message, thread=thread)
            form.add_error(None, error)
            if code_of(error) == "rate":
                status = HTTPStatus.TOO_MANY_REQUESTS
        else:
            say_posted(request, post, _("Your comment is posted."))
            return redirect(shown_at(post, request.user))
    return render_reply(request, form, thread=thread, parent=parent, status=status)


def render_reply(request, form, *, thread, parent, status=400):
    if parent is None:
        action = reverse("forum:thread-reply", kwargs={"slug": thread.slug})
    else:
        action = reverse("forum:post-reply", kwargs={"pk": parent.pk})
    context = {
        "thread": thread,
        "parent": parent,
        "parent_node": ShownPost(parent, parent.text_visible_to(request.user)) if parent else None,
        "form": form,
        "action": action,
        "preview": preview_of(request, form),
    }
    return render(request, "forum/reply.html", context, status=form_status(form, status))


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    post = get_object_or_404(readable_posts(), pk=pk)
    refusal = antispam.posting_refusal(request.user, post.thread) or services.edit_refusal(
        post=post, editor=request.user
    )
    if refusal:
        return refused(request, refusal, thread=post.thread)
    form = EditForm(request.POST or None, initial={"body": post.body})
    if form.is_valid() and not wants_preview(request):
        try:
            body = form.cleaned_data["body"]
            post = services.edit_post(post=post, editor=request.user, body=body)
        except ValidationError as error:
            if code_of(error) == "refused":  # e.g. the edit window closed while they wrote
                return refused(request, error.message, thread=post.thread)
            form.add_error(None, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(shown_at(post, request.user))
    context = {
        "thread": post.thread,
        "post": post,
        "form": form,
        "preview": preview_of(request, form),
    }
    return render(request, "forum/edit.html", context, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def post_delete(request, pk):
    post = get_object_or_404(readable_posts(), pk=pk)
    if refusal := services.delete_refusal(post=post, author=request.user):
        return refused(request, refusal, thread=post.thread)
    if request.method == "POST":
        post = services.delete_post(post=post, author=request.user)
        messages.success(request, _("Your comment is deleted."))
        return redirect(shown_at_after_deletion(post, request.user))
    context = {"thread": post.thread, "post": post, "node": ShownPost(post, shows_text=True)}
    return render(request, "forum/delete_confirm.html", context)


def say_posted(request, post, done):
    """Confirm a post on the page it leads to, saying so when it waits for a moderator."""
    if post.status == Post.Status.PENDING:
        done = _("Your comment is saved and will show once a moderator approves it.")
    messages.success(request, done)


def readable_posts():
    """Posts of the threads anyone may read, with what a page about them shows."""
    return Post.objects.filter(thread__in=selectors.listed_threads()).select_related(
        "thread__article"
    )


def seen_thread(request):
    """The thread whose page the form was sent from, if the form says and it is readable."""
    try:
        thread_pk = ReplyForm.base_fields["thread"].clean(request.POST.get("thread"))
    except ValidationError:
        return None  # the reply form, validating the same field, says what is wrong
    return selectors.listed_threads().filter(pk=thread_pk).first() if thread_pk else None


def shown_at(post, viewer):
    """Where the viewer reads a post: its discussion's page (or permalink below the cap)."""
    # The thread as the write left it: its roots version names the list the pages keep.
    thread = Thread.objects.get(pk=post.thread_id)
    shown = rendering.shown_tree_ids_for(thread, viewer)
    return selectors.discussion_url(post, viewer, shown_tree_ids=shown)


def shown_at_after_deletion(post, viewer):
    """The deleted post's place while it holds replies, else the post it answered."""
    if post.parent_id is None or post.get_children().filter(status=Post.Status.PUBLISHED).exists():
        return shown_at(post, viewer)
    return shown_at(Post.objects.select_related("thread__article").get(pk=post.parent_id), viewer)


def wants_preview(request):
    return "preview" in request.POST


def preview_of(request, form):
    return form.preview_html() if wants_preview(request) and form.is_valid() else ""


def form_status(form, refusal_status=400):
    """200 for a form to fill in; for a refused one, 400 or the refusal's own status."""
    return refusal_status if form.is_bound and form.errors else 200


def code_of(error):
    return getattr(error, "code", None)  # errors about several fields have none


def check_post_rate(request):
    """Count this post against the writer's and their address's limits; refuse past them."""
    if refusal := antispam.check_post_rate(request):
        raise ValidationError(refusal, code="rate")


def refused(request, message, *, thread=None, status=403):
    """The page that says why nothing may be written here, with the writer's text given back."""
    context = {"message": message, "thread": thread, "text": request.POST.get("body", "")}
    return render(request, "forum/post_refused.html", context, status=status)
