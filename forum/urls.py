from django.urls import path, register_converter

from . import views
from .feeds import DiscussionFeed
from .slugs import UnicodeSlugConverter

register_converter(UnicodeSlugConverter, "uslug")

app_name = "forum"
urlpatterns = [
    path("", views.thread_list, name="thread-list"),
    path("new/", views.thread_new, name="thread-new"),
    path("post/<int:pk>/", views.post_detail, name="post"),
    path("post/<int:pk>/vote/", views.post_vote, name="post-vote"),
    path("post/<int:pk>/flag/", views.post_flag, name="post-flag"),
    path("post/<int:pk>/reply/", views.post_reply, name="post-reply"),
    path("post/<int:pk>/edit/", views.post_edit, name="post-edit"),
    path("post/<int:pk>/delete/", views.post_delete, name="post-delete"),
    path("<uslug:slug>/", views.thread_detail, name="thread"),
    path("<uslug:slug>/reply/", views.thread_reply, name="thread-reply"),
    path("<uslug:slug>/feed/", DiscussionFeed(), name="thread-feed"),
]
