"""Discussion pages over HTTP: anonymous readers' pages kept whole, validators, compression.

An anonymous reader's page holds nothing of that reader (no token, no name, no message), so it
is kept whole, plain and gzipped, with the thread's version it was rendered at, and served to
every anonymous reader of the same address while the thread's row still has that version: a
write changes it in its own transaction, so no worker serves the page once the write commits.
KeptPageMiddleware serves it before the session, CSRF, auth and messages middleware run, with
one cache read and one query of the version by primary key. It carries an ETag from the key and
the version, so a browser or a CDN revalidates with a 304, and a short public Cache-Control. A
page for a logged-in reader is private and never compressed: it carries their CSRF token, and
compressing a secret beside text an attacker can choose is what BREACH reads it from. The same
middleware serves a logged-in reader the page kept for their session alone, while nothing on it
has changed (reader_pages.py).
"""

import gzip
import hashlib
from dataclasses import dataclass, replace

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag
from django.utils.safestring import mark_safe

from .. import selectors
from ..models import Thread
from . import cache, frames, reader_pages

# Where a page's template puts its discussion's HTML, pasted in once the rest is rendered.
DISCUSSION_SLOT = "<!-- discussion -->"
SHARED_SECONDS = 30  # how long a CDN or browser may keep an anonymous page without asking
COMPRESS_LEVEL = 6  # done once per version, for the first reader who accepts it, and kept


@dataclass(frozen=True)
class KeptPage:
    thread_pk: int
    version: int  # the thread's version the page was rendered at
    html: bytes
    content_type: str
    gzipped: bytes | None = None  # made when a reader first accepts it, then kept with the page


def kept_key(path, order_name, page_number):
    """Where the anonymous page of this address, sort and page is kept, whatever its version."""
    # Hashed: a long or odd address must not make a key some cache backend refuses.
    address = hashlib.sha256(path.encode()).hexdigest()[:32]
    fields = [cache.CODE_VERSION, *cache.page_rules(), address, order_name, page_number]
    return "kept-page:" + ":".join(str(field) for field in fields)


def render_discussion_page(request, template_name, context):
    """render(), with context["discussion"]'s HTML put in after the template has run.

    A discussion's HTML is often hundreds of kilobytes: through the template it is copied by
    every include and block it passes. The template writes a slot instead; the slot cannot come
    from anything the template escaped, and the first one is the discussion's own place. A
    logged-in reader's template page is kept and shared by every reader it fits, with their own
    parts rendered per request (frames.py)."""
    discussion = context["discussion"]
    html = discussion.html
    context["discussion"] = replace(discussion, html=mark_safe(DISCUSSION_SLOT) if html else html)
    if request.user.is_authenticated:
        content, content_type = frames.render_frame(
            request, template_name, context, context["thread"]
        )
        response = HttpResponse(content, content_type=content_type)
    else:
        response = render(request, template_name, context)
    if html:
        before, _slot, after = response.content.partition(DISCUSSION_SLOT.encode())
        response.content = b"".join([before, html, after])
    return response


def discussion_response(request, thread, render, order_name, page_number):
    """The page render() makes, kept whole and served from the cache: for anonymous readers
    one page for all, for a logged-in reader one of their own (reader_pages)."""
    if request.user.is_authenticated:
        before = reader_pages.begin(request, thread)
        response = render()
        reader_pages.keep(request, thread, before, response)
        patch_cache_control(response, private=True, no_cache=True)
        return response
    if _message_waiting(request):  # a visitor with a message waiting gets a page of their own
        response = render()
        patch_cache_control(response, private=True, no_cache=True)
        return response
    key = kept_key(request.path, order_name, page_number)
    kept = cache.read(key)
    if kept is None or kept.version != thread.version:
        response = render()
        # A page that asked for a CSRF token holds one: it is this visitor's, never shared.
        if response.status_code != 200 or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return response
        kept = KeptPage(thread.pk, thread.version, response.content, response["Content-Type"])
        cache.store(key, kept)
    return _served(request, kept, key)


class KeptPageMiddleware:
    """Serve a kept page before the session, auth and messages middleware run.

    The anonymous page, to a visitor without a session or a message waiting: without a session
    cookie nobody is logged in, and messages wait in a cookie or the session. To a visitor with
    a session, the page kept for that session, if nothing on it has changed (reader_pages.py
    checks the session itself, and a message kept in it). Anything else, and any page whose
    thread has changed since it was kept, goes on to the view as usual."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and CookieStorage.cookie_name not in request.COOKIES:
            request.get_host()  # refuses a Host not allowed, as CommonMiddleware would
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                response = _served_to_reader(request)
            else:
                response = _served_to_anyone(request)
            if response is not None:
                response.headers.setdefault("Content-Length", str(len(response.content)))
                return response
        return self.get_response(request)


def _served_to_anyone(request):
    key = kept_key(request.path, *_asked(request))
    kept = cache.read(key)
    if kept is not None and kept.version == _version(kept.thread_pk):
        return _served(request, kept, key)
    return None


def _served_to_reader(request):
    """The page kept for this session, as the view would answer it (discussion_response)."""
    kept = reader_pages.serve(request)
    if kept is None:
        return None
    html, content_type = kept
    response = HttpResponse(html, content_type=content_type)
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    return response


def _asked(request):
    """The sort order and page number as the request spells them, before any clamping."""
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        number = 1
    return selectors.sort_order(request.GET.get("sort")).name, number


def _version(thread_pk):
    """The thread's version as committed now; None when it cannot be read."""
    # One statement by primary key, in SQL: building it through the ORM costs more than the
    # rest of serving a kept page.
    quote, meta = connection.ops.quote_name, Thread._meta
    version, table, pk = meta.get_field("version").column, meta.db_table, meta.pk.column
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote(version)} FROM {quote(table)} WHERE {quote(pk)} = %s",
                [thread_pk],
            )
            row = cursor.fetchone()
    except DatabaseError:
        return None  # the view answers, with the database outage page if need be
    return row[0] if row else None


def _message_waiting(request):
    # len() reads the waiting messages without marking them shown.
    return bool(len(get_messages(request)))


def _accepts_gzip(request):
    return "gzip" in request.headers.get("Accept-Encoding", "")


def _served(request, kept, key):
    if _accepts_gzip(request) and kept.gzipped is None:
        kept = replace(kept, gzipped=gzip.compress(kept.html, COMPRESS_LEVEL, mtime=0))
        cache.store(key, kept)
    # The key names the address and the code, the version what the thread held.
    etag = quote_etag(hashlib.sha256(f"{key}:{kept.version}".encode()).hexdigest()[:32])
    unchanged = get_conditional_response(request, etag=etag)
    if unchanged is not None:  # a 304: the reader's copy is this version's
        patch_vary_headers(unchanged, ["Accept-Encoding", "Cookie"])
        return unchanged
    accepts_gzip = _accepts_gzip(request)
    response = HttpResponse(
        kept.gzipped if accepts_gzip else kept.html, content_type=kept.content_type
    )
    if accepts_gzip:
        response["Content-Encoding"] = "gzip"
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=SHARED_SECONDS)
    patch_vary_headers(response, ["Accept-Encoding", "Cookie"])
    return response
