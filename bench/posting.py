"""Twenty writers at once: each a Python thread with its own database connection."""

import random
import threading
import time
from collections import Counter
from html.parser import HTMLParser

from django.db import connection
from django.test import Client
from django.urls import reverse

from .measure import latency_ms

WRITERS = 20
REPLIES_EACH = 10


def hammer(reply, *, thread, parents, users):
    """Start every writer at the same moment; each sends REPLIES_EACH replies through reply.

    reply(user=...) returns a function that prepares one reply (for a reader: opening the reply
    page) and returns the function that sends it; only the sending is timed.
    """
    start_line = threading.Barrier(WRITERS + 1)
    latencies, errors, created = [], Counter(), []
    lock = threading.Lock()

    def writer(number):
        rng = random.Random(number)
        try:
            prepare = reply(user=users[number % len(users)])
            start_line.wait()
            for n in range(REPLIES_EACH):
                body = f"Writer {number}, reply {n}: the schedule slipped again, as expected."
                took, (ok, why) = _attempt(prepare, thread, rng.choice(parents), body)
                with lock:
                    latencies.extend([took] if took is not None else [])
                    created.extend([1] if ok else [])
                    errors.update([why] if not ok else [])
        finally:
            connection.close()

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for worker in workers:
        worker.start()
    start_line.wait()
    began = time.perf_counter()
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - began
    return {
        "writers": WRITERS,
        "replies_each": REPLIES_EACH,
        "created": len(created),
        "wall_s": round(wall, 2),
        "posts_per_s": round(len(created) / wall, 1),
        **latency_ms(latencies),
        "errors": dict(errors),
    }


def _attempt(prepare, thread, parent_pk, body):
    """Prepare and send one reply; return the sending time (None if never sent) and outcome."""
    try:
        send = prepare(thread=thread, parent_pk=parent_pk, body=body)
    except Exception as error:  # every failure is counted; none stops the run
        return None, _failure(error)
    if isinstance(send, tuple):  # refused before sending: (False, why)
        return None, send
    began = time.perf_counter()
    try:
        outcome = send()
    except Exception as error:
        outcome = _failure(error)
    return time.perf_counter() - began, outcome


def _failure(error):
    return False, f"{type(error).__name__}: {str(error)[:80]}"


def reply_through_service(*, user):
    """Post with forum.services.add_post, as the site's views do underneath."""
    from forum.models import Post
    from forum.services import add_post

    def prepare(*, thread, parent_pk, body):
        def send():
            parent = Post.objects.get(pk=parent_pk)
            add_post(thread=thread, parent=parent, author=user, body=body)
            return True, ""

        return send

    return prepare


def reply_through_view(*, user):
    """Post as a logged-in reader does: open the reply page, fill in its form, send it."""
    client = Client()
    client.force_login(user)

    def prepare(*, thread, parent_pk, body):
        url = reverse("forum:post-reply", kwargs={"pk": parent_pk})
        page = client.get(url)
        if page.status_code != 200:
            return False, f"reply page HTTP {page.status_code}"
        form = ReplyFormReader.read(page.content.decode())
        if form.text_field is None:
            return False, "no text box on the reply page"
        data = {**form.hidden, **form.submit, form.text_field: body}

        def send():
            response = client.post(form.action or url, data)
            if response.status_code in (302, 303):
                return True, ""
            return False, f"HTTP {response.status_code} after posting"

        return send

    return prepare


class ReplyFormReader(HTMLParser):
    """The action, hidden fields and text box of the first form on a page that has a text box."""

    def __init__(self):
        super().__init__()
        self.forms, self.current = [], None

    @classmethod
    def read(cls, html):
        reader = cls()
        reader.feed(html)
        found = [form for form in reader.forms if form.text_field]
        return found[0] if found else _Form()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.current = _Form(action=attrs.get("action") or "")
            self.forms.append(self.current)
        elif self.current is None:
            return
        elif tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.current.hidden[attrs["name"]] = attrs.get("value") or ""
        elif tag == "textarea" and self.current.text_field is None:
            self.current.text_field = attrs.get("name")
        elif _is_post_button(tag, attrs) and not self.current.submit:
            self.current.submit = {attrs["name"]: attrs.get("value") or ""}

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def _is_post_button(tag, attrs):
    """A named submit button other than Preview: a form may need to know which was pressed."""
    submits = tag == "button" and attrs.get("type", "submit") == "submit"
    submits = submits or (tag == "input" and attrs.get("type") == "submit")
    named = attrs.get("name")
    return submits and named and "preview" not in f"{named} {attrs.get('value', '')}".lower()


class _Form:
    def __init__(self, action=""):
        self.action, self.hidden, self.submit, self.text_field = action, {}, {}, None
