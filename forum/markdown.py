"""Markdown to safe HTML: markdown-it-py without raw HTML, then nh3 as a second wall."""

from functools import cache

import nh3
from django.urls import Resolver404, resolve
from markdown_it import MarkdownIt

from .mentions import link_mentions

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "a", "blockquote", "ul", "ol", "li", "code", "pre", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
ALLOWED_SCHEMES = ("http://", "https://", "mailto:")
LINK_REL = "nofollow ugc noopener"


@cache
def _parser():
    # The "commonmark" preset allows raw HTML; user text never gets it.
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    # Headings and images have no place in a comment; they stay literal text.
    return parser.disable(["heading", "lheading", "image", "html_block", "html_inline"])


@cache
def _mentioning_parser():
    parser = _parser.__wrapped__()
    parser.core.ruler.push("link_mentions", link_mentions)
    return parser


def _is_profile_path(value):
    """Whether value is a site-relative link to a user's profile, as a mention writes it."""
    if not value.startswith("/accounts/") or any(bad in value for bad in ("//", "\\", "/.")):
        return False
    try:
        return resolve(value).view_name == "accounts:profile"
    except Resolver404:
        return False


def _keep_safe_links(tag, attribute, value):
    if tag == "a" and attribute == "href":
        # Only absolute http(s) and mailto, and a mention's profile path: protocol-relative
        # "//host", other relative paths and other schemes go.
        if value.lower().startswith(ALLOWED_SCHEMES) or _is_profile_path(value):
            return value
        return None
    return value


def sanitize_html(html):
    """Reduce any HTML, ours or imported, to the tags and links a post may carry."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
        attribute_filter=_keep_safe_links,
        strip_comments=True,
    )


def render_markdown(source, *, link_mentions=False):
    """Safe HTML of source; with link_mentions, @name of an account links to its profile."""
    parser = _mentioning_parser() if link_mentions else _parser()
    return sanitize_html(parser.render(source))
