from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("forum/", include("forum.urls")),
    path("moderation/", include("forum.moderation.urls")),
    # Django's auth views reverse their own un-namespaced names, so they stay un-namespaced.
    path("accounts/", include("accounts.auth_urls")),
    path("accounts/", include("accounts.urls")),
    path("", include("articles.urls")),
]
