"""Parley's own JSON archive, written and read here: every field, so nothing is lost.

{"format": "parley", "version": 1, "discussions": [...], "posts": [...]}: each discussion with
its thread's fields and its article, each post with its external id, its parent's, its author,
its times, its status, its Markdown source and its rendered HTML. Posts come in tree order.
Ids are the stored external ids, so a thread moved between sites keeps answering to its Disqus
or WordPress ids; what was written here gets "parley:thread:<pk>" and "parley:post:<pk>".
"""

import json
from collections import Counter
from datetime import UTC, datetime

from ..models import Post
from . import ImportFailed
from .records import ArticleRecord, DiscussionRecord, PostRecord

SOURCE = "parley"
FORMAT = "parley"
VERSION = 1


def thread_external_id(pk, external_id):
    return external_id or f"{SOURCE}:thread:{pk}"


def post_external_id(pk, external_id):
    return external_id or f"{SOURCE}:post:{pk}"


def _time(moment):
    return None if moment is None else moment.astimezone(UTC).isoformat()


def write_json(out, *, threads, posts):
    """Write threads and their posts to the text stream out, one post at a time.

    posts must be in tree order and annotated like forum.exporters.exported_posts() does.
    """
    out.write(f'{{"format": "{FORMAT}", "version": {VERSION},\n"discussions": [')
    for index, thread in enumerate(threads):
        out.write(("," if index else "") + "\n" + _dumps(_discussion(thread)))
    out.write('\n],\n"posts": [')
    for index, post in enumerate(posts):
        out.write(("," if index else "") + "\n" + _dumps(_post(post)))
    out.write("\n]}\n")


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
        "status": post.status,
        "body": post.body,
        "body_html": post.body_html,
    }


class ParleyJSON:
    """The records of one Parley JSON archive (read whole: it is our own, compact format)."""

    source = SOURCE

    def __init__(self, file):
        self.file = file
        self.skipped = Counter()

    def __iter__(self):
        document = _load(self.file)
        for index, item in enumerate(_list(document, "discussions")):
            yield _read_discussion(_Fields(item, f"discussions[{index}]"))
        for index, item in enumerate(_list(document, "posts")):
            yield _read_post(_Fields(item, f"posts[{index}]"))


def _load(file):
    try:
        document = json.load(file)
    except json.JSONDecodeError as error:
        raise ImportFailed(
            f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except UnicodeDecodeError:
        raise ImportFailed("malformed JSON: the file is not UTF-8 text") from None
    except ValueError as error:  # e.g. a number with more digits than Python will read
        raise ImportFailed(f"malformed JSON: {error}") from None
    except RecursionError:
        raise ImportFailed("refused: the JSON is nested too deeply") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportFailed('not a Parley JSON archive: "format" is not "parley"')
    if document.get("version") != VERSION:
        raise ImportFailed(
            f"unsupported Parley JSON version {document.get('version')!r}; "
            f"this site reads version {VERSION}"
        )
    return document


def _list(document, key):
    value = document.get(key, [])
    if not isinstance(value, list):
        raise ImportFailed(f'"{key}" must be a list')
    return value


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

    def nested(self, key):
        value = self.get(key, dict, default=None)
        return None if value is None else _Fields(value, f"{self.where}.{key}")


def _read_discussion(fields):
    article = fields.nested("article")
    return DiscussionRecord(
        external_id=fields.get("external_id", str),
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
        external_id=fields.get("external_id", str),
        discussion_external_id=fields.get("discussion", str),
        parent_external_id=fields.get("parent", str, default=None),
        author_name=fields.get("author_name", str),
        author_username=fields.get("author_username", str, default=""),
        created_at=fields.time("created_at"),
        edited_at=fields.time("edited_at", default=None),
        status=fields.get("status", str, choices=Post.Status.values),
        body=fields.get("body", str),
        # Sanitised again by the loader, like every imported HTML.
        body_html=fields.get("body_html", str, default=None),
    )
