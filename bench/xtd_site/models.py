from django.db import models
from django.urls import reverse


class Story(models.Model):
    """The one object the discussion is attached to, as a news story would be."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("story", kwargs={"slug": self.slug})
