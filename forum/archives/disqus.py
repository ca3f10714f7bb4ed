"""The Disqus front end: a Disqus XML export, streamed, as neutral import records.

An export holds <category> elements, then every <thread>, then every <post>; a post names its
thread and its parent by dsq:id, and a reply may come before its parent.
"""

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime

from django.utils import timezone

from ..markdown import sanitize_html
from .htmltext import html_to_markdown, images_as_links
from .placement import Skipped
from .records import DiscussionRecord, PostRecord
from .xmlsafety import XML_SPACE, stable_id, text_of, xml_events

SOURCE = "disqus"
NAMESPACE = "http://disqus.com"
INTERNALS_NAMESPACE = "http://disqus.com/disqus-internals"
NS = f"{{{NAMESPACE}}}"
DSQ_ID = f"{{{INTERNALS_NAMESPACE}}}id"
ANONYMOUS = "Anonymous"
LOOKED_FOR = "<post> elements in the http://disqus.com namespace"


def external_id(dsq_id):
    return f"{SOURCE}:{dsq_id}"


class DisqusExport:
    """The records of one export file, read once; skipped lists what was left out, and why.

    A thread becomes a discussion just before its first post, so a thread no post names is
    never created for nothing; it is offered at the end only to go with its article, if any.
    """

    source = SOURCE
    looked_for = LOOKED_FOR

    def __init__(self, file, *, damage=None):
        self.file = file
        self.damage = damage  # None: strict; else the lenient reader's notes
        self.skipped = []
        self.left_out = Counter()  # threads not made discussions, by reason
        self.comment_elements = 0  # every <post> met, stored or not
        self._threads = {}  # dsq:id -> thread record not sent yet
        self._named = set()  # dsq:ids of threads some post has named
        self._deleted_threads = set()
        self._previous_at = None  # the last post's date, for one that has none

    def __iter__(self):
        events = xml_events(
            self.file,
            expected_root=f"{NS}disqus",
            is_record=_is_record,
            damage=self.damage,
        )
        for event, element, depth in events:
            if event == "start" and depth == 0:
                root = element
            elif event == "end" and depth == 1:
                if element.tag == f"{NS}thread":
                    yield from self._thread(element)
                elif element.tag == f"{NS}post":
                    self.comment_elements += 1
                    yield from self._post(element)
                # Handled: drop it, so memory holds one thread or post at a time.
                root.clear()
        for record in self._threads.values():
            created_at = record.created_at or timezone.now()
            yield replace(record, created_at=created_at, without_posts=True)

    def _thread(self, thread):
        dsq_id = thread.get(DSQ_ID)
        if not dsq_id:
            self.left_out["threads without a dsq:id, which no post can name"] += 1
            return
        if _flag(thread, "isDeleted"):
            # A thread deleted in Disqus is gone there; its posts go with it, listed.
            self._deleted_threads.add(dsq_id)
            self.left_out["threads deleted in Disqus"] += 1
            return
        link = text_of(thread, f"{NS}link").strip(XML_SPACE)
        record = DiscussionRecord(
            external_id=external_id(dsq_id),
            title=text_of(thread, f"{NS}title").strip(XML_SPACE)
            or link
            or f"Disqus thread {dsq_id}",
            # None for now when unreadable: its first post's date stands in.
            created_at=_parse_time(text_of(thread, f"{NS}createdAt")),
            link=link,
            is_locked=_flag(thread, "isClosed") is True,
        )
        if dsq_id in self._named:
            yield replace(record, created_at=record.created_at or timezone.now())
        else:
            self._threads[dsq_id] = record

    def _post(self, post):
        thread = post.find(f"{NS}thread")
        thread_id = None if thread is None else thread.get(DSQ_ID)
        author = post.find(f"{NS}author")
        name, username = ("", "") if author is None else _author(author)
        created = text_of(post, f"{NS}createdAt")
        message = text_of(post, f"{NS}message")
        dsq_id = post.get(DSQ_ID) or stable_id(thread_id or "", name, created, message)
        if self.damage is not None and self.damage.cut_off(post):
            self.skipped.append(
                Skipped(f"line {self.damage.line(post)}", "cut off by the end of the file")
            )
            return
        if not thread_id:
            self.skipped.append(Skipped(external_id(dsq_id), "it names no thread"))
            return
        if thread_id in self._deleted_threads:
            reason = f"its thread {external_id(thread_id)} was deleted in Disqus"
            self.skipped.append(Skipped(external_id(dsq_id), reason))
            return
        created_at = _parse_time(created)
        waiting = self._threads.pop(thread_id, None)
        if waiting is not None:
            yield replace(waiting, created_at=waiting.created_at or created_at or timezone.now())
        self._named.add(thread_id)
        dated_by_importer = created_at is None
        if dated_by_importer:
            created_at = _thread_time(waiting) or self._previous_at or timezone.now()
        self._previous_at = created_at
        parent = post.find(f"{NS}parent")
        parent_id = None if parent is None else parent.get(DSQ_ID)
        status = _status(post)
        if status == "deleted":
            # Our "deleted" is an author's deletion: text and name are erased.
            body_html, name, username = "", "", ""
        else:
            body_html = sanitize_html(images_as_links(message))
            name = name or ANONYMOUS
        yield PostRecord(
            external_id=external_id(dsq_id),
            discussion_external_id=external_id(thread_id),
            parent_external_id=external_id(parent_id) if parent_id else None,
            author_name=name,
            author_username=username,
            created_at=created_at,
            dated_by_importer=dated_by_importer,
            status=status,
            body=html_to_markdown(body_html),
            body_html=body_html,
        )


def _thread_time(record):
    return None if record is None else record.created_at


def _is_record(element, depth):
    """Whether __iter__ drops this element once handled: every child of the root."""
    return depth == 1


def _status(post):
    spam, deleted = _flag(post, "isSpam"), _flag(post, "isDeleted")
    if spam:
        return "spam"
    if deleted:
        return "deleted"
    # A flag we cannot read (<isSpam>123</isSpam>) leaves the post to a moderator.
    if spam is None or deleted is None:
        return "pending"
    # Not in Disqus's own exports: ours writes it for posts held for moderation.
    if text_of(post, f"{NS}isApproved").strip(XML_SPACE).lower() == "false":
        return "pending"
    return "published"


def _author(author):
    """The author's display name (their name, else their username) and their username."""
    username = text_of(author, f"{NS}username").strip(XML_SPACE)
    return text_of(author, f"{NS}name").strip(XML_SPACE) or username, username


def _flag(element, tag):
    """True or False as the flag says; False when it is absent, None when it is unreadable."""
    value = text_of(element, f"{NS}{tag}").strip(XML_SPACE).lower()
    return {"true": True, "false": False, "": False}.get(value)


def _parse_time(value):
    """Disqus writes UTC as "2013-01-21T18:26:44Z"; a time without a zone is taken as UTC."""
    try:
        moment = datetime.fromisoformat(value.strip(XML_SPACE))
    except ValueError:  # also an empty value: None, for a stand-in
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
