"""A page's trees, each rendered once per version of that tree and kept in the cache.

A write to a busy discussion changes one tree: only that tree is rendered again, and the page is
put together from the others as they were. One query reads the versions of a page's trees, one
cache round trip fetches their fragments, and the missing ones are rendered together.
"""

from itertools import groupby

from .. import selectors
from ..post_rows import tree_versions
from . import cache
from .badges import Badges
from .items import render_fragments


def tree_fragments(thread, ids, viewer, audience, order):
    """The fragment of each of these trees, in this order, as this audience sees it."""
    if audience is None:  # what only this reader sees is rendered for them, and not kept
        return list(_rendered(thread, ids, viewer, order).values())
    versions = dict.fromkeys(ids, 0)  # a tree no write has announced has no row
    versions.update(tree_versions(ids))
    keys = cache.tree_keys(versions, audience, order.name, thread.starter_pk)
    found = cache.read_many(list(keys.values()))
    missing = [tree_id for tree_id in ids if keys[tree_id] not in found]
    rendered = _rendered(thread, missing, viewer, order) if missing else {}
    cache.stats["tree_misses"] += len(rendered)
    cache.store_many({keys[tree_id]: fragment for tree_id, fragment in rendered.items()})
    return [found.get(keys[tree_id]) or rendered[tree_id] for tree_id in ids]


def _rendered(thread, ids, viewer, order):
    """These trees, read and rendered together: {tree_id: Fragment}."""
    entries = selectors.tree_entries(ids, viewer, order)
    query = selectors.query_string(order.name)
    shown = Badges.of(entries, thread.starter_pk)
    trees = {
        tree_id: list(tree)
        for tree_id, tree in groupby(entries, key=lambda entry: entry.node.outline.tree_id)
    }
    fragments = render_fragments(trees.values(), continue_query=query, badges=shown)
    return dict(zip(trees, fragments, strict=True))
