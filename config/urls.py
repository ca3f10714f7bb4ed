from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config.database_outage import database_required

urlpatterns = [
    # A login form shown while the database is down would only fail once sent: answer 503.
    path("admin/login/", database_required(admin.site.login)),
    path("admin/", admin.site.urls),
    path("forum/", include("forum.urls")),
    path("moderation/", include("forum.moderation.urls")),
    path("search/", include("search.urls")),
    path("accounts/login/", database_required(auth_views.LoginView.as_view()), name="login"),
    # Django's auth views reverse their own un-namespaced names, so they stay un-namespaced.
    path("accounts/", include("accounts.auth_urls")),
    path("accounts/", include("accounts.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("articles.urls")),
]
