"""Thread addresses that keep a title's words in whatever script it is written.

A slug holds Unicode letters and digits ("радио-т-229", "東京の夜"), so a title in Cyrillic or
Chinese is not reduced to its numbers; the thread URL pattern accepts them and Django
percent-encodes them in links. A title with no letter or digit at all (emoji only) is named by
its characters' Unicode names ("party-popper"), so its address still says something.
"""

import re
import unicodedata

from django.urls.converters import StringConverter
from django.utils.text import slugify

ONLY_DIGITS = re.compile(r"^[0-9-]+$")


class UnicodeSlugConverter(StringConverter):
    """A slug of Unicode letters, digits, underscores and hyphens, as slugify makes them."""

    regex = r"[-\w]+"


def slug_for(title, *, preferred=""):
    """The slug a thread called title gets: preferred's (a source's own slug) when it says more
    than a bare number the title would not give, else the title's, else its symbols' names."""
    title_slug = slugify(title, allow_unicode=True)
    slug = slugify(preferred, allow_unicode=True)
    if not slug or (ONLY_DIGITS.match(slug) and title_slug and not ONLY_DIGITS.match(title_slug)):
        slug = title_slug
    if not slug:
        symbols = (c for c in title if unicodedata.category(c).startswith("S"))
        slug = slugify(" ".join(unicodedata.name(symbol, "") for symbol in symbols))
    return slug
