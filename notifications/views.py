from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from forum.models import Thread
from forum.next_page import next_page

from . import following, tokens, unsubscribing
from .models import Notification
from .verification import verify

PER_PAGE = 30


@never_cache
@login_required
def inbox(request):
    notifications = Notification.objects.for_inbox(request.user)
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@never_cache
@login_required
def open_notification(request, pk):
    """Mark one notification read and go to the post it is about."""
    notification = get_object_or_404(Notification.objects.for_inbox(request.user), pk=pk)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk).update(read_at=timezone.now())
    return HttpResponseRedirect(notification.post.get_absolute_url())


@require_POST
@login_required
def mark_all_read(request):
    Notification.objects.filter(recipient=request.user).unread().update(read_at=timezone.now())
    messages.success(request, "All your notifications are marked read.")
    return HttpResponseRedirect(reverse("notifications:inbox"))


@require_POST
@login_required
def follow(request, pk):
    thread = get_object_or_404(Thread, pk=pk)
    if request.POST.get("follow") == "off":
        following.unfollow(user=request.user, thread=thread)
        messages.success(request, f"You no longer follow “{thread.title}”.")
    else:
        following.follow(user=request.user, thread=thread)
        messages.success(request, f"You follow “{thread.title}”: new comments reach your inbox.")
    return HttpResponseRedirect(next_page(request, default=thread.get_absolute_url()))


@require_POST
@login_required
def mute(request, username):
    muted = get_object_or_404(get_user_model(), username=username)
    profile = reverse("accounts:profile", kwargs={"username": muted.get_username()})
    if muted.pk == request.user.pk:
        messages.error(request, "You cannot mute yourself.")
        return HttpResponseRedirect(profile)
    if request.POST.get("mute") == "off":
        following.unmute(user=request.user, muted=muted)
        messages.success(request, f"You no longer mute {muted.get_username()}.")
    else:
        following.mute(user=request.user, muted=muted)
        messages.success(
            request, f"You muted {muted.get_username()}: their comments show folded for you."
        )
    return HttpResponseRedirect(next_page(request, default=profile))


# A mail client's one-click unsubscribe (RFC 8058) POSTs without any token of ours: the signed
# link is the proof, so CSRF has nothing to protect here.
@csrf_exempt
@never_cache
def unsubscribe(request, token):
    read = tokens.read_unsubscribe(token)
    if read is None:
        return render(request, "notifications/link_invalid.html", status=400)
    user = get_object_or_404(get_user_model(), pk=read[0])
    topic = unsubscribing.describe(read[1])
    if request.method == "POST":
        unsubscribing.unsubscribe(user=user, topic=read[1])
        return render(request, "notifications/unsubscribed.html", {"topic": topic})
    return render(request, "notifications/unsubscribe.html", {"topic": topic, "user": user})


@never_cache
def verify_email(request, token):
    read = tokens.read_verify(token)
    user = read and get_user_model().objects.filter(pk=read[0]).first()
    if not user:
        return render(request, "notifications/link_invalid.html", status=400)
    if request.method == "POST":
        if not verify(user=user, email=read[1]):
            return render(request, "notifications/link_invalid.html", status=400)
        return render(request, "notifications/verified.html", {"email": read[1]})
    return render(request, "notifications/verify.html", {"email": read[1]})
