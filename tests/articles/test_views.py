# The article text keeps its curly quotes on purpose: they are what the page must show.
# ruff: noqa: RUF001
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_post, make_thread
from tests.markup import Page

pytestmark = pytest.mark.django_db

SEED_LIKE_BODY = (
    "“Russia is one of China’s main partners,” he said.\n\n"
    "Shenzhou spacecraft will serve the\xa0multi-module\xa0Tianhe-1 station.\xa0 The facility…\n\n"
    "The Chang’e-4 mission — two CubeSats\xa0 — flies 🚀."
)


def get_page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, Page(response.content.decode())


def test_home_lists_published_articles_newest_first_with_their_comment_counts(client):
    older = make_article("Older news", published_at=timezone.now() - timedelta(days=2))
    newer = make_article("Newer news")
    thread = make_thread(article=newer)
    make_post(thread)
    make_post(thread)
    make_thread(article=older)

    _, page = get_page(client, reverse("articles:home"))

    listed = [
        " ".join(page.text(summary).split())
        for summary in page.find_all("article", "article-summary")
    ]
    assert listed[0].startswith("Newer news") and listed[0].endswith("· 2 comments")
    assert listed[1].startswith("Older news") and listed[1].endswith("· 0 comments")
    assert Article.objects.get(pk=newer.pk).thread.post_count == 2


def test_home_leaves_out_articles_not_yet_published(client):
    make_article("Tomorrow's news", published_at=timezone.now() + timedelta(days=1))

    response, _ = get_page(client, reverse("articles:home"))

    assert "Tomorrow&#x27;s news" not in response.content.decode()
    assert "No articles have been published yet." in response.content.decode()


def test_home_lists_the_most_recently_active_discussions(client):
    quiet = make_thread("Quiet thread")
    make_post(quiet, created_at=timezone.now() - timedelta(days=3))
    busy = make_thread("Busy thread")
    make_post(busy)
    make_thread("Empty thread")

    response, page = get_page(client, reverse("articles:home"))

    section = page.by_id["active-heading"].parent
    listed = [
        element.attrs["href"]
        for element in page.find_all("a", "thread-title")
        if section in element.ancestors()
    ]
    assert listed == [busy.get_absolute_url(), quiet.get_absolute_url()]
    assert "Empty thread" not in response.content.decode()


def test_home_reads_comment_counts_without_a_query_per_article(client):
    def queries_for_home():
        with CaptureQueriesContext(connection) as queries:
            get_page(client, reverse("articles:home"))
        return len(queries)

    make_thread(article=make_article())
    one_article = queries_for_home()
    for _ in range(5):
        make_post(make_thread(article=make_article()))

    assert queries_for_home() == one_article


def test_article_page_shows_title_date_caption_with_credit_and_every_paragraph(client):
    """Without an image the caption and credit are a plain line: no figure frames nothing."""
    article = make_article(
        "China Ready to Cooperate",
        body=SEED_LIKE_BODY,
        lead_image_caption="Artist’s conception of China’s Tianhe-1 space station.",
        lead_image_credit="China Manned Space Engineering",
        published_at=datetime(2019, 3, 5, 12, tzinfo=UTC),
    )

    response, page = get_page(client, article.get_absolute_url())

    html = response.content.decode()
    assert "<h1>China Ready to Cooperate</h1>" in html
    assert '<time datetime="2019-03-05T12:00:00+00:00">5 March 2019</time>' in html
    assert not page.find_all("figure") and not page.find_all("figcaption")
    (caption,) = page.find_all("p", "article-credit")
    assert page.text(caption) == (
        "Artist’s conception of China’s Tianhe-1 space station. "
        "(Credit: China Manned Space Engineering)"
    )
    body = page.find_all("div", "article-body")[0]
    paragraphs = [element for element in page.find_all("p") if element.parent is body]
    assert len(paragraphs) == len(article.paragraphs) == 3


def test_article_page_keeps_quotes_dashes_non_breaking_spaces_and_emoji_exactly(client):
    article = make_article(body=SEED_LIKE_BODY)

    response, _ = get_page(client, article.get_absolute_url())

    html = response.content.decode()
    for paragraph in SEED_LIKE_BODY.split("\n\n"):
        assert f"<p>{paragraph}</p>" in html
    assert "serve the\xa0multi-module\xa0Tianhe-1 station.\xa0 The facility…" in html
    assert Article.objects.get(pk=article.pk).body == SEED_LIKE_BODY


def test_article_page_escapes_markup_in_the_article_text(client):
    article = make_article(body="Use <b>bold</b> & more.")

    response, _ = get_page(client, article.get_absolute_url())

    assert "<p>Use &lt;b&gt;bold&lt;/b&gt; &amp; more.</p>" in response.content.decode()


def test_article_page_shows_byline_and_source_when_present(client):
    article = make_article(byline="Doug Messier", source="https://example.com/original")

    response, _ = get_page(client, article.get_absolute_url())

    html = response.content.decode()
    assert "By Doug Messier" in html
    assert 'href="https://example.com/original"' in html


def test_article_page_without_byline_or_source_shows_neither(client):
    article = make_article()

    _, page = get_page(client, article.get_absolute_url())

    assert "By " not in page.text("content")
    assert not page.find_all("a", "source")


def test_article_page_shows_its_discussion_with_replies_nested_under_their_parent(client):
    article = make_article()
    thread = make_thread(article=article)
    question = make_post(thread, author_name="Kirk", body="Why two holes?")
    answer = make_post(thread, parent=question, author_name="Jeff", body="Docking ports.")
    other = make_post(thread, author_name="Tom", body="Nice article.")

    response, page = get_page(client, article.get_absolute_url())

    answer_item = page.by_id[f"post-{answer.pk}"]
    assert answer_item.nearest("ol").attrs["id"] == f"replies-{question.pk}"
    assert page.by_id[f"post-{other.pk}"].nearest("ol").classes == {"discussion"}
    assert "Why two holes?" in page.text(f"post-{question.pk}")
    assert "Jeff" in page.text(f"post-{answer.pk}")
    assert "2 comments" not in response.content.decode()
    assert "3 comments" in response.content.decode()


def test_article_page_orders_replies_by_the_time_they_were_written(client):
    article = make_article()
    thread = make_thread(article=article)
    root = make_post(thread)
    now = timezone.now()
    later = make_post(thread, parent=root, body="Written later.", created_at=now)
    earlier = make_post(
        thread, parent=root, body="Written earlier.", created_at=now - timedelta(minutes=5)
    )

    _, page = get_page(client, article.get_absolute_url())

    replies = [element.attrs["id"] for element in page.find_all("article", "post")][1:]
    assert replies == [f"post-{earlier.pk}", f"post-{later.pk}"]


@override_settings(PARLEY_SITE_URL="https://news.example")
def test_article_page_names_itself_canonical_at_the_site_url(client):
    article = make_article()

    response, _ = get_page(client, article.get_absolute_url())

    expected = f'<link rel="canonical" href="https://news.example{article.get_absolute_url()}">'
    assert expected in response.content.decode()


@override_settings(ALLOWED_HOSTS=["*"], PARLEY_SITE_URL="https://news.example")
def test_article_page_never_writes_the_requests_host(client):
    article = make_article()

    response = client.get(article.get_absolute_url(), HTTP_HOST="evil.example")

    html = response.content.decode()
    assert (
        f'<link rel="canonical" href="https://news.example{article.get_absolute_url()}">' in html
    )
    assert "evil.example" not in html


def test_article_page_of_an_article_without_a_discussion_shows_the_article_only(client):
    article = make_article(body="Just the news.")

    response, page = get_page(client, article.get_absolute_url())

    assert "<p>Just the news.</p>" in response.content.decode()
    assert "comments" not in page.by_id
    assert not page.find_all("ol", "discussion")


def test_article_not_yet_published_is_not_found(client):
    article = make_article(published_at=timezone.now() + timedelta(hours=1))

    response = client.get(article.get_absolute_url())

    assert response.status_code == 404


def test_unknown_article_gets_the_sites_not_found_page(client):
    response = client.get(reverse("articles:detail", kwargs={"slug": "no-such-article"}))

    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    html = response.content.decode()
    assert "Page not found" in html
    assert '<a class="site-name" href="/">Parley</a>' in html
