"""Markdown to safe HTML: markdown-it-py without raw HTML, then nh3 as a second wall."""

from functools import cache

import nh3
from markdown_it import MarkdownIt

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


def _keep_safe_links(tag, attribute, value):
    if tag == "a" and attribute == "href":
        # Only absolute http(s) and mailto: protocol-relative "//host" and other schemes go.
        return value if value.lower().startswith(ALLOWED_SCHEMES) else None
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


def render_markdown(source):
    return sanitize_html(_parser().render(source))
