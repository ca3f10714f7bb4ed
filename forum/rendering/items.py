"""The items of a discussion's list as HTML: every shown post's markup, written in one place.

Written with f-strings rather than a template: a page shows hundreds of posts, and even Jinja2
spent most of a cold page on them (an attribute lookup, an escape and a call per value, tens per
post). Every value put in is a number, escaped here, or HTML sanitised when the post was written
(body_html). Each post's footer differs from reader to reader, so the HTML is cut there
(fragments.Fragment) and the footer filled in per request (footers.py); it is cut on either side
of the post too, where a reader who muted its author gets it folded (folds.py).
"""

import functools

from django.utils import timezone, translation
from django.utils.dates import MONTHS_3
from markupsafe import escape

from ..discussions import Entry
from .fragments import Fragment, PostFacts, url_prefix

CLOSE_REPLIES = "\n      </ol>\n    </details>\n  </li>"


def render_fragment(entries: list[Entry], *, focus_pk=None, continue_query="") -> Fragment:
    """Render the entries' shared HTML once, cut where each footer goes."""
    time = TimeFormatter()
    prefix = escape(url_prefix("forum:post"))
    query = escape(continue_query)
    pieces, posts, html = [], [], []
    for entry in entries:
        node = entry.node
        post = node.post
        pk = post.pk
        status = post.status
        if not node.shows_text:
            classes = " post-hidden"
        elif status != "published":
            classes = f" post-{escape(status)}"
        else:
            classes = ""
        if pk == focus_pk:
            classes += " post-focus"
        html.append(
            f'\n  <li class="discussion-item">\n<article id="post-{pk}" class="post{classes}">'
        )
        if node.shows_text:
            # Cut on either side of the post (a muting reader's fold) and at its footer.
            pieces.append("".join(html))
            html.clear()
            pieces.append(_header(post, prefix, time))
            pieces.append("")
            posts.append(
                PostFacts(
                    pk,
                    status,
                    post.author_id,
                    post.author_name,
                    post.upvotes,
                    post.downvotes,
                    post.created_at,
                )
            )
        else:
            html.append(f'\n  <p class="post-placeholder">{escape(node.placeholder)}</p>')
        html.append("\n</article>")
        size = node.size
        if entry.opens_replies:
            html.append(
                f'\n    <details class="replies-fold" open>\n      <summary>{size} '
                f'{_replies(size)}</summary>\n      <ol class="replies" id="replies-{pk}">'
            )
        else:
            if entry.continues:
                html.append(
                    f'\n    <p class="continue-thread"><a href="{prefix}{pk}/{query}">Continue '
                    f'this thread →</a> <span class="continue-count">({size} {_replies(size)})'
                    "</span></p>"
                )
            html.append("\n  </li>")
        html.append(CLOSE_REPLIES * entry.closes)
        html.append("\n")
    pieces.append("".join(html))
    return Fragment(pieces, posts)


def _header(post, prefix, time):
    member = '<span class="badge badge-member">member</span>' if post.author_id else ""
    edited = (
        f'<span class="post-edited">edited {time(post.edited_at)}</span>' if post.edited_at else ""
    )
    if post.status == "published":
        badge = ""
    elif post.status == "pending":
        badge = '\n    <strong class="badge badge-status">awaiting moderation</strong>\n    '
    else:
        badge = (
            f'\n    <strong class="badge badge-status">{escape(post.status_label)}</strong>\n    '
        )
    author = escape(post.author_name)
    return (
        f'\n  <header class="post-header">\n    <span class="post-author">{author}'
        f"</span>\n    {member}\n    "
        f'<a class="post-permalink" href="{prefix}{post.pk}/" rel="bookmark">'
        f"{time(post.created_at)}</a>\n    {edited}\n    {badge}\n  </header>\n"
        f'  <div class="post-body">{post.body_html}</div>\n  '
    )


def _replies(size):
    return "reply" if size == 1 else "replies"


@functools.cache
def month_abbreviations(language):
    """{month: its abbreviation} as the date filter's "M" gives it in this language, escaped."""
    with translation.override(language):
        return {number: escape(name.title()) for number, name in MONTHS_3.items()}


class TimeFormatter:
    """A <time> element per moment, reading as the date filter's "j M Y, H:i" would.

    Spelt out rather than calling that filter: a page shows a date or two per post, nearly all
    of them distinct, and the general formatter cost more than the rest of the post."""

    def __init__(self):
        self.zone = timezone.get_current_timezone()
        self.months = month_abbreviations(translation.get_language())

    def __call__(self, moment):
        local = moment.astimezone(self.zone)
        display = (
            f"{local.day} {self.months[local.month]} {local.year}, "
            f"{local.hour:02}:{local.minute:02}"
        )
        return f'<time datetime="{local.isoformat()}">{display}</time>'
