"""A discussion's HTML: a shared fragment per audience, cached, with each reader's footers.

items.py writes the HTML every reader of an audience shares (plain f-strings: a page shows
hundreds of posts), cut where each post's footer goes (fragments.py); footers.py writes those
footers for one reader per request; cache.py keeps fragments under the thread's version;
pages.py puts it together for the views, responses.py keeps anonymous readers' pages whole,
with validators and compression, and frames.py keeps the template page around a discussion for
logged-in readers, with each reader's own parts rendered per request.
"""

from .pages import page_asked, post_discussion, shown_tree_ids_for, thread_discussion
from .responses import discussion_response, render_discussion_page

__all__ = [
    "discussion_response",
    "page_asked",
    "post_discussion",
    "render_discussion_page",
    "shown_tree_ids_for",
    "thread_discussion",
]
