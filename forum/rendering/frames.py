"""A logged-in reader's page around the discussion, kept and shared while nothing it shows changes.

Once a discussion's trees are kept, the template page around them (the article, the header,
the follow button, the comment form's widgets) was most of a member's page: some 5 ms of the
template language, every request. Most of that frame is the same for every member: it is a
function of the thread's and its article's stored fields (the title, the text, the lock), of
the address, of the discussion's page and order, and of two facts about the reader: whether
they moderate, and why they may not post, if they may not. So it is kept under a key of all of
these, and given to every member they fit.

What is one reader's own, and what every reply changes, is left out of the kept frame as a
*per-request part*: the template says `{% per_request "accounts/_nav.html" %}` (the header with
the reader's name and unread count; the follow button; the count of comments and the last
activity) and the part is rendered for each request, small, into its place. Apps give the parts
the facts they show (the notifications' unread count and follow state) by registering a
function of the reader and the thread. The two values that must differ from request to
request, the CSRF token and the comment form's one-time token, are rendered in the frame as
random stand-ins, kept with it and replaced per request. A page with a message waiting, or an
address with query parameters other than the page's own sort and number (which the frame would
echo in its links back), is rendered as before and not kept.
"""

import hashlib
import secrets
import uuid
from dataclasses import dataclass

from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string

from .. import antispam
from ..models import can_moderate
from . import cache, reader_pages

# The thread's fields the frame does not show: the versions of its cached trees and pages,
# which every vote changes, and what every reply changes, shown in per-request parts.
NOT_IN_FRAME = frozenset(
    {"version", "roots_version", "roots_score_version", "post_count", "last_activity_at"}
)
# What the kept frame itself shows of its reader, so what its key is made of.
FRAME_FACTS = ("reader_moderates", "posting_refusal")
_part_facts = {}  # name in the per-request parts' context -> function of (user, thread)


def register(name, provider) -> None:
    """Give the per-request parts `name`, provider(user, thread), for a logged-in reader."""
    _part_facts[name] = provider


def reader_facts(request, thread) -> dict:
    """What the page shows of this logged-in reader, by the names its templates read."""
    user = request.user
    facts = {
        "reader_moderates": can_moderate(user),
        "posting_refusal": antispam.posting_refusal(user, thread),
    }
    return facts | {name: provide(user, thread) for name, provide in _part_facts.items()}


class PartPlaces(list):
    """While a frame renders: the parts it leaves out, each with the mark of its place."""

    def __init__(self):
        super().__init__()
        self.nonce = secrets.token_hex(16)

    def place(self, template_name):
        mark = f"<!-- per-request part {len(self)} {self.nonce} -->"
        self.append((mark.encode(), template_name))
        return mark


@dataclass(frozen=True)
class Frame:
    html: bytes  # the page, with a slot where the discussion goes and one per part
    content_type: str
    csrf_stand_in: bytes
    form_token_stand_in: bytes
    parts: tuple[tuple[bytes, str], ...]  # (mark, template name)

    def filled(self, request, context, form_token):
        """The frame with this request's tokens and this reader's parts."""
        html = self.html.replace(self.csrf_stand_in, get_token(request).encode())
        html = html.replace(self.form_token_stand_in, form_token.encode())
        for mark, template_name in self.parts:
            part = render_to_string(template_name, context, request)
            html = html.replace(mark, part.encode(), 1)
        return html


def render_frame(request, template_name, context, thread):
    """The page's template rendered for a logged-in reader: (bytes, content type).

    Kept, and served again, where frame_key allows; rendered as usual otherwise."""
    context = context | reader_facts(request, thread)
    key = frame_key(request, template_name, context, thread)
    notes = reader_pages.keeping(request)
    if key is None:
        notes.refuse("the page's address or a message waiting is of this request alone")
        response = render(request, template_name, context)
        return response.content, response["Content-Type"]
    frame = cache.read(key)
    if frame is None:
        cache.stats["frame_misses"] += 1
        frame = _rendered(request, template_name, context)
        cache.store(key, frame)
    # Remembered, so that a reader's page kept whole gets a new one each time it is served.
    notes.form_token = str(uuid.uuid4())
    return frame.filled(request, context, notes.form_token), frame.content_type


def frame_key(request, template_name, context, thread):
    """Where the frame of this page for readers like this one is kept, or None: not kept."""
    discussion = context["discussion"]
    page = discussion.page
    understood = {"sort": [discussion.sort.name], "page": [str(page.number)] if page else []}
    # Only an address that asks what the page shows, as it spells it: any other value would
    # make a frame of its own, and ?page=<random> must not fill the cache with them.
    if any(request.GET.getlist(name) != understood.get(name) for name in request.GET):
        return None
    if len(get_messages(request)):  # read without marking them shown
        return None
    shape = (
        discussion.sort.name,
        (page.number, page.paginator.num_pages) if page else None,
        discussion.found,
        discussion.focus_author,
        discussion.focus_url,
        bool(discussion.html),
    )
    facts = [(name, context[name]) for name in FRAME_FACTS]
    fields = [template_name, request.get_full_path(), _rows_shown(thread), shape, facts]
    digest = hashlib.sha256(repr(fields).encode()).hexdigest()[:40]
    return f"frame:{cache.CODE_VERSION}:{digest}"


def _rows_shown(thread):
    """The stored fields of the thread and its article, which the frame shows.

    Every write to either that the frame shows changes one of them. Left out: the versions of
    the discussion's cached parts, which every vote changes (the frame shows no vote), and the
    count of comments and the last activity, which every reply changes and which the frame
    leaves to per-request parts."""
    rows = [thread, thread.article] if thread.article_id else [thread]
    return [
        [
            getattr(row, field.attname)
            for field in row._meta.concrete_fields
            if field.attname not in NOT_IN_FRAME
        ]
        for row in rows
    ]


def _rendered(request, template_name, context):
    """The frame, with random stand-ins for the per-request tokens and marks for the parts."""
    csrf, form_token, places = secrets.token_hex(32), str(uuid.uuid4()), PartPlaces()
    stand_ins = {"csrf_token": csrf, "comment_form_token": form_token}
    response = render(request, template_name, context | stand_ins | {"per_request_parts": places})
    return Frame(
        response.content,
        response["Content-Type"],
        csrf.encode(),
        form_token.encode(),
        tuple(places),
    )
