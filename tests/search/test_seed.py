"""A reader of the seeded site finds a comment and the article by a phrase from them."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import strip_tags

from forum.models import Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(committed):
    with committed():
        call_command("load_seed", verbosity=0)


def test_a_reader_finds_a_seed_comment_by_a_phrase_from_it(client, seeded):
    page = client.get(reverse("search:results"), {"q": '"odd looking plane"'})
    comment = Post.objects.get(body__contains="odd looking plane")
    assert page.status_code == 200
    assert f'href="{comment.get_absolute_url()}"' in page.content.decode()
    assert "odd looking plane" in strip_tags(page.content.decode())


def test_a_reader_finds_the_seed_article_by_a_phrase_from_it(client, seeded):
    page = client.get(reverse("search:results"), {"q": '"lunar gateway"'})
    assert "China Ready to Cooperate with Russia" in page.content.decode()
