"""The small forum the fuzz suite attacks: one of each kind of object, and visitors' sessions."""

from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from articles.models import Article
from forum import moderation, votes
from forum.models import Ban, Flag, ModerationRecord, Post, Thread, Vote
from tests.factories import make_article, make_moderator, make_post, make_thread, make_user

PASSWORD = "correct horse battery staple"
ROLES = ("anonymous", "member", "moderator")


@dataclass
class Scene:
    """The objects' real path values, by the word the URL puts before them, and the sessions."""

    password: str
    sessions: dict[str, str]  # role -> session key
    # e.g. "post" -> every post's pk, "accounts" -> every username: what a URL segment names.
    by_noun: dict[str, list[str]] = field(default_factory=dict)

    def client(self, role):
        """A fresh test client carrying the role's session; view exceptions propagate."""
        client = Client(raise_request_exception=True)
        if role in self.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client

    def real_values(self, *names):
        """The real values listed under the first of names that has any, else under all."""
        for name in names:
            if values := self.by_noun.get(name):
                return values
        return sorted({value for values in self.by_noun.values() for value in values})


def build_scene():
    """Create the forum: threads open, locked and of an article, posts in every status."""
    member = make_user("member", password=PASSWORD)
    author = make_user("author", password=PASSWORD)
    banned = make_user("banned", password=PASSWORD)
    moderator = make_moderator("moderator", staff=True, password=PASSWORD)

    article = make_article("Orbital stations", slug="orbital-stations")
    discussion = make_thread("Orbital stations", article=article, slug="orbital-stations")
    root = make_post(discussion, author=author, body="The root post.")
    reply = make_post(discussion, parent=root, author=member, body="The member's reply.")
    make_post(discussion, parent=reply, author=author, body="An answer to the member.")
    for status in (Post.Status.PENDING, Post.Status.REMOVED, Post.Status.DELETED):
        make_post(discussion, parent=root, author=author, body="A hidden post.", status=status)
    discussion.update_counts()

    forum_thread = make_thread("Launch windows", slug="launch-windows")
    make_post(forum_thread, author=member, body="A thread of the forum's own.")
    locked = make_thread("Closed for now", slug="closed-for-now")
    make_post(locked, author=author, body="Said before the lock.")
    moderation.lock_thread(thread=locked, moderator=moderator, reason="Off topic.")

    moderation.flag_post(post=reply, reporter=author, reason=Flag.Reason.SPAM)
    moderation.ban_user(user=banned, moderator=moderator, reason="Trolling.")
    votes.cast_vote(post=root, voter=member, value=Vote.Value.UP)

    sessions = log_in({"member": member, "moderator": moderator})
    # The anonymous visitor has followed the member's password-reset link: the form to set a
    # new password is theirs to attack, at the address Django gives it.
    reset_token = default_token_generator.make_token(member)
    sessions["anonymous"] = session_holding({INTERNAL_RESET_SESSION_TOKEN: reset_token})
    scene = Scene(PASSWORD, sessions=sessions)
    nouns = {
        "post": Post,
        "thread": Thread,
        "user": get_user_model(),
        "group": Group,
        "article": Article,
        "flag": Flag,
        "ban": Ban,
        "moderationrecord": ModerationRecord,
        "vote": Vote,
    }
    for noun, model in nouns.items():
        scene.by_noun[noun] = [str(pk) for pk in ordered(model, "pk")]
    scene.by_noun["forum"] = ordered(Thread, "slug")
    scene.by_noun["articles"] = ordered(Article, "slug")
    scene.by_noun["accounts"] = ordered(get_user_model(), "username")
    scene.by_noun["r"] = [str(ContentType.objects.get_for_model(Post).pk)]
    scene.by_noun["reset"] = [urlsafe_base64_encode(force_bytes(member.pk))]
    scene.by_noun["token"] = [PasswordResetConfirmView.reset_url_token, reset_token]
    return scene


def ordered(model, column):
    """The column's values in creation order, the same on every database."""
    return list(model.objects.order_by("pk").values_list(column, flat=True))


def log_in(users):
    """Session keys of users logged in once, so each request can reuse them without a write."""
    sessions = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions


def session_holding(data):
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session.update(data)
    session.create()
    return session.session_key
