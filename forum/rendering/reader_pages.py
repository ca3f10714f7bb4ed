"""A logged-in reader's whole discussion page, kept for them alone while nothing on it changes.

A member who reloads a page, comes back to it, or reads it again after posting elsewhere gets
the page they were last given, as long as everything it shows is as it was: the thread (its
version changes with every announced write in it, or to its article), their session (the same
row, unexpired, with the same data: a message waiting, a log-out or a new log-in changes it),
their account (name, password, flags), their standing (ReaderVersion, changed by every write
announced for them: a ban, joining or leaving the moderators), the ban in force as the
database's clock finds it, and what apps show of them (registered below: the unread count,
following the thread, whom they mute). All of it is read by one query, which the ORM builds
once per process and each request sends with its own values.

The page is kept under a key of the session, the CSRF cookie (the page's tokens are masked
from its secret, and stay valid with it) and the address, and only when its address asks what
the page shows (its own sort and page, as it spells them). It is not kept when it showed the
reader something new (that read moved their mark), and not served past the first moment that
time alone changes it (the edit window of a post of theirs on the page closing) nor after
KEPT_SECONDS. The comment form's one-time token is replaced each time the page is served, so
two comments sent from two reads are two comments.

KeptPageMiddleware serves it (serve()), before sessions, CSRF and auth run: one cache read and
that one query. A page that cannot be served goes to the view, which renders it as usual.
"""

import hashlib
import time
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import DatabaseError
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Now

from config.compiled_queries import CompiledQuery

from ..models import Ban, ReaderVersion, Thread
from ..models.moderation import BAN_ORDER
from . import cache

KEPT_SECONDS = 5 * 60  # a reader's page is theirs alone: kept for a return soon, then freed
DB_SESSIONS = "django.contrib.sessions.backends.db"  # the sessions whose rows the query reads
# Stand-ins for the values of each request, swapped into the SQL the ORM compiled once
# (config.compiled_queries). Within a 32-bit integer field's range (out of it, the ORM compiles
# no query), and negative: no row has such a pk.
USER, THREAD, SESSION = -1_734_581_291, -1_734_581_292, "reader-page-session-stand-in"
_states = {}  # name -> function of the thread's pk giving an expression on the reader's account


def register(name, state) -> None:
    """Make state(thread_pk), an expression on the reader's account (OuterRef("pk") is the
    reader), part of what must be as it was for a kept page to be served: something of the
    reader that the page shows, which no announced write changes."""
    _states[name] = state
    _state.clear()


@dataclass
class Keeping:
    """What the view found while rendering a reader's page, for keep() to decide on."""

    refused: str = ""  # why the page must not be kept, if it must not
    until: float = float("inf")  # when time alone changes what it shows
    form_token: str = ""  # the comment form's one-time token in the page, if it has a form
    # What serve() read, ((user pk, thread pk, session key), state), when it found the kept
    # page out of date: the view renders from it rather than asking again.
    state_read: tuple | None = None

    def refuse(self, why):
        self.refused = self.refused or why

    def changes_at(self, moment: datetime):
        self.until = min(self.until, moment.timestamp())


@dataclass(frozen=True)
class ReaderPage:
    thread_pk: int
    user_pk: int
    state: tuple  # what state() read before the page was rendered
    until: float  # time.time() after which it is not served
    html: bytes
    content_type: str
    form_token: bytes = b""


def keeping(request) -> Keeping:
    """The notes of this request's page, made on first use (by serve(), frames, pages and
    keep())."""
    if not hasattr(request, "_reader_page"):
        request._reader_page = Keeping()
    return request._reader_page


def reader_key(session_key, csrf_cookie, full_path):
    """Where a session's page of this address is kept."""
    rules = cache.page_rules()
    # Hashed: the session key must not be readable from the cache's keys, and an address may
    # be long.
    digest = hashlib.sha256(f"{session_key}\n{csrf_cookie}\n{full_path}".encode()).hexdigest()
    return f"reader-page:{cache.CODE_VERSION}:{':'.join(map(str, rules))}:{digest[:40]}"


def begin(request, thread):
    """Before a logged-in reader's page renders: what the page is rendered from, or None where
    it will not be kept."""
    if settings.SESSION_ENGINE != DB_SESSIONS or request.method != "GET":
        return None
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key or session_key != request.session.session_key:
        return None
    # Read first: a write landing while the page renders makes the next read render again.
    asked = (request.user.pk, thread.pk, session_key)
    read = keeping(request).state_read
    if read is not None and read[0] == asked:
        return read[1]
    return state(*asked)


def keep(request, thread, before, response) -> None:
    """Keep the page response for this session, if nothing in it is of this request alone."""
    notes = keeping(request)
    csrf_cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if (
        before is None
        or notes.refused
        or response.status_code != 200
        or request.session.modified
        or not csrf_cookie
        or csrf_cookie != request.META.get("CSRF_COOKIE")
    ):
        return
    now = time.time()
    until = min(notes.until, now + KEPT_SECONDS)
    if until <= now:
        return
    page = ReaderPage(
        thread.pk,
        request.user.pk,
        before,
        until,
        response.content,
        response["Content-Type"],
        notes.form_token.encode(),
    )
    key = reader_key(request.session.session_key, csrf_cookie, request.get_full_path())
    cache.store(key, page, timeout=max(1, int(until - now)))


def serve(request):
    """The page kept for this request's session and address, or None: the view renders it."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    csrf_cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if not session_key or not csrf_cookie or settings.SESSION_ENGINE != DB_SESSIONS:
        return None
    page = cache.read(reader_key(session_key, csrf_cookie, request.get_full_path()))
    if page is None or time.time() >= page.until:
        return None
    current = state(page.user_pk, page.thread_pk, session_key)
    if current != page.state:
        keeping(request).state_read = ((page.user_pk, page.thread_pk, session_key), current)
        return None
    cache.stats["reader_page_hits"] += 1
    html = page.html
    if page.form_token:
        html = html.replace(page.form_token, str(uuid.uuid4()).encode())
    return html, page.content_type


def state(user_pk, thread_pk, session_key):
    """Everything the kept page depends on besides its address and time, as one row; None if
    the database cannot say."""
    try:
        rows = _state.rows(user=user_pk, thread=thread_pk, session=session_key)
    except DatabaseError:
        return None
    return tuple(rows[0]) if rows else None


def _state_query(user, thread, session):
    User = get_user_model()
    # Now() is the database's clock at each request: a session or a ban that runs out reads
    # as gone then, and the page with it.
    sessions = Session.objects.filter(session_key=session, expire_date__gt=Now())
    standing = ReaderVersion.objects.filter(user=OuterRef("pk")).values("version")
    bans = Ban.objects.filter(user=OuterRef("pk")).active(now=Now()).order_by(*BAN_ORDER)
    columns = {
        "thread_version": Subquery(Thread.objects.filter(pk=thread).order_by().values("version")),
        "session_data": Subquery(sessions.values("session_data")),
        "session_expires": Subquery(sessions.values("expire_date")),
        "standing": Subquery(standing),
        # The ban the page's notice shows, as active_ban() finds it.
        **{f"ban_{name}": Subquery(bans.values(name)[:1]) for name in ("pk", "until", "reason")},
    }
    columns |= {f"app_{name}": state(thread) for name, state in _states.items()}
    own = [User.USERNAME_FIELD, "password", "is_active", "is_staff", "is_superuser"]
    return User.objects.filter(pk=user).annotate(**columns).values_list(*own, *columns)


_state = CompiledQuery(_state_query, user=USER, thread=THREAD, session=SESSION)
