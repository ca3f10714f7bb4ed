"""sitemap.xml and robots.txt: what search engines may read, at PARLEY_SITE_URL's addresses."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from articles.models import Article
from forum import selectors


class SiteSitemap(Sitemap):
    """A sitemap whose addresses start at PARLEY_SITE_URL, never at the request's Host."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.PARLEY_SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.PARLEY_SITE_URL).netloc


class ArticleSitemap(SiteSitemap):
    def items(self):
        return Article.objects.published().select_related("thread")

    def lastmod(self, article):
        thread = getattr(article, "thread", None)
        if thread is None:
            return article.published_at
        return max(article.published_at, thread.last_activity_at)


class DiscussionSitemap(SiteSitemap):
    """Free-standing discussions: an article's discussion is listed as its article."""

    def items(self):
        return selectors.listed_threads().filter(article__isnull=True)

    def lastmod(self, thread):
        return thread.last_activity_at


SITEMAPS = {"articles": ArticleSitemap, "discussions": DiscussionSitemap}


def sitemap_xml(request):
    return sitemap(request, sitemaps=SITEMAPS)


# Pages about one visitor (accounts, forms) or for staff have nothing for a search engine.
ROBOTS = """User-agent: *
Disallow: /accounts/
Disallow: /moderation/
Disallow: /admin/
Disallow: /forum/new/
Sitemap: {sitemap}
"""


@require_GET
def robots_txt(request):
    sitemap_url = settings.PARLEY_SITE_URL + reverse("sitemap")
    return HttpResponse(ROBOTS.format(sitemap=sitemap_url), content_type="text/plain")
