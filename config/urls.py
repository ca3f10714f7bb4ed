from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.urls import include, path
from django.views.static import serve

from config.database_outage import database_required
from config.sitemaps import robots_txt, sitemap_xml


def media_file(request, path):
    """An uploaded file, served by the site; a name no file can have is simply not found."""
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except (OSError, ValueError) as error:  # e.g. a name longer than the filesystem allows
        raise Http404("No such file.") from error


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
    # Uploaded images, from the site itself: the CSP allows no image from anywhere else.
    path("media/<path:path>", media_file, name="media"),
    path("notifications/", include("notifications.urls")),
    path("sitemap.xml", sitemap_xml, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("", include("articles.urls")),
]
