"""An article's lead image: uploaded in the admin with its text alternative, served by the site,
captioned by the article's caption and credit."""
# The seed's caption keeps its curly apostrophes: they are what the page must show.
# ruff: noqa: RUF001

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.models import Article
from tests.factories import make_article
from tests.markup import Page

pytestmark = pytest.mark.django_db

CAPTION = "Artist’s conception of China’s Tianhe-1 space station."
CREDIT = "China Manned Space Engineering"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png(width=64, height=40):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "navy").save(buffer, "PNG")
    return SimpleUploadedFile("station.png", buffer.getvalue(), content_type="image/png")


def test_an_image_shows_in_a_figure_with_its_alt_and_the_caption_and_credit_below(client):
    article = make_article(
        "Stations",
        lead_image=png(),
        lead_image_alt="A station with two modules in orbit.",
        lead_image_caption=CAPTION,
        lead_image_credit=CREDIT,
    )

    page = Page(client.get(article.get_absolute_url()).content.decode())

    (figure,) = page.find_all("figure", "lead-image")
    (image,) = [img for img in page.find_all("img") if img.parent is figure]
    assert image.attrs["alt"] == "A station with two modules in orbit."
    assert (image.attrs["width"], image.attrs["height"]) == ("64", "40")
    (caption,) = page.find_all("figcaption")
    assert page.text(caption) == f"{CAPTION} (Credit: {CREDIT})"
    served = client.get(image.attrs["src"])
    assert served.status_code == 200
    assert b"".join(served.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_admin_refuses_an_image_without_its_text_alternative(admin_client):
    response = admin_client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Stations",
            "slug": "stations",
            "published_at_0": timezone.now().strftime("%Y-%m-%d"),
            "published_at_1": "12:00:00",
            "body": "A paragraph.",
            "lead_image": png(),
            "lead_image_alt": " ",
        },
    )

    assert response.status_code == 200
    assert "Describe the image for readers who cannot see it." in response.content.decode()
    assert not Article.objects.exists()


def test_the_admin_stores_an_image_with_its_text_alternative(admin_client, media_root):
    response = admin_client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Stations",
            "slug": "stations",
            "published_at_0": timezone.now().strftime("%Y-%m-%d"),
            "published_at_1": "12:00:00",
            "body": "A paragraph.",
            "lead_image": png(),
            "lead_image_alt": "A station.",
        },
    )

    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.lead_image_alt, article.lead_image_width) == ("A station.", 64)
    assert (media_root / article.lead_image.name).exists()


@pytest.mark.parametrize("name", ["x" * 5000, "a%00b", "../config/settings.py", "missing.png"])
def test_a_media_name_that_is_no_stored_file_is_not_found(client, name):
    assert client.get(f"/media/{name}").status_code in (400, 404)
