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
from ..models import Post, Vote, can_moderate
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
FOOTER_START, FOOTER_END = '\n  <footer class="post-footer">', "\n  </footer>"
FOOTER = FOOTER_START + "{votes}{links}" + FOOTER_END
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


MENU_ACTIONS = [  # (path after the post's pk, label, the statuses it is offered for)
    ("approve{back}", "Approve", {"pending"}),
    ("approve{back}", "Restore", {"removed", "spam", "deleted"}),
    ("remove{back}", "Remove", {"published", "pending"}),
    ("remove-subtree{back}", "Remove with replies", None),
    ("spam{back}", "Mark as spam", {"published", "pending", "removed", "deleted"}),
    ("move/", "Move", None),
    ("split/", "Split into a new discussion", {"published"}),
]


def _braced(value):
    """A reader's value put into a template whose fields each post fills in later."""
    return str(value).replace("{", "{{").replace("}", "}}")


class FooterWriter:
    """Writes one reader's footers from templates worked out once for all their posts.

    Each template holds what is the same for every post of this reader (their token, this
    page's address, the links' prefixes), escaped once, and leaves the post's own fields ({pk},
    {score}, ...) to one str.format per piece."""

    def __init__(self, reader):
        here = reader.full_path
        prefix = _braced(escape(reader.post_prefix))
        back = _braced(escape(quote(here, safe="/")))
        # Read once: request.user is a lazy object, slow to ask a thousand times.
        self.user = reader.user
        self.user_pk = reader.pk if reader.is_authenticated else None
        self.is_open, self.moderator = reader.thread_is_open, reader.moderator
        self.votes = reader.votes
        score = {"score": "{score}", "plural": "{plural}"}
        self.score_only = VOTES.format(SCORE)
        self.vote_form = VOTE_FORM.format(
            post_prefix=prefix,
            pk="{pk}",
            csrf=_braced(reader.csrf_input),
            here=_braced(escape(here)),
            up="{up}",
            down="{down}",
            **score,
        )
        self.reply = self.link("post-reply", f"{prefix}{{pk}}/reply/", "Reply")
        self.edit = self.link("post-edit", f"{prefix}{{pk}}/edit/", "Edit")
        self.delete = self.link("post-delete", f"{prefix}{{pk}}/delete/", "Delete")
        flag = f"{prefix}{{pk}}/flag/?next={back}%23post-{{pk}}"
        self.flag = LINK.format(kind="post-flag", href=flag, rel=' rel="nofollow"', label="Report")
        if self.moderator:
            self.menus = self.menu_templates(_braced(escape(reader.moderation_prefix)), back)
        self.others = {}  # status -> the footer of a post of that status by someone else
        # A logged-out reader's footers name no post, only its score: one per status and score.
        self.logged_out = {} if self.user_pk is None else None

    def footer(self, post):
        if self.logged_out is not None:
            key = (post.status, post.upvotes - post.downvotes)
            footer = self.logged_out.get(key)
            if footer is None:
                footer = self.logged_out[key] = self.others_footer(post)
            return footer
        if post.author_id == self.user_pk:
            return FOOTER.format(votes=self.votes_html(post), links=self.links(post))
        return self.others_footer(post)

    def others_footer(self, post):
        """The footer of someone else's post: one template per status, one str.format."""
        template = self.others.get(post.status) or self.others_template(post.status)
        score, vote = post.upvotes - post.downvotes, self.votes.get(post.pk)
        ban = self.ban_item(post) if self.moderator else ""
        return template.format(
            pk=post.pk,
            score=score,
            plural="" if score == 1 else "s",
            up="true" if vote == 1 else "false",
            down="true" if vote == -1 else "false",
            ban=ban,
        )

    def others_template(self, status):
        """The footer of a post of this status by someone else, as votes_html() and links()
        would write it, with {pk}, {score}, {plural}, {up}, {down} and {ban} left to fill."""
        published = status == "published"
        votes, links = "", ""
        if published:
            votes = self.score_only if self.user_pk is None or not self.is_open else self.vote_form
        if self.user_pk is not None:
            if published and self.is_open:
                links = self.reply + self.flag
            if self.moderator:
                links += self.menus[status]
        self.others[status] = FOOTER_START + votes + links + FOOTER_END
        return self.others[status]

    def votes_html(self, post):
        if post.status != "published":
            return ""
        score = post.upvotes - post.downvotes
        plural = "" if score == 1 else "s"
        # A logged-out reader reads the score; the one way in is the page's "Log in to join".
        if self.user_pk is None or not self.is_open or post.author_id == self.user_pk:
            return self.score_only.format(score=score, plural=plural)
        vote = self.votes.get(post.pk)
        up, down = ("true" if vote == 1 else "false"), ("true" if vote == -1 else "false")
        return self.vote_form.format(pk=post.pk, up=up, down=down, score=score, plural=plural)

    def links(self, post):
        pk = post.pk
        wanted = self.is_open and post.status == "published"
        if self.user_pk is None:
            return ""  # no controls for a logged-out reader: one "Log in to join" serves the page
        links = [self.reply.format(pk=pk)] if wanted else []
        if post.author_id == self.user_pk:
            user = self.user
            if self.is_open and not services.edit_refusal(post=post, editor=user):
                links.append(self.edit.format(pk=pk))
            if not services.delete_refusal(post=post, author=user):
                links.append(self.delete.format(pk=pk))
        elif post.status == "published" and self.is_open:
            links.append(self.flag.format(pk=pk))
        if self.moderator:
            links.append(self.menus[post.status].format(pk=pk, ban=self.ban_item(post)))
        return "".join(links)

    def ban_item(self, post):
        """The moderators' menu item banning the post's author: none for a guest or oneself."""
        if not post.author_id or post.author_id == self.user_pk:
            return ""
        name = escape(post.author_name)
        return self.ban.format(pk=post.pk, author_id=post.author_id, author_name=name)

    @staticmethod
    def link(kind, href, label):
        return LINK.format(kind=kind, href=href, rel="", label=label)

    def menu_templates(self, prefix, back):
        """The moderators' menu for a post of each status, its author's ban left as {ban}."""
        back = f"/?next={back}%23post-{{pk}}"
        self.ban = MENU_ITEM.format(
            href=f"{prefix}user/{{author_id}}/ban{back}", label="Ban {author_name}"
        )
        menus = {}
        for status in Post.Status.values:
            items = [
                MENU_ITEM.format(href=f"{prefix}post/{{pk}}/{path.format(back=back)}", label=label)
                for path, label, statuses in MENU_ACTIONS
                if statuses is None or status in statuses
            ]
            menus[status] = MENU.format(items="".join(items) + "{ban}")
        return menus
