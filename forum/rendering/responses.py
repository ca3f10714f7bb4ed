"""Discussion pages over HTTP: anonymous readers' pages kept whole, validators, compression.

An anonymous reader's page holds nothing of that reader (no token, no name, no message), so it
is kept whole, plain and gzipped, under the thread's version, and served to every anonymous
reader of the same address until a write changes the version. It carries an ETag from that key,
so a browser or a CDN revalidates with a 304, and a short public Cache-Control. A page for a
logged-in reader is private and never compressed: it carries their CSRF token, and compressing
a secret beside text an attacker can choose is what BREACH reads it from.
"""

import gzip
import hashlib
from dataclasses import dataclass, replace

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag

from . import cache

SHARED_SECONDS = 30  # how long a CDN or browser may keep an anonymous page without asking
COMPRESS_LEVEL = 6  # done once per version, for the first reader who accepts it, and kept


@dataclass(frozen=True)
class KeptPage:
    html: bytes
    content_type: str
    gzipped: bytes | None = None  # made when a reader first accepts it, then kept with the page


def discussion_response(request, thread, render, *key_parts):
    """The page render() makes, kept whole and served from the cache for anonymous readers."""
    if not _is_shared(request):
        response = render()
        patch_cache_control(response, private=True, no_cache=True)
        return response
    key = cache.fragment_key(thread, "whole-page", request.path, *key_parts)
    etag = quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
    kept = cache.read(key)
    if kept is None:
        response = render()
        # A page that asked for a CSRF token holds one: it is this visitor's, never shared.
        if response.status_code != 200 or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return response
        kept = KeptPage(response.content, response["Content-Type"])
        cache.store(key, kept)
    if _accepts_gzip(request) and kept.gzipped is None:
        kept = replace(kept, gzipped=gzip.compress(kept.html, COMPRESS_LEVEL, mtime=0))
        cache.store(key, kept)
    return _served(request, kept, etag)


def _is_shared(request):
    """Whether the page this request gets is the same for every anonymous reader."""
    # len() reads the waiting messages without marking them shown.
    return not request.user.is_authenticated and not len(get_messages(request))


def _accepts_gzip(request):
    return "gzip" in request.headers.get("Accept-Encoding", "")


def _served(request, kept, etag):
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
