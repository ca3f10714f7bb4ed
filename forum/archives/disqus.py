"""The Disqus front end: a Disqus XML export, streamed, as neutral import records.

An export holds <category> elements, then every <thread>, then every <post>; a post names its
thread and its parent by dsq:id, and a reply may come before its parent.
"""

from collections import Counter
from datetime import UTC, datetime

from ..markdown import sanitize_html
from .htmltext import html_to_markdown
from .records import DiscussionRecord, PostRecord
from .xmlsafety import XML_SPACE, text_of, xml_events

SOURCE = "disqus"
NAMESPACE = "http://disqus.com"
INTERNALS_NAMESPACE = "http://disqus.com/disqus-internals"
NS = f"{{{NAMESPACE}}}"
DSQ_ID = f"{{{INTERNALS_NAMESPACE}}}id"
ANONYMOUS = "Anonymous"


def external_id(dsq_id):
    return f"{SOURCE}:{dsq_id}"


class DisqusExport:
    """The records of one export file, read once; skipped counts why anything was left out."""

    source = SOURCE

    def __init__(self, file):
        self.file = file
        self.skipped = Counter()
        self._deleted_threads = set()

    def __iter__(self):
        events = xml_events(self.file, expected_root=f"{NS}disqus", is_record=_is_record)
        for event, element, depth in events:
            if event == "start" and depth == 0:
                root = element
            elif event == "end" and depth == 1:
                if element.tag == f"{NS}thread":
                    yield from self._discussion(element)
                elif element.tag == f"{NS}post":
                    yield from self._post(element)
                # Handled: drop it, so memory holds one thread or post at a time.
                root.clear()

    def _discussion(self, thread):
        dsq_id = thread.get(DSQ_ID)
        if not dsq_id:
            self.skipped["threads without a dsq:id"] += 1
            return
        if _flag(thread, "isDeleted"):
            # A thread deleted in Disqus is gone there; its posts go with it, counted.
            self._deleted_threads.add(dsq_id)
            self.skipped["deleted threads"] += 1
            return
        created_at = _parse_time(text_of(thread, f"{NS}createdAt"))
        if created_at is None:
            self.skipped["threads with an unreadable createdAt"] += 1
            return
        link = text_of(thread, f"{NS}link").strip(XML_SPACE)
        yield DiscussionRecord(
            external_id=external_id(dsq_id),
            title=text_of(thread, f"{NS}title").strip(XML_SPACE)
            or link
            or f"Disqus thread {dsq_id}",
            created_at=created_at,
            link=link,
            is_locked=_flag(thread, "isClosed"),
        )

    def _post(self, post):
        dsq_id = post.get(DSQ_ID)
        thread = post.find(f"{NS}thread")
        thread_id = None if thread is None else thread.get(DSQ_ID)
        if not dsq_id or not thread_id:
            self.skipped["posts without a dsq:id or a thread"] += 1
            return
        if thread_id in self._deleted_threads:
            self.skipped["posts in deleted threads"] += 1
            return
        created_at = _parse_time(text_of(post, f"{NS}createdAt"))
        if created_at is None:
            self.skipped["posts with an unreadable createdAt"] += 1
            return
        parent = post.find(f"{NS}parent")
        parent_id = None if parent is None else parent.get(DSQ_ID)
        status = _status(post)
        author = post.find(f"{NS}author")
        name, username = ("", "") if author is None else _author(author)
        if status == "deleted":
            # Our "deleted" is an author's deletion: text and name are erased.
            body_html, name, username = "", "", ""
        else:
            body_html = sanitize_html(text_of(post, f"{NS}message"))
            name = name or ANONYMOUS
        yield PostRecord(
            external_id=external_id(dsq_id),
            discussion_external_id=external_id(thread_id),
            parent_external_id=external_id(parent_id) if parent_id else None,
            author_name=name,
            author_username=username,
            created_at=created_at,
            status=status,
            body=html_to_markdown(body_html),
            body_html=body_html,
        )


def _is_record(element, depth):
    """Whether __iter__ drops this element once handled: every child of the root."""
    return depth == 1


def _status(post):
    if _flag(post, "isSpam"):
        return "spam"
    if _flag(post, "isDeleted"):
        return "deleted"
    # Not in Disqus's own exports: ours writes it for posts held for moderation.
    if text_of(post, f"{NS}isApproved").strip(XML_SPACE) == "false":
        return "pending"
    return "published"


def _author(author):
    """The author's display name (their name, else their username) and their username."""
    username = text_of(author, f"{NS}username").strip(XML_SPACE)
    return text_of(author, f"{NS}name").strip(XML_SPACE) or username, username


def _flag(element, tag):
    return text_of(element, f"{NS}{tag}").strip(XML_SPACE).lower() == "true"


def _parse_time(value):
    """Disqus writes UTC as "2013-01-21T18:26:44Z"; a time without a zone is taken as UTC."""
    try:
        moment = datetime.fromisoformat(value.strip(XML_SPACE))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
