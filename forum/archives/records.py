"""The neutral records every import front end yields and the one loader consumes.

A front end (the seed parser, Disqus XML, WordPress WXR, our JSON) turns its format into a
stream of DiscussionRecord and PostRecord items; nothing downstream knows the format.
"""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class ArticleRecord:
    title: str
    slug: str
    published_at: datetime
    body: str
    lead_image_caption: str = ""
    lead_image_credit: str = ""
    byline: str = ""
    source: str = ""


@dataclass(frozen=True)
class DiscussionRecord:
    external_id: str
    title: str
    created_at: datetime
    link: str = ""
    slug: str = ""
    is_locked: bool = False
    article: ArticleRecord | None = None
    lock_reason: str = ""
    # A thread no post of the archive names: stored only to go with its article, if that exists.
    without_posts: bool = False


@dataclass(frozen=True)
class PostRecord:
    external_id: str
    discussion_external_id: str
    parent_external_id: str | None
    author_name: str
    created_at: datetime
    status: str
    # Markdown source; imports of HTML keep the sanitised HTML in body_html as well.
    body: str
    body_html: str | None = None
    author_username: str = ""
    edited_at: datetime | None = None
    # The archive gave no readable date: created_at is the importer's stand-in.
    dated_by_importer: bool = False
    extra: dict = field(default_factory=dict, compare=False)
