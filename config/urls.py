from django.contrib import admin
from django.urls import include, path

from accounts.views import PasswordResetView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("forum/", include("forum.urls")),
    path("moderation/", include("forum.moderation.urls")),
    # Django's auth views reverse their own un-namespaced names, so they stay un-namespaced;
    # our password reset (its mail's links) is matched first, at Django's own address.
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("accounts.urls")),
    path("", include("articles.urls")),
]
