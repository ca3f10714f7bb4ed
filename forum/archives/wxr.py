"""The WordPress front end: a WXR 1.0, 1.1 or 1.2 export, streamed, as neutral import records.

WXR is RSS: <rss><channel> holds the blog's own fields, then one <item> per post or page, each
ending with its <wp:comment> elements. An item becomes a discussion only when it has comments
to import; pingbacks and trackbacks are skipped and counted.
"""

import re
from collections import Counter
from datetime import UTC, datetime
from urllib.parse import unquote

from django.utils.text import slugify

from ..markdown import sanitize_html
from .htmltext import html_to_markdown
from .records import DiscussionRecord, PostRecord
from .xmlsafety import XML_SPACE, xml_events

SOURCE = "wordpress"
PREFIXES = {
    "http://wordpress.org/export/1.0/": "wp",
    "http://wordpress.org/export/1.1/": "wp",
    "http://wordpress.org/export/1.2/": "wp",
    "http://purl.org/rss/1.0/modules/content/": "content",
}
STATUSES = {"1": "published", "0": "pending", "spam": "spam", "trash": "removed"}
STATUSES["post-trashed"] = "removed"  # trashed with its post: kept for a moderator, not shown
COMMENT_TYPES = {"", "comment"}
PING_TYPES = {"pingback", "trackback"}
ZERO_DATE = "0000-00-00 00:00:00"
ANONYMOUS = "Anonymous"
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
BLOCK_START = re.compile(r"<(p|div|blockquote|ul|ol|pre|hr|h[1-6])[\s>/]", re.IGNORECASE)


def _name(tag):
    """A tag as the export spells it, e.g. "wp:comment_id", whichever WXR version it is."""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        prefix = PREFIXES.get(namespace)
        return f"{prefix}:{local}" if prefix else tag
    return tag


def _is_record(element, depth):
    """Whether __iter__ drops this element once handled: each item or channel field, and each
    comment in one."""
    return depth == 2 or (depth == 3 and _name(element.tag) == "wp:comment")


def _fields(element):
    """The text of element's children by name; the first of a repeated name wins."""
    fields = {}
    for child in element:
        fields.setdefault(_name(child.tag), child.text or "")
    return fields


class WordPressExport:
    """The records of one WXR file, read once; skipped counts why anything was left out."""

    source = SOURCE

    def __init__(self, file):
        self.file = file
        self.skipped = Counter()
        self._site = ""

    def __iter__(self):
        channel = entry = item = None
        for event, element, depth in xml_events(
            self.file, expected_root="rss", is_record=_is_record
        ):
            if event == "start":
                if depth == 1:
                    channel = element
                elif depth == 2:
                    entry = element
                    if element.tag == "item":
                        item, discussion_sent = element, False
            elif depth == 3 and _name(element.tag) == "wp:comment":
                if item is not None:
                    item_fields = _fields(item)
                    post = self._post(element, item_fields)
                    if post is not None:
                        if not discussion_sent:
                            yield self._discussion(item_fields, post.created_at)
                            discussion_sent = True
                        yield post
                entry.remove(element)  # a comment outside an item is dropped unread
            elif depth == 2:
                if element is item:
                    item = None
                else:
                    self._read_channel_field(element)
                # Handled: drop it, so memory holds one item (without its comments) at a time.
                channel.clear()

    def _read_channel_field(self, element):
        name = _name(element.tag)
        if name == "wp:base_blog_url" or (name == "link" and not self._site):
            site = (element.text or "").strip(XML_SPACE)
            self._site = re.sub(r"^[a-z]+://", "", site, flags=re.IGNORECASE).rstrip("/")

    def external_id(self, number):
        return f"{SOURCE}:{self._site}:{number}" if self._site else f"{SOURCE}:{number}"

    def _discussion(self, fields, first_comment_at):
        link = fields.get("link", "").strip(XML_SPACE)
        return DiscussionRecord(
            external_id=self.external_id(fields["wp:post_id"].strip(XML_SPACE)),
            title=fields.get("title", "").strip(XML_SPACE) or link or "Untitled",
            created_at=_time(fields, "wp:post_date") or first_comment_at,
            link=link,
            # WordPress percent-encodes non-ASCII slugs; ours are ASCII, else made from the title.
            slug=slugify(unquote(fields.get("wp:post_name", "").strip(XML_SPACE))),
            is_locked=fields.get("wp:comment_status", "").strip(XML_SPACE) == "closed",
        )

    def _post(self, comment, item_fields):
        """The comment's record, or None when it is skipped (and counted)."""
        fields = _fields(comment)
        kind = fields.get("wp:comment_type", "").strip(XML_SPACE)
        if kind in PING_TYPES:
            self.skipped[f"{kind}s"] += 1
            return None
        if kind not in COMMENT_TYPES:
            self.skipped[f"comments of type {kind!r}"] += 1
            return None
        number = fields.get("wp:comment_id", "").strip(XML_SPACE)
        post_number = item_fields.get("wp:post_id", "").strip(XML_SPACE)
        if not number or not post_number:
            self.skipped["comments without a wp:comment_id or wp:post_id"] += 1
            return None
        created_at = _time(fields, "wp:comment_date")
        if created_at is None:
            self.skipped["comments with an unreadable date"] += 1
            return None
        parent = fields.get("wp:comment_parent", "").strip(XML_SPACE)
        approved = fields.get("wp:comment_approved", "").strip(XML_SPACE)
        body_html = sanitize_html(paragraphs(fields.get("wp:comment_content", "")))
        return PostRecord(
            external_id=self.external_id(number),
            discussion_external_id=self.external_id(post_number),
            parent_external_id=None if parent in ("", "0") else self.external_id(parent),
            author_name=fields.get("wp:comment_author", "").strip(XML_SPACE) or ANONYMOUS,
            created_at=created_at,
            # A state we do not know waits for a moderator rather than showing.
            status=STATUSES.get(approved, "pending"),
            body=html_to_markdown(body_html),
            body_html=body_html,
        )


def _time(fields, name):
    """The GMT time of a date field, else its local time read as UTC, else None.

    WordPress leaves the GMT field at 0000-00-00 00:00:00 for some comments, and WXR does not
    say which time zone the local field is in, so UTC is the best we can do.
    """
    for value in (fields.get(f"{name}_gmt", ""), fields.get(name, "")):
        value = value.strip(XML_SPACE)
        if value and value != ZERO_DATE:
            try:
                return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
            except ValueError:
                continue
    return None


def paragraphs(text):
    """WordPress-style paragraphs: blank lines part paragraphs, single newlines break lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = []
    for chunk in PARAGRAPH_BREAK.split(text):
        chunk = chunk.strip("\n ")
        if not chunk:
            continue
        if BLOCK_START.match(chunk):
            blocks.append(chunk)
        else:
            blocks.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(blocks)
