from django.db import models
from django.urls import reverse
from django.utils import timezone


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__lte=timezone.now()).order_by("-published_at", "-pk")


class Article(models.Model):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=300, unique=True)
    published_at = models.DateTimeField(db_index=True)
    lead_image_caption = models.TextField(blank=True)
    lead_image_credit = models.CharField(max_length=300, blank=True)
    body = models.TextField(help_text="Plain text; paragraphs are separated by one blank line.")
    byline = models.CharField(max_length=200, blank=True)
    source = models.URLField(max_length=500, blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def paragraphs(self):
        # Split on the blank line only: str.split() and strip() would eat the
        # non-breaking spaces that the text keeps on purpose.
        return [paragraph for paragraph in self.body.split("\n\n") if paragraph]
