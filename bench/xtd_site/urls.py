from django.shortcuts import get_object_or_404, render
from django.urls import include, path

from .models import Story


def story(request, slug):
    return render(request, "story.html", {"object": get_object_or_404(Story, slug=slug)})


urlpatterns = [
    path("stories/<slug:slug>/", story, name="story"),
    path("comments/", include("django_comments_xtd.urls")),
]
