"""The one settings page, /accounts/settings/: a list of sections that apps register.

Each section brings its template, the context it needs, and what a POST to it does. The
notifications register theirs in NotificationsConfig.ready(); the profile's can join the same
way. A section's form says which section it is with a hidden "section" field.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache


@dataclass(frozen=True)
class Section:
    name: str  # the value of the form's hidden "section" field
    template: str
    context: Callable  # (request) -> dict for the template
    # (request) -> None when the POST was taken, or the context to show again with errors.
    handle_post: Callable | None = None
    order: int = 100


SECTIONS: list[Section] = []


def register(section: Section) -> None:
    if all(known.name != section.name for known in SECTIONS):
        SECTIONS.append(section)
        SECTIONS.sort(key=lambda each: each.order)


@never_cache
@login_required
def settings_view(request):
    refused = {}
    if request.method == "POST":
        section = next((s for s in SECTIONS if s.name == request.POST.get("section")), None)
        if section is None or section.handle_post is None:
            messages.error(request, "That form is not one of this page's.")
            return _page(request, {}, status=400)
        refused = section.handle_post(request)
        if refused is None:
            return HttpResponseRedirect(reverse("accounts:settings") + f"#{section.name}")
        refused = {section.name: refused}
    return _page(request, refused, status=400 if refused else 200)


def _page(request, refused, status):
    shown = [
        {"section": s, "context": {**s.context(request), **refused.get(s.name, {})}}
        for s in SECTIONS
    ]
    return render(request, "accounts/settings.html", {"sections": shown}, status=status)
