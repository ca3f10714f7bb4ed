from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render, resolve_url
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from config.database_outage import database_required
from forum.antispam import client_ip
from forum.models import Post
from forum.next_page import next_page
from notifications.following import muted_ids
from notifications.verification import request_verification

from .forms import SignupForm
from .password_resets import reset_mail_refusal
from .profiles import profile_of

POSTS_PER_PAGE = 25


def redirect_after_login(next_url):
    # Not redirect(): it would try a next like "abc" as the name of a URL pattern.
    return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


@sensitive_post_parameters("password1", "password2")
@never_cache
@database_required
def signup(request):
    next_url = next_page(request, default="")
    if request.user.is_authenticated:
        return redirect_after_login(next_url)
    form = SignupForm(request.POST or None)
    if form.is_valid():
        try:
            user = form.save()
        except ValidationError as taken:  # by a sign-up that won the race for this name
            form.add_error("username", taken)
        else:
            # The account was just made, not authenticated, so name the backend that will load it.
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request_verification(user)  # mailed by the worker, never in this request
            return redirect_after_login(next_url)
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


def profile(request, username):
    users = get_user_model().objects.select_related("profile")
    profile_user = get_object_or_404(users, username=username)
    visible_posts = (
        Post.objects.visible_to(request.user)
        .filter(author=profile_user)
        .select_related("thread")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(visible_posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "profile_user": profile_user,
        "profile": profile_of(profile_user),
        "page": page,
        "profile_muted": profile_user.pk in muted_ids(request.user),
    }
    return render(request, "accounts/profile.html", context)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, its mail naming the site by PARLEY_SITE_URL, and rationed."""

    # Django would name the site after the request's Host header, which the requester chooses.
    @property
    def extra_email_context(self):
        return {
            "site_url": settings.PARLEY_SITE_URL,
            "site_name": urlsplit(settings.PARLEY_SITE_URL).netloc,
        }

    def form_valid(self, form):
        refusal = reset_mail_refusal(
            email=form.cleaned_data["email"], ip_address=client_ip(self.request)
        )
        if refusal:
            form.add_error(None, refusal)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


def login_locked_out(request, original_response=None, credentials=None):
    """The answer to a login refused for too many failures: when to try again, and why."""
    cool_off = settings.AXES_COOLOFF_TIME
    response = render(
        request,
        "registration/locked_out.html",
        {"cool_off_minutes": int(cool_off.total_seconds() // 60)},
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
