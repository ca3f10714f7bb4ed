from django.urls import path, register_converter
from django.urls.converters import StringConverter

from . import settings_page, views
from .feeds import UserPostsFeed


class UsernameConverter(StringConverter):
    # A path segment without NUL: no username holds one, and PostgreSQL refuses it in a query.
    regex = r"[^/\x00]+"


register_converter(UsernameConverter, "username")

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("settings/", settings_page.settings_view, name="settings"),
    path("<username:username>/", views.profile, name="profile"),
    path("<username:username>/feed/", UserPostsFeed(), name="feed"),
]
