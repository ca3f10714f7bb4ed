"""Django's login, logout and password pages, with the password-reset form throttled."""

from django.urls import include, path

from . import views

# Django's auth views reverse their own un-namespaced names, so these stay un-namespaced.
urlpatterns = [
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("", include("django.contrib.auth.urls")),
]
