from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from config.database_outage import database_required
from forum.models import Post

from .forms import SignupForm

POSTS_PER_PAGE = 25


def safe_next_url(request):
    """The ?next= address when it leads back into this site, else an empty string."""
    url = request.POST.get("next", request.GET.get("next", ""))
    is_safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if is_safe else ""


@sensitive_post_parameters("password1", "password2")
@never_cache
@database_required
def signup(request):
    next_url = safe_next_url(request)
    if request.user.is_authenticated:
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    form = SignupForm(request.POST or None)
    if form.is_valid():
        user = form.save()
        login(request, user)
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


def profile(request, username):
    profile_user = get_object_or_404(get_user_model(), username=username)
    visible_posts = (
        Post.objects.visible_to(request.user)
        .filter(author=profile_user)
        .select_related("thread")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(visible_posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/profile.html", {"profile_user": profile_user, "page": page})
