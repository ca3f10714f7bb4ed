from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("forum/", include("forum.urls")),
    path("", include("articles.urls")),
]
