"""A logged-in reader's page around the discussion, kept while nothing it shows has changed.

Once a discussion's trees are kept, the template page around them (the article, the navigation
with the reader's name and unread count, the follow button, the comment form's widgets) was
most of a member's page: some 5 ms of the template language, every request. What that frame
shows is a function of the thread's and its article's stored fields (the title, the text, the
count of comments, the lock), of the address, of the discussion's page and order, and of a few
facts about the reader, asked for on every request anyway. So it is kept under a key of all of
them, and each fact is given to the template from the very value the key was made of: no
reader ever gets a frame made for other facts. Apps add the facts their parts of the page
show (the notifications' unread count and follow state) by registering a function of the
reader and the thread.

The two values that must differ from request to request, the CSRF token and the comment form's
one-time token, are rendered as random stand-ins, kept with the frame and replaced per request.
A page with a message waiting, or an address with query parameters the page does not understand
(which the frame would echo in its links back), is rendered as before and not kept.
"""

import hashlib
import secrets
import uuid
from dataclasses import dataclass

from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.shortcuts import render

from .. import antispam
from ..models import can_moderate
from . import cache

FRAME_PARAMETERS = frozenset({"sort", "page"})  # what a discussion page's address may ask
# The thread's versions of its cached parts: changed by writes the frame does not show.
PARTS_VERSIONS = frozenset({"version", "roots_version", "roots_score_version"})
_fact_providers = {}  # name in the template's context -> function of (user, thread)


def register(name, provider) -> None:
    """Give the page's templates `name`, provider(user, thread), for a logged-in reader."""
    _fact_providers[name] = provider


def reader_facts(request, thread) -> dict:
    """What the frame shows of this logged-in reader, by the name its templates read it by."""
    user = request.user
    facts = {
        "reader_account": (user.pk, user.get_username(), user.is_staff, can_moderate(user)),
        "posting_refusal": antispam.posting_refusal(user, thread),
    }
    return facts | {name: provide(user, thread) for name, provide in _fact_providers.items()}


@dataclass(frozen=True)
class Frame:
    html: bytes  # the page, with a slot where the discussion goes
    content_type: str
    csrf_stand_in: bytes
    form_token_stand_in: bytes

    def filled(self, request):
        """The frame with this request's CSRF token and a fresh one-time token for the form."""
        html = self.html.replace(self.csrf_stand_in, get_token(request).encode())
        return html.replace(self.form_token_stand_in, str(uuid.uuid4()).encode())


def render_frame(request, template_name, context, thread):
    """The page's template rendered for a logged-in reader: (bytes, content type).

    Kept, and served again, where frame_key allows; rendered as usual otherwise."""
    context = context | reader_facts(request, thread)
    key = frame_key(request, template_name, context, thread)
    if key is None:
        response = render(request, template_name, context)
        return response.content, response["Content-Type"]
    frame = cache.read(key)
    if frame is None:
        cache.stats["frame_misses"] += 1
        frame = _rendered(request, template_name, context)
        cache.store(key, frame)
    return frame.filled(request), frame.content_type


def frame_key(request, template_name, context, thread):
    """Where this reader's frame of this page is kept, or None where it must not be kept."""
    asked = request.GET
    if asked.keys() - FRAME_PARAMETERS or any(len(asked.getlist(name)) > 1 for name in asked):
        return None
    if len(get_messages(request)):  # read without marking them shown
        return None
    discussion = context["discussion"]
    page = discussion.page
    shape = (
        discussion.sort.name,
        (page.number, page.paginator.num_pages) if page else None,
        discussion.found,
        discussion.focus_author,
        discussion.focus_url,
        bool(discussion.html),
    )
    names = ["reader_account", "posting_refusal", *_fact_providers]
    facts = [(name, context[name]) for name in names]
    fields = [template_name, request.get_full_path(), _rows_shown(thread), shape, facts]
    digest = hashlib.sha256(repr(fields).encode()).hexdigest()[:40]
    return f"frame:{cache.CODE_VERSION}:{digest}"


def _rows_shown(thread):
    """The stored fields of the thread and its article, which the frame shows.

    Every write to either that the frame shows changes one of them (a reply changes the count
    of comments). The versions of the discussion's cached parts are left out: every vote
    changes them, and the frame shows no vote."""
    rows = [thread, thread.article] if thread.article_id else [thread]
    return [
        [
            getattr(row, field.attname)
            for field in row._meta.concrete_fields
            if field.attname not in PARTS_VERSIONS
        ]
        for row in rows
    ]


def _rendered(request, template_name, context):
    """The frame, rendered with random stand-ins for the per-request tokens."""
    csrf, form_token = secrets.token_hex(32), str(uuid.uuid4())
    stand_ins = {"csrf_token": csrf, "comment_form_token": form_token}
    response = render(request, template_name, context | stand_ins)
    return Frame(response.content, response["Content-Type"], csrf.encode(), form_token.encode())
