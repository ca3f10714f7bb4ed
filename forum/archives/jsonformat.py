"""Parley's own archive, written and read here: every field, so nothing is lost.

The archive is JSON Lines: a first line {"format": "parley", "version": 3, "site": <this site's
id>, "scope": "site" or "discussion"}, then one JSON object per line, each discussion
({"type": "discussion", ...} with its thread's fields and its article) before the posts
({"type": "post", ...} with its external id, its parent's, its author's name and account, its
times (and whether its date was an importer's stand-in), its status, its Markdown source, its
rendered HTML and its votes), posts in tree order.
An export of the whole site then lists the reports, bans and audit log (forum.archives.history).
Version 2 files (no site, no votes, no history) still import.

Why lines rather than one JSON document: reading a document takes all of it into memory at
once (1.2 GB for a 343 MB export) or a streaming parser, one more dependency; one object a line
streams with the standard library in the memory of one post, names the line of any error, and
each line is still plain JSON that any JSON tool reads.

Ids are the stored external ids, so a thread moved between sites keeps answering to its Disqus
or WordPress ids; what was written here gets "parley:thread:<pk>" and "parley:post:<pk>".
"""

import json
from datetime import UTC, datetime

from ..models import Post, this_site_id
from . import ImportFailed, history
from .localids import SOURCE, post_external_id, thread_external_id
from .records import ArticleRecord, DiscussionRecord, PostRecord

FORMAT = "parley"
VERSION = 3
READABLE = (2, 3)  # version 2: before site ids, votes and the moderation history
MB = 1024 * 1024
READ_SIZE = MB  # bytes per read, so the progress bar moves while a file is read
MAX_LINE_SIZE = 64 * MB  # no post is that long: past it, the file is not one of ours
KINDS = {2: ("discussion", "post"), 3: ("discussion", "post", *history.KINDS)}
SCOPES = ("site", "discussion")


def _time(moment):
    return None if moment is None else moment.astimezone(UTC).isoformat()


def write_json(out, *, threads, posts, whole_site=False):
    """Write threads and their posts to the text stream out, one line each.

    posts must be in tree order and annotated like forum.exporters.exported_posts() does, with
    their votes prefetched. An export of the whole site also carries its moderation history.
    """
    scope = "site" if whole_site else "discussion"
    header = {"format": FORMAT, "version": VERSION, "site": this_site_id(), "scope": scope}
    out.write(_dumps(header) + "\n")
    for thread in threads:
        out.write(_dumps({"type": "discussion", **_discussion(thread)}) + "\n")
    for post in posts:
        out.write(_dumps({"type": "post", **_post(post)}) + "\n")
    if whole_site:
        for item in history.exported_items():
            out.write(_dumps(item) + "\n")


def _dumps(value):
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _discussion(thread):
    return {
        "external_id": thread_external_id(thread.pk, thread.external_id),
        "title": thread.title,
        "slug": thread.slug,
        "created_at": _time(thread.created_at),
        "is_locked": thread.is_locked,
        "lock_reason": thread.lock_reason,
        "article": None if thread.article is None else _article(thread.article),
    }


def _article(article):
    return {
        "title": article.title,
        "slug": article.slug,
        "published_at": _time(article.published_at),
        "lead_image_caption": article.lead_image_caption,
        "lead_image_credit": article.lead_image_credit,
        "body": article.body,
        "byline": article.byline,
        "source": article.source,
    }


def _post(post):
    return {
        "external_id": post_external_id(post.pk, post.external_id),
        "discussion": thread_external_id(post.thread_id, post.discussion_external_id),
        "parent": None
        if post.parent_id is None
        else post_external_id(post.parent_id, post.parent_external_id),
        "author_name": post.author_name,
        "author_username": post.author_username or "",
        "created_at": _time(post.created_at),
        "edited_at": _time(post.edited_at),
        # created_at was an importer's stand-in: the site it moves to must say so too.
        "dated_by_importer": post.dated_by_importer,
        "status": post.status,
        "body": post.body,
        "body_html": post.body_html,
        # The account is this site's; another site keeps only the names and the totals.
        "author_id": post.author_id,
        "upvotes": post.upvotes,
        "downvotes": post.downvotes,
        "votes": [
            {"user_id": vote.user_id, "value": vote.value, "created_at": _time(vote.created_at)}
            for vote in post.votes.all()
        ],
    }


class ParleyJSON:
    """The records of one Parley JSON archive, read a line at a time."""

    source = SOURCE

    def __init__(self, file):
        self.file = file
        self.skipped = []  # nothing: a line that cannot be read refuses the whole file
        self.lines = ((number, line) for number, line in _lines(file) if line.strip())
        header = _check_header(next(self.lines, None))
        self.version = header["version"]
        # The id of the site that wrote the file: None for a version 2 file.
        self.site = _Fields(header, "line 1").get("site", str, default=None)
        self.scope = _Fields(header, "line 1").get("scope", str, default=None, choices=SCOPES)

    def __iter__(self):
        for number, line in self.lines:
            fields = _Fields(_parse(number, line), f"line {number}")
            kind = fields.get("type", str, choices=KINDS[self.version])
            if kind == "discussion":
                yield _read_discussion(fields)
            elif kind == "post":
                yield _read_post(fields)
            else:
                yield history.read(kind, fields)


def _lines(file):
    """Yield (line number, bytes) for each line of file, read in blocks."""
    number, pending = 0, []
    while block := file.read(READ_SIZE):
        start = 0
        while (end := block.find(b"\n", start)) != -1:
            number += 1
            yield number, b"".join([*pending, block[start:end]])
            pending, start = [], end + 1
        pending.append(block[start:])
        if sum(map(len, pending)) > MAX_LINE_SIZE:
            raise ImportFailed(
                f"line {number + 1} is longer than {MAX_LINE_SIZE // MB} MB: "
                "not a Parley JSON archive"
            )
    if any(pending):
        yield number + 1, b"".join(pending)


def _parse(number, line):
    try:
        return json.loads(line.decode("utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError:
        raise ImportFailed(f"malformed JSON at line {number}: it is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise ImportFailed(
            f"malformed JSON at line {number}, column {error.colno}: {error.msg}"
        ) from None
    except ValueError as error:  # e.g. a number with more digits than Python will read
        raise ImportFailed(f"malformed JSON at line {number}: {error}") from None
    except RecursionError:
        raise ImportFailed(f"refused: the JSON at line {number} is nested too deeply") from None


def _check_header(first_line):
    try:
        header = None if first_line is None else _parse(*first_line)
    except ImportFailed:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ImportFailed(
            'not a Parley JSON archive: its first line is not {"format": "parley", ...}'
        )
    if header.get("version") not in READABLE:
        raise ImportFailed(
            f"unsupported Parley JSON version {header.get('version')!r}; "
            f"this site reads versions {READABLE[0]} to {READABLE[-1]}"
        )
    return header


class _Fields:
    """One JSON object's fields, each checked for its type with an error naming where it is."""

    def __init__(self, item, where):
        if not isinstance(item, dict):
            raise ImportFailed(f"{where} must be an object")
        self.item, self.where = item, where

    def get(self, key, kind, *, default=..., choices=None):
        if key not in self.item or (self.item[key] is None and default is None):
            if default is ...:
                raise ImportFailed(f'{self.where} lacks "{key}"')
            return default
        value = self.item[key]
        if not isinstance(value, kind) or (choices is not None and value not in choices):
            raise ImportFailed(f'{self.where}: "{key}" has an unexpected value {value!r:.80}')
        return value

    def time(self, key, *, default=...):
        value = self.get(key, str, default=default)
        if value is None:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ImportFailed(
                f'{self.where}: "{key}" is not a date and time: {value!r:.80}'
            ) from None
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment

    def external_id(self):
        value = self.get("external_id", str)
        origin, _, local_id = value.partition(":")
        if not (origin and local_id):
            raise ImportFailed(
                f'{self.where}: "external_id" is not "<source>:<id>": {value!r:.80}'
            )
        return value

    def count(self, key):
        value = self.get(key, int, default=0)
        if isinstance(value, bool) or value < 0:
            raise ImportFailed(f'{self.where}: "{key}" is not a count: {value!r:.80}')
        return value

    def list_of(self, key):
        """The objects of a list field, each as fields of their own."""
        values = self.get(key, list, default=[])
        return [_Fields(value, f"{self.where}.{key}[{n}]") for n, value in enumerate(values)]

    def account(self, key):
        """An account as {"id": its id on the site that wrote the file, "name": ...}, or None."""
        value = self.nested(key)
        if value is None:
            return None
        return history.Account(value.get("id", int, default=None), value.get("name", str))

    def nested(self, key):
        value = self.get(key, dict, default=None)
        return None if value is None else _Fields(value, f"{self.where}.{key}")


def _read_discussion(fields):
    article = fields.nested("article")
    return DiscussionRecord(
        external_id=fields.external_id(),
        title=fields.get("title", str),
        created_at=fields.time("created_at"),
        slug=fields.get("slug", str, default=""),
        is_locked=fields.get("is_locked", bool, default=False),
        lock_reason=fields.get("lock_reason", str, default=""),
        article=None if article is None else _read_article(article),
    )


def _read_article(fields):
    return ArticleRecord(
        title=fields.get("title", str),
        slug=fields.get("slug", str),
        published_at=fields.time("published_at"),
        body=fields.get("body", str),
        lead_image_caption=fields.get("lead_image_caption", str, default=""),
        lead_image_credit=fields.get("lead_image_credit", str, default=""),
        byline=fields.get("byline", str, default=""),
        source=fields.get("source", str, default=""),
    )


def _read_post(fields):
    return PostRecord(
        external_id=fields.external_id(),
        discussion_external_id=fields.get("discussion", str),
        parent_external_id=fields.get("parent", str, default=None),
        author_name=fields.get("author_name", str),
        author_username=fields.get("author_username", str, default=""),
        created_at=fields.time("created_at"),
        edited_at=fields.time("edited_at", default=None),
        dated_by_importer=fields.get("dated_by_importer", bool, default=False),
        status=fields.get("status", str, choices=Post.Status.values),
        body=fields.get("body", str),
        # Sanitised again by the loader, like every imported HTML.
        body_html=fields.get("body_html", str, default=None),
        extra=_account_data(fields),
    )


def _account_data(fields):
    """What only this site can use (its accounts), and the vote totals any site keeps."""
    return {
        "author_id": fields.get("author_id", int, default=None),
        "upvotes": fields.count("upvotes"),
        "downvotes": fields.count("downvotes"),
        "votes": [_read_vote(vote) for vote in fields.list_of("votes")],
    }


def _read_vote(fields):
    return (
        fields.get("user_id", int, default=None),
        fields.get("value", int, choices=(1, -1)),
        fields.time("created_at"),
    )
