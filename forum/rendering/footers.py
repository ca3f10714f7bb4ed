"""Each shown post's footer as one reader sees it, rendered per request and never shared.

Votes, the reader's own vote pressed, the CSRF token, links back to this very page, the links to
reply, edit and delete, and the moderators' menu all differ from reader to reader, so they are
rendered here, for all the posts of a page in one pass, and pasted into the shared fragment.
"""

from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote

from django.middleware.csrf import get_token
from django.urls import reverse
from markupsafe import Markup, escape

from .. import services
from ..models import Vote, can_moderate
from .fragments import PostFacts, url_prefix


@dataclass
class Reader:
    """Who reads the page, and what their footers need of the request."""

    user: object
    full_path: str
    thread_is_open: bool  # not locked, or locked but the reader may still post, vote, report
    votes: dict[int, int] = field(default_factory=dict)  # post pk -> the reader's vote
    csrf_input: str = ""  # the hidden input with this request's token, Markup

    @property
    def is_authenticated(self):
        return self.user.is_authenticated

    @property
    def pk(self):
        return self.user.pk

    @cached_property
    def moderator(self):
        return can_moderate(self.user)

    @cached_property
    def back(self):
        return quote(self.full_path, safe="/")  # as the urlencode filter does

    @cached_property
    def post_prefix(self):
        return url_prefix("forum:post")

    @cached_property
    def moderation_prefix(self):
        return reverse("moderation:queue")


def reader_of(request, thread, posts):
    """The request's reader of these posts of thread, with their own votes on them."""
    user = request.user
    reader = Reader(user, request.get_full_path(), thread_is_open=not thread.is_closed_to(user))
    if user.is_authenticated:
        reader.csrf_input = Markup('<input type="hidden" name="csrfmiddlewaretoken" value="{}">')
        reader.csrf_input = reader.csrf_input.format(get_token(request))
        # Of this thread's posts only: the page's pks could be thousands in an IN (...).
        pks = {post.pk for post in posts}
        votes = Vote.objects.filter(user=user, post__thread=thread).values_list("post_id", "value")
        reader.votes = {pk: value for pk, value in votes if pk in pks}
    return reader


def footers(reader: Reader, posts: list[PostFacts]) -> list[str]:
    """The footer of each post for this reader, in the order of posts."""
    writer = FooterWriter(reader)
    return [writer.footer(post) for post in posts]


# Pieces of a footer, filled with str.format: a page has hundreds of footers per request, and
# a template call per footer costs more than the rest of the page. Every value put in is either
# a number or escaped once per request (FooterWriter.__init__).
FOOTER = '\n  <footer class="post-footer">{votes}{links}\n  </footer>'
SCORE = '<span class="score">{score} point{plural}</span>'
VOTES = '\n    <div class="votes">\n      {}\n    </div>'
VOTE_FORM = VOTES.format(
    '<form class="vote-form" method="post" action="{post_prefix}{pk}/vote/">\n        '
    "{csrf}\n"
    '        <input type="hidden" name="next" value="{here}">\n'
    '        <button class="vote vote-up" type="submit" name="value" value="up" '
    'aria-pressed="{up}" aria-label="Vote up" title="Vote up">▲</button>\n        '
    + SCORE
    + '\n        <button class="vote vote-down" type="submit" name="value" value="down" '
    'aria-pressed="{down}" aria-label="Vote down" title="Vote down">▼</button>\n      </form>'
)
LINK = '\n    <a class="post-action {kind}" href="{href}"{rel}>{label}</a>'
MENU = (
    '\n    <details class="moderation-menu">\n      <summary>Moderate</summary>\n      <ul>'
    "{items}\n      </ul>\n    </details>"
)
MENU_ITEM = '\n        <li><a href="{href}">{label}</a></li>'


class FooterWriter:
    """Writes one reader's footers, with what is the same for all their posts worked out once."""

    def __init__(self, reader):
        self.reader = reader
        here = reader.full_path
        self.post_prefix = escape(reader.post_prefix)
        self.here = escape(here)
        self.back = escape(quote(here, safe="/"))
        self.csrf = reader.csrf_input
        self.moderation_prefix = escape(reader.moderation_prefix)
        # Read once: request.user is a lazy object, slow to ask a thousand times.
        self.user = reader.user
        self.user_pk = reader.pk if reader.is_authenticated else None
        self.is_open, self.moderator = reader.thread_is_open, reader.moderator

    def footer(self, post):
        return FOOTER.format(votes=self.votes(post), links="".join(self.links(post)))

    def votes(self, post):
        if post.status != "published":
            return ""
        reader = self.reader
        score = {"score": post.score, "plural": "" if post.score == 1 else "s"}
        # A logged-out reader reads the score; the one way in is the page's "Log in to join".
        if not reader.is_authenticated or not reader.thread_is_open or post.author_id == reader.pk:
            return VOTES.format(SCORE.format(**score))
        vote = reader.votes.get(post.pk)
        return VOTE_FORM.format(
            post_prefix=self.post_prefix,
            pk=post.pk,
            csrf=self.csrf,
            here=self.here,
            up="true" if vote == 1 else "false",
            down="true" if vote == -1 else "false",
            **score,
        )

    def links(self, post):
        pk = post.pk
        wanted = self.is_open and post.status == "published"
        if self.user_pk is None:
            return  # no controls for a logged-out reader: one "Log in to join" serves the page
        if wanted:
            yield self.link("post-reply", f"{self.post_prefix}{pk}/reply/", "Reply")
        if post.author_id == self.user_pk:
            user = self.user
            if self.is_open and not services.edit_refusal(post=post, editor=user):
                yield self.link("post-edit", f"{self.post_prefix}{pk}/edit/", "Edit")
            if not services.delete_refusal(post=post, author=user):
                yield self.link("post-delete", f"{self.post_prefix}{pk}/delete/", "Delete")
        elif post.status == "published" and self.is_open:
            href = f"{self.post_prefix}{pk}/flag/?next={self.back}%23post-{pk}"
            yield LINK.format(kind="post-flag", href=href, rel=' rel="nofollow"', label="Report")
        if self.moderator:
            yield MENU.format(items="".join(self.menu_items(post)))

    def link(self, kind, href, label):
        return LINK.format(kind=kind, href=href, rel="", label=label)

    def menu_items(self, post):
        pk, status, prefix = post.pk, post.status, self.moderation_prefix
        back = f"/?next={self.back}%23post-{pk}"
        if status != "published":
            label = "Approve" if status == "pending" else "Restore"
            yield MENU_ITEM.format(href=f"{prefix}post/{pk}/approve{back}", label=label)
        if status in ("published", "pending"):
            yield MENU_ITEM.format(href=f"{prefix}post/{pk}/remove{back}", label="Remove")
        yield MENU_ITEM.format(
            href=f"{prefix}post/{pk}/remove-subtree{back}", label="Remove with replies"
        )
        if status != "spam":
            yield MENU_ITEM.format(href=f"{prefix}post/{pk}/spam{back}", label="Mark as spam")
        yield MENU_ITEM.format(href=f"{prefix}post/{pk}/move/", label="Move")
        if status == "published":
            yield MENU_ITEM.format(
                href=f"{prefix}post/{pk}/split/", label="Split into a new discussion"
            )
        if post.author_id and post.author_id != self.user_pk:
            yield MENU_ITEM.format(
                href=f"{prefix}user/{post.author_id}/ban{back}",
                label=f"Ban {escape(post.author_name)}",
            )
