from django.urls import path

from .views import actions as views
from .views import bans

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("log/", views.audit_log, name="log"),
    path("post/<int:pk>/approve/", views.post_action, {"action": "approve"}, name="post-approve"),
    path("post/<int:pk>/remove/", views.post_action, {"action": "remove"}, name="post-remove"),
    path(
        "post/<int:pk>/remove-subtree/",
        views.post_action,
        {"action": "remove-subtree"},
        name="post-remove-subtree",
    ),
    path("post/<int:pk>/spam/", views.post_action, {"action": "spam"}, name="post-spam"),
    path("post/<int:pk>/move/", views.post_move, name="post-move"),
    path("post/<int:pk>/split/", views.post_split, name="post-split"),
    path("thread/<int:pk>/lock/", views.thread_action, {"action": "lock"}, name="thread-lock"),
    path(
        "thread/<int:pk>/unlock/", views.thread_action, {"action": "unlock"}, name="thread-unlock"
    ),
    path(
        "thread/<int:pk>/premoderation/on/",
        views.thread_action,
        {"action": "premoderation-on"},
        name="thread-premoderation-on",
    ),
    path(
        "thread/<int:pk>/premoderation/off/",
        views.thread_action,
        {"action": "premoderation-off"},
        name="thread-premoderation-off",
    ),
    path("user/<int:pk>/ban/", bans.user_ban, name="user-ban"),
    path("user/<int:pk>/unban/", bans.user_unban, name="user-unban"),
]
