"""Sending one hostile request as one visitor, and judging the answer: never a 5xx, and a refused
request (4xx) leaves every row of the site's tables as it was."""

import uuid
from dataclasses import dataclass
from urllib.parse import quote_from_bytes

from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction

from .hostile import as_bytes

# The tables a request could damage: accounts, articles, discussions, moderation, admin log.
WATCHED_APPS = ("accounts", "admin", "articles", "auth", "forum")
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
FORM_URLENCODED = "application/x-www-form-urlencoded"
CSRF_FIELD = "csrfmiddlewaretoken"  # the test client does not check it: left out of reports


@dataclass(frozen=True)
class Attack:
    """One request: who sends it, how, to which percent-encoded path, and its (name, value)
    pairs in the query string and in the body."""

    role: str
    method: str
    path: str
    query: tuple = ()
    body: tuple = ()
    multipart: bool = False

    @property
    def url(self):
        return f"{self.path}?{urlencoded(self.query)}" if self.query else self.path

    def values(self, name):
        """What the request says for a parameter, in its query string or body."""
        return [value for key, value in (*self.query, *self.body) if key == name]

    def __repr__(self):
        query = ", ".join(f"{name}={shorten(value)}" for name, value in self.query)
        body = ", ".join(
            f"{name}={shorten(value)}" for name, value in self.body if name != CSRF_FIELD
        )
        return f"<{self.role}: {self.method} {shorten(self.path, 200)} ?[{query}] [{body}]>"


def shorten(value, limit=60):
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}...({len(text)} chars)"


def snapshot():
    """Every row of the watched tables, in primary-key order."""
    rows = {}
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            manager = model._base_manager.order_by("pk")
            rows[model._meta.label] = list(manager.values_list())
    return rows


class WriteWatch:
    """Notes whether any INSERT, UPDATE or DELETE went to the database while it is installed."""

    def __init__(self):
        self.wrote = False

    def __call__(self, execute, sql, params, many, context):
        self.wrote = self.wrote or sql.lstrip().upper().startswith(WRITES)
        return execute(sql, params, many, context)


def attack(scene, baseline, request):
    """Send the request in a savepoint rolled back afterwards; fail on a 5xx or a refused write.

    A view's exception is not caught: it propagates to the test with its own traceback.
    """
    with transaction.atomic():
        cache.clear()  # rate limits and one-time tokens start afresh for each request
        watch = WriteWatch()
        with connection.execute_wrapper(watch):
            response = send(scene, request)
        status = response.status_code
        assert status < 500, f"{request!r} answered {status}"
        if 400 <= status < 500 and watch.wrote:
            changed = changed_tables(baseline, snapshot())
            assert not changed, f"{request!r} answered {status} but wrote to {changed}"
        transaction.set_rollback(True)
    return response


def changed_tables(before, after):
    return sorted(label for label in before if before[label] != after[label])


def send(scene, request):
    client = scene.client(request.role)
    if not request.body:
        return client.generic(request.method, request.url)
    if request.multipart:
        body, content_type = multipart(request.body)
    else:
        body, content_type = urlencoded(request.body).encode("ascii"), FORM_URLENCODED
    return client.generic(request.method, request.url, data=body, content_type=content_type)


def urlencoded(pairs):
    """A query string or form body; each value's bytes are sent as they are, valid or not."""
    return "&".join(
        f"{quote_from_bytes(as_bytes(name))}={quote_from_bytes(as_bytes(value))}"
        for name, value in pairs
    )


def multipart(pairs):
    """A multipart/form-data body, for a form that asks for one; each value's bytes as they are."""
    boundary = uuid.uuid4().hex
    chunks = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        + as_bytes(value)
        + b"\r\n"
        for name, value in pairs
    ]
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"
