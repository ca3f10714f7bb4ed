"""The WordPress front end: a WXR 1.0, 1.1 or 1.2 export, streamed, as neutral import records.

WXR is RSS: <rss><channel> holds the blog's own fields, then one <item> per post or page, each
ending with its <wp:comment> elements. An item becomes a discussion only when it has comments
to import; pingbacks and trackbacks are skipped and listed. Every other comment is kept, with
a stand-in for what it lacks (its id, its date, its item's id).
"""

import functools
import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, unquote, urlsplit

from django.utils import timezone

from ..markdown import sanitize_html
from .htmltext import html_to_markdown, images_as_links
from .placement import Skipped
from .records import DiscussionRecord, PostRecord
from .xmlsafety import XML_SPACE, stable_id, xml_events

SOURCE = "wordpress"
# WXR 1.0 to 1.2, under http:// as older WordPress wrote it and https:// as current WordPress
# does; the version does not change the fields we read.
WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/1\.[012]/$")
CONTENT_NAMESPACE = re.compile(r"^https?://purl\.org/rss/1\.0/modules/content/$")
LOOKED_FOR = (
    "<wp:comment> elements inside <item>, with wp: bound to "
    "http(s)://wordpress.org/export/1.0/, 1.1/ or 1.2/"
)
STATUSES = {"1": "published", "0": "pending", "spam": "spam", "trash": "removed"}
STATUSES["post-trashed"] = "removed"  # trashed with its post: kept for a moderator, not shown
PING_TYPES = {"pingback", "trackback"}
ZERO_DATE = "0000-00-00 00:00:00"
ANONYMOUS = "Anonymous"
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
BLOCK_START = re.compile(r"<(p|div|blockquote|ul|ol|pre|hr|h[1-6])[\s>/]", re.IGNORECASE)
POST_NUMBER = re.compile(r"^[0-9]+$")


@functools.lru_cache(maxsize=256)
def _name(tag):
    """A tag as the export spells it, e.g. "wp:comment_id", whichever WXR version it is.

    Kept per tag: a file has a few dozen distinct tags, asked about some 35 times a comment."""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        if WP_NAMESPACE.match(namespace):
            return f"wp:{local}"
        if CONTENT_NAMESPACE.match(namespace):
            return f"content:{local}"
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
    """The records of one WXR file, read once; skipped lists what was left out, and why."""

    source = SOURCE
    looked_for = LOOKED_FOR

    def __init__(self, file, *, damage=None):
        self.file = file
        self.damage = damage  # None: strict; else the lenient reader's notes
        self.skipped = []
        self.comment_elements = 0  # every <wp:comment> met, stored or not
        self._site = ""
        self._previous_at = None  # the last comment's date, for one that has none
        self._item_of = {}  # comment number -> the item number it first came in
        self._renamed = {}  # in the current item: a repeated comment number -> its own id

    def __iter__(self):
        channel = entry = item = None
        events = xml_events(
            self.file, expected_root="rss", is_record=_is_record, damage=self.damage
        )
        for event, element, depth in events:
            if event == "start":
                if depth == 1:
                    channel = element
                elif depth == 2:
                    entry = element
                    if element.tag == "item":
                        item, discussion_sent = element, False
                        self._renamed = {}
            elif depth == 3 and _name(element.tag) == "wp:comment":
                self.comment_elements += 1
                post = self._read_comment(element, item)
                if isinstance(post, PostRecord):
                    if not discussion_sent:
                        yield self._discussion(_fields(item), post.created_at)
                        discussion_sent = True
                    yield post
                else:
                    self.skipped.append(post)
                entry.remove(element)
            elif depth == 2:
                if element is item:
                    item = None
                else:
                    self._read_channel_field(element)
                # Handled: drop it, so memory holds one item (without its comments) at a time.
                channel.clear()

    def _read_comment(self, comment, item):
        """The comment's record, else why it is skipped."""
        if self.damage is not None and self.damage.cut_off(comment):
            return Skipped(f"line {self.damage.line(comment)}", "cut off by the end of the file")
        if item is None:
            return Skipped("a <wp:comment> outside any <item>", "it belongs to no post")
        return self._post(comment, _fields(item))

    def _read_channel_field(self, element):
        name = _name(element.tag)
        if name == "wp:base_blog_url" or (name == "link" and not self._site):
            site = (element.text or "").strip(XML_SPACE)
            self._site = re.sub(r"^[a-z]+://", "", site, flags=re.IGNORECASE).rstrip("/")

    def external_id(self, number):
        return f"{SOURCE}:{self._site}:{number}" if self._site else f"{SOURCE}:{number}"

    def _post_number(self, fields):
        """The item's wp:post_id, else the ?p= or ?page_id= of its guid or link, else a
        number derived from its guid or link: the same item always gets the same one."""
        number = fields.get("wp:post_id", "").strip(XML_SPACE)
        if number:
            return number
        addresses = [fields.get(name, "").strip(XML_SPACE) for name in ("guid", "link")]
        for address in addresses:
            query = parse_qs(urlsplit(address).query)
            for key in ("p", "page_id"):
                if POST_NUMBER.match(query.get(key, [""])[0]):
                    return query[key][0]
        return stable_id(*addresses, fields.get("title", ""))

    def _number(self, fields, item_fields, discussion_id, author, content):
        """The comment's wp:comment_id, else one derived from what it says. A number met
        before in another item (files merged from several blogs repeat them) is a different
        comment: it is told apart by its item's number, so a re-import finds it again."""
        number = fields.get("wp:comment_id", "").strip(XML_SPACE)
        if not number:
            return stable_id(discussion_id, author, fields.get("wp:comment_date", ""), content)
        post_number = self._post_number(item_fields)
        first_item = self._item_of.setdefault(number, post_number)
        if first_item != post_number:
            self._renamed[number] = f"{number}-in-{post_number}"
            return self._renamed[number]
        return number

    def _discussion(self, fields, first_comment_at):
        link = fields.get("link", "").strip(XML_SPACE)
        return DiscussionRecord(
            external_id=self.external_id(self._post_number(fields)),
            title=fields.get("title", "").strip(XML_SPACE) or link or "Untitled",
            created_at=_time(fields, "wp:post_date") or first_comment_at,
            link=link,
            # WordPress percent-encodes non-ASCII slugs; the loader makes ours from either.
            slug=unquote(fields.get("wp:post_name", "").strip(XML_SPACE)),
            is_locked=fields.get("wp:comment_status", "").strip(XML_SPACE) == "closed",
        )

    def _post(self, comment, item_fields):
        """The comment's record, or why it is skipped."""
        fields = _fields(comment)
        discussion_id = self.external_id(self._post_number(item_fields))
        author = fields.get("wp:comment_author", "").strip(XML_SPACE)
        content = fields.get("wp:comment_content", "")
        number = self._number(fields, item_fields, discussion_id, author, content)
        kind = fields.get("wp:comment_type", "").strip(XML_SPACE)
        if kind in PING_TYPES:
            return Skipped(self.external_id(number), f"a {kind}, not a comment")
        created_at = _time(fields, "wp:comment_date")
        dated_by_importer = created_at is None
        if dated_by_importer:
            created_at = _time(item_fields, "wp:post_date") or self._previous_at or timezone.now()
        self._previous_at = created_at
        parent = fields.get("wp:comment_parent", "").strip(XML_SPACE)
        approved = fields.get("wp:comment_approved", "").strip(XML_SPACE)
        body_html = sanitize_html(images_as_links(paragraphs(content)))
        return PostRecord(
            external_id=self.external_id(number),
            discussion_external_id=discussion_id,
            parent_external_id=(
                None
                if parent in ("", "0")
                else self.external_id(self._renamed.get(parent, parent))
            ),
            author_name=author or ANONYMOUS,
            created_at=created_at,
            dated_by_importer=dated_by_importer,
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
