from django.urls import path

from accounts.urls import UsernameConverter  # noqa: F401  (registers the converter)

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.open_notification, name="open"),
    path("read/", views.mark_all_read, name="mark-all-read"),
    path("follow/<int:pk>/", views.follow, name="follow"),
    path("mute/<username:username>/", views.mute, name="mute"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("verify/<str:token>/", views.verify_email, name="verify"),
]
