from django.urls import path

from . import views
from .feeds import LatestArticlesFeed

app_name = "articles"
urlpatterns = [
    path("", views.home, name="home"),
    path("feed/", LatestArticlesFeed(), name="feed"),
    path("articles/<slug:slug>/", views.detail, name="detail"),
]
