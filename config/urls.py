from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("forum/", include("forum.urls")),
    path("moderation/", include("forum.moderation.urls")),
    path("accounts/", include("accounts.auth_urls")),
    path("accounts/", include("accounts.urls")),
    path("", include("articles.urls")),
]
