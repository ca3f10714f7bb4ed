from django.urls import path

from . import views

app_name = "forum"
urlpatterns = [
    path("", views.thread_list, name="thread-list"),
    path("post/<int:pk>/", views.post_detail, name="post"),
    path("<slug:slug>/", views.thread_detail, name="thread"),
]
