"""A query compiled once gives, for each call's values, what the ORM gives for them."""

from datetime import timedelta

import pytest
from django.db.models.functions import Now
from django.utils import timezone

from articles.models import Article
from config.compiled_queries import CompiledQuery
from forum.models import Thread
from tests.factories import make_article, make_thread

STAND_IN = "-slug-stand-in-"


def articles_by_slug(slug):
    return Article.objects.filter(slug=slug, published_at__lte=Now()).values_list(
        "slug", "published_at", "thread__is_locked"
    )


@pytest.mark.django_db
def test_each_call_sends_its_own_values_to_the_sql_compiled_once(django_assert_num_queries):
    first, second = make_article(slug="first"), make_article(slug="second")
    make_thread(article=second, is_locked=True)
    query = CompiledQuery(articles_by_slug, slug=STAND_IN)

    with django_assert_num_queries(2):
        rows = [query.rows(slug=slug) for slug in ("first", "second")]

    assert rows == [
        [list(articles_by_slug("first").get())],
        [list(articles_by_slug("second").get())],
    ]
    assert rows[0][0][1] == first.published_at  # aware, as the ORM gives it
    assert rows[1][0][2] is True  # a boolean, where SQLite holds 1
    assert query.rows(slug="missing") == []


@pytest.mark.django_db
def test_the_database_clock_is_read_at_each_call():
    article = make_article(slug="soon")
    query = CompiledQuery(articles_by_slug, slug=STAND_IN)
    assert query.rows(slug="soon")

    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() + timedelta(hours=1))

    assert query.rows(slug="soon") == []


@pytest.mark.django_db
def test_a_stand_in_that_is_no_parameter_of_the_sql_is_refused():
    # A lookup that wraps its value (in %...%) sends another value than the stand-in.
    query = CompiledQuery(
        lambda slug: Thread.objects.filter(slug__contains=slug).values_list("pk"), slug=STAND_IN
    )

    with pytest.raises(ValueError, match="stand-ins not found"):
        query.rows(slug="a")
