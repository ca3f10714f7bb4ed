"""The items of a discussion's list as HTML: every shown post's markup, written in one place.

Written with f-strings rather than a template: a page shows hundreds of posts, and even Jinja2
spent most of a cold page on them (an attribute lookup, an escape and a call per value, tens per
post). Every value put in is a number, escaped here, or HTML sanitised when the post was written
(body_html). Each post's footer differs from reader to reader, so the HTML is cut there
(fragments.Fragment) and the footer filled in per request (footers.py); it is cut on either side
of the post too, where a reader who muted its author gets it folded (folds.py).

The list is flat, in reading order: each entry opens its reply list or closes its item, then
closes as many reply lists as end after it, so any depth renders without recursion. A post with
replies sits, with them, in an open <details>, so it folds away with its subtree without
JavaScript (static/js/reply.js remembers folds). From REPLYING_TO_FROM levels down a post names
whom it answers, which a phone's thin indents stop showing.
"""

import functools
from collections.abc import Iterable
from urllib.parse import quote

from django.utils import timezone, translation
from django.utils.dates import MONTHS_3
from markupsafe import escape

from accounts import avatars

from ..discussions import Entry
from .badges import NONE as NO_BADGES
from .fragments import Fragment, PostFacts, url_prefix

CLOSE_REPLIES = "\n      </ol>\n    </details>\n  </li>"
REPLYING_TO_FROM = 3  # open reply lists above a post: where a phone's indents grow too thin


def render_fragments(
    trees: Iterable[list[Entry]], *, focus_pk=None, continue_query="", badges=NO_BADGES
) -> list[Fragment]:
    """Render each list of entries (a tree, or a permalink's context) to a fragment of its own."""
    writer = ItemWriter(focus_pk=focus_pk, continue_query=continue_query, badges=badges)
    return [writer.fragment(entries) for entries in trees]


def render_fragment(entries: list[Entry], **options) -> Fragment:
    """Render the entries' shared HTML once, cut where each footer goes."""
    return render_fragments([entries], **options)[0]


class ItemWriter:
    """Writes entries as the items of a discussion's list, for one request's render.

    One writer serves every tree of a page: what it works out once, the posts' URL prefix, the
    reader's time zone and language, each author's byline, then costs once per page rather than
    once per tree (a page has fifty, and asking Django for the active zone, language and URLconf
    cost more than a small tree's posts)."""

    def __init__(self, *, focus_pk=None, continue_query="", badges=NO_BADGES):
        self.focus_pk = focus_pk
        self.query = escape(continue_query)
        self.badges = badges
        self.prefix = escape(url_prefix("forum:post"))
        self.time = TimeFormatter()
        self.authors = Authors()

    def fragment(self, entries: list[Entry]) -> Fragment:
        """The entries' shared HTML, cut where each footer goes."""
        time, prefix, authors, query = self.time, self.prefix, self.authors, self.query
        pieces, posts, html = [], [], []
        names = []  # the escaped names of the authors whose replies are open, "" where hidden
        for entry in entries:
            node = entry.node
            post = node.post
            pk = post.pk
            status = post.status
            size = node.size
            if not node.shows_text:
                classes = " post-hidden"
            elif status != "published":
                classes = f" post-{escape(status)}"
            else:
                classes = ""
            if pk == self.focus_pk:
                classes += " post-focus"
            html.append('\n  <li class="discussion-item">')
            if entry.opens_replies:  # the fold names the author, and so do replies far below
                name = authors.name(post.author_name) if node.shows_text else ""
                html.append(_thread_fold(pk, size, name))
            html.append(f'\n<article id="post-{pk}" class="post{classes}">')
            if node.shows_text:
                # Cut on either side of the post (a muting reader's fold) and at its footer.
                pieces.append("".join(html).encode())
                html.clear()
                replying_to = names[-1] if len(names) >= REPLYING_TO_FROM else ""
                byline = authors.byline(post.author_name, post.author_id)
                if post.author_id is not None:  # a guest wears no badge
                    byline += self.badges.html(post.author_id)
                pieces.append(_header(post, prefix, time, byline, replying_to).encode())
                pieces.append(b"")
                posts.append(
                    PostFacts(
                        pk,
                        status,
                        post.author_id,
                        post.author_name,
                        post.upvotes,
                        post.downvotes,
                        PostFacts.microseconds(post.created_at),
                    )
                )
            else:
                html.append(f'\n  <p class="post-placeholder">{escape(node.placeholder)}</p>')
            html.append("\n</article>")
            if entry.opens_replies:
                names.append(name)
                html.append(f'\n      <ol class="replies" id="replies-{pk}">')
            else:
                if entry.continues:
                    html.append(
                        f'\n    <p class="continue-thread"><a href="{prefix}{pk}/{query}">'
                        'Continue this thread →</a> <span class="continue-count">'
                        f"({size} {_replies(size)})</span></p>"
                    )
                html.append("\n  </li>")
            if entry.closes:
                del names[-entry.closes :]
                html.append(CLOSE_REPLIES * entry.closes)
            html.append("\n")
        pieces.append("".join(html).encode())
        return Fragment(pieces, posts)


def _thread_fold(pk, size, name):
    """The opening of the <details> holding a post with its replies, which fold away with it."""
    replies = f"{size} {_replies(size)}"
    return (
        f'\n<details class="thread-fold" id="fold-{pk}" open>\n  <summary class="fold-control">'
        f'<span class="fold-opened">Hide {replies}</span><span class="fold-closed">'
        f"{name or 'A comment'}, with {replies}: show</span></summary>"
    )


def _header(post, prefix, time, byline, replying_to):
    replying = (
        f'\n    <span class="post-replying-to">replying to {replying_to}</span>'
        if replying_to
        else ""
    )
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
    return (
        f'\n  <header class="post-header">{byline}'
        f'{replying}\n    <a class="post-permalink" href="{prefix}{post.pk}/" rel="bookmark">'
        f"{time(post.created_at)}</a>\n    {edited}\n    {badge}\n  </header>\n"
        f'  <div class="post-body">{post.body_html}</div>\n  '
    )


def _replies(size):
    return "reply" if size == 1 else "replies"


class Authors:
    """Each author's name, avatar and link as a post shows them, worked out once per name.

    A member's posts carry the account's name as it was when they were written, and their link
    to the profile is made of it. The avatar is the stylesheet's: initials on a colour class."""

    def __init__(self):
        self.profile_prefix = escape(url_prefix("accounts:profile", last="username"))
        self.names = {}
        self.bylines = {}

    def name(self, author_name):
        escaped = self.names.get(author_name)
        if escaped is None:
            escaped = self.names[author_name] = escape(author_name)
        return escaped

    def byline(self, author_name, author_id):
        """The avatar and name that open a post's header, the name linked for a member."""
        member = author_id is not None
        byline = self.bylines.get((author_name, member))
        if byline is None:
            name = self.name(author_name)
            avatar = (
                f'\n    <span class="avatar avatar-small {avatars.colour_class(author_name)}" '
                f'aria-hidden="true">{escape(avatars.initials(author_name))}</span>'
            )
            if member:
                href = f"{self.profile_prefix}{escape(quote(author_name, safe='/'))}/"
                author = f'\n    <a class="post-author" href="{href}">{name}</a>'
            else:
                author = f'\n    <span class="post-author">{name}</span>'
            byline = self.bylines[(author_name, member)] = avatar + author
        return byline


@functools.cache
def month_abbreviations(language):
    """{month: its abbreviation} as the date filter's "M" gives it in this language, escaped."""
    with translation.override(language):
        return {number: escape(name.title()) for number, name in MONTHS_3.items()}


class TimeFormatter:
    """A <time> element per moment, reading as the date filter's "j M Y, H:i T" would.

    With its zone, since without JavaScript the exact time is all a reader gets (with it, the
    one script puts it into words). Spelt out rather than calling that filter: a page shows a
    date or two per post, nearly all of them distinct, and the general formatter cost more than
    the rest of the post. Unlike the filter, which leaves the zone out in the hour a clock
    repeats when it goes back, the zone is always written: then above all it tells which."""

    def __init__(self):
        self.zone = timezone.get_current_timezone()
        self.months = month_abbreviations(translation.get_language())
        self.zone_names = {}  # each abbreviation the zone uses (two where it keeps summer time)

    def __call__(self, moment):
        local = moment.astimezone(self.zone)
        iso = local.isoformat()  # YYYY-MM-DDTHH:MM..., whatever the year: the clock is iso[11:16]
        tzname = local.tzname()
        zone_name = self.zone_names.get(tzname)
        if zone_name is None:
            zone_name = self.zone_names[tzname] = escape(tzname)
        return (
            f'<time datetime="{iso}">{local.day} {self.months[local.month]} {local.year}, '
            f"{iso[11:16]} {zone_name}</time>"
        )
