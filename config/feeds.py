"""The base of the site's Atom feeds: every link built from PARLEY_SITE_URL.

Django's Feed completes a relative link with the request's Host header, which whoever sends the
request chooses; a feed is read by aggregators that keep its links, so each link is made
absolute here from the site's configured origin, and Feed leaves an absolute link as it is.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

FEED_ITEMS = 30  # about a week of a busy discussion: aggregators poll more often than that


def absolute(url):
    """The URL of a path on this site, as anyone outside the site reaches it."""
    return settings.PARLEY_SITE_URL + url


class SiteFeed(Feed):
    """An Atom feed whose links all start at PARLEY_SITE_URL; a subclass names its own URL.

    Subclasses define link(obj) and feed_url(obj) as absolute URLs too: one instance serves
    every request, so nothing of a request is kept on it."""

    feed_type = Atom1Feed

    def item_link(self, item):
        return absolute(item.get_absolute_url())
