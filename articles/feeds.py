"""The latest articles as an Atom feed."""

from django.urls import reverse
from django.utils.html import format_html_join

from config.feeds import FEED_ITEMS, SiteFeed, absolute

from .models import Article


class LatestArticlesFeed(SiteFeed):
    title = "Parley: latest articles"
    subtitle = "News articles, newest first, each with its discussion."

    def link(self):
        return absolute(reverse("articles:home"))

    def feed_url(self):
        return absolute(reverse("articles:feed"))

    def items(self):
        return Article.objects.published()[:FEED_ITEMS]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        # The body is plain text: each paragraph escaped, as the article page shows it.
        return format_html_join("\n", "<p>{}</p>", ((p,) for p in article.paragraphs))

    def item_pubdate(self, article):
        return article.published_at

    def item_author_name(self, article):
        return article.byline or None
