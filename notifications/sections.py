"""The notifications' sections of the settings page (accounts.settings_page)."""

from dataclasses import dataclass

from django.contrib import messages
from django.db import transaction
from django.urls import reverse

from accounts.settings_page import Section

from .following import preferences_of
from .forms import EmailForm, PreferencesForm
from .models import Follow, Mute
from .verification import request_verification


def preferences_context(request):
    return {"form": PreferencesForm(instance=preferences_of(request.user))}


def preferences_post(request):
    form = PreferencesForm(request.POST, instance=preferences_of(request.user))
    if not form.is_valid():
        return {"form": form}
    form.save()
    messages.success(request, "Your notification settings are saved.")
    return None


def email_context(request):
    prefs = preferences_of(request.user)
    return {
        "form": EmailForm(initial={"email": request.user.email}, user=request.user),
        "email": request.user.email,
        "verified": bool(prefs.email_address()),
    }


def email_post(request):
    user = request.user
    form = EmailForm(request.POST, user=user)
    if not form.is_valid():
        return {**email_context(request), "form": form}
    with transaction.atomic():
        if form.cleaned_data["email"] != user.email:
            user.email = form.cleaned_data["email"]
            user.save(update_fields=["email"])
        request_verification(user)
    messages.success(request, f"We sent a link to {user.email}: open it to confirm the address.")
    return None


@dataclass(frozen=True)
class Row:
    """One line of a list of the reader's choices: what it names, and the form undoing it."""

    label: str
    url: str
    action: str


def following_context(request):
    follows = Follow.objects.filter(user=request.user).select_related("thread")
    rows = [
        Row(
            follow.thread.title,
            follow.thread.get_forum_url(),
            reverse("notifications:follow", args=[follow.thread_id]),
        )
        for follow in follows.order_by("-created_at", "-pk")
    ]
    return {"rows": rows}


def muted_context(request):
    mutes = Mute.objects.filter(user=request.user).select_related("muted")
    rows = [
        Row(
            name,
            reverse("accounts:profile", args=[name]),
            reverse("notifications:mute", args=[name]),
        )
        for name in (mute.muted.get_username() for mute in mutes.order_by("muted__username"))
    ]
    return {"rows": rows}


SECTIONS = [
    Section(
        "notifications",
        "notifications/settings/_preferences.html",
        preferences_context,
        preferences_post,
        order=10,
    ),
    Section("email", "notifications/settings/_email.html", email_context, email_post, order=20),
    Section("following", "notifications/settings/_following.html", following_context, order=30),
    Section("muted", "notifications/settings/_muted.html", muted_context, order=40),
]
