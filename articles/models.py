from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__lte=timezone.now()).order_by("-published_at", "-pk")


class Article(models.Model):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=300, unique=True)
    published_at = models.DateTimeField(db_index=True)
    # Uploaded and served by the site: the Content-Security-Policy allows no image from elsewhere.
    lead_image = models.ImageField(
        upload_to="articles/",
        blank=True,
        width_field="lead_image_width",
        height_field="lead_image_height",
    )
    lead_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    lead_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    lead_image_alt = models.CharField(
        "lead image's text alternative",
        max_length=300,
        blank=True,
        help_text="What the image shows, for readers who cannot see it. Required with an image.",
    )
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

    def clean(self):
        if self.lead_image and not self.lead_image_alt.strip():
            raise ValidationError(
                {"lead_image_alt": "Describe the image for readers who cannot see it."},
                code="required",
            )

    @cached_property  # a page asks for them, or for the first, four times
    def paragraphs(self):
        # Split on the blank line only: str.split() and strip() would eat the
        # non-breaking spaces that the text keeps on purpose.
        return [paragraph for paragraph in self.body.split("\n\n") if paragraph]
