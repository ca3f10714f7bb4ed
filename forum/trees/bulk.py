"""Bulk loads: insert many posts outside every tree, then number them into trees in one pass."""

from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter

from django.db import connection, transaction
from django.db.models import Case, F, PositiveIntegerField, Value, When

from .. import events
from ..models import Post, Thread
from .locks import lock_new_trees, lock_threads

BULK_BATCH_SIZE = 1000  # rows per INSERT or UPDATE: few round trips, far below SQLite's limits
UNPLACED = 0  # tree_id, lft, rght and level of a post not placed yet: django-mptt counts from 1


class UnplacedPostsLeft(RuntimeError):
    pass


@dataclass(slots=True, eq=False)
class Unplaced:
    """An inserted post to place: under another Unplaced, a stored post's pk, or None (a root)."""

    pk: int
    created_at: datetime
    parent: "Unplaced | int | None" = None
    tree_id: int = UNPLACED
    lft: int = UNPLACED
    rght: int = UNPLACED
    level: int = UNPLACED


@contextmanager
def bulk_load():
    """Insert posts in batches outside every tree, then place them, all in one transaction.

    Texts go to the database as they arrive (BulkLoad.insert), so memory holds only what
    placing needs (Unplaced); BulkLoad.place then numbers each thread's new posts in one pass.
    A post still unplaced at the end fails the load: no half-built tree is ever committed.
    """
    with transaction.atomic():
        load = BulkLoad()
        yield load
        if Post.objects.filter(tree_id=UNPLACED).exists():
            raise UnplacedPostsLeft("a bulk load ended with posts it never placed")


class BulkLoad:
    """The writes of one bulk_load(): insert everything first, then place thread by thread."""

    def __init__(self):
        self._locked = None  # threads with unplaced posts, by pk, once placing has begun
        self.touched = defaultdict(set)  # thread pk -> tree_ids that got posts, to announce

    def insert(self, posts, *, batch_size=BULK_BATCH_SIZE):
        """Store new posts without a parent and outside every tree; return them with their pks."""
        if self._locked is not None:
            raise RuntimeError("insert every post before placing any")
        for post in posts:
            post.parent = None
            post.tree_id = post.lft = post.rght = post.level = UNPLACED
        return Post.objects.bulk_create(posts, batch_size=batch_size)

    def discard(self, pks):
        """Remove posts this load inserted and will not place after all."""
        pks = list(pks)
        for start in range(0, len(pks), BULK_BATCH_SIZE):
            # Rows of this uncommitted transaction only, never seen by anyone: not a hard
            # delete of content, and tree_id=UNPLACED keeps every placed post out of reach.
            Post.objects.filter(
                pk__in=pks[start : start + BULK_BATCH_SIZE], tree_id=UNPLACED
            ).delete()

    def place(self, thread, posts, *, batch_size=BULK_BATCH_SIZE):
        """Number a thread's inserted posts into new trees and under stored posts, and write that.

        Siblings follow created_at, then the order of posts.
        """
        thread = self._lock(thread)
        roots, children, replies_to_stored = _hang(posts)
        placed = _number_new_trees(roots, children)
        grafted, gaps = _number_grafts(thread, replies_to_stored, children)
        placed += grafted
        if len(placed) != len(posts):
            raise ValueError("some posts hang from neither a new root nor a stored post: a cycle")
        _open_gaps(gaps)
        _write_tree_fields(placed, batch_size)
        thread.update_counts()
        self.touched[thread.pk].update(spot.tree_id for spot in placed)
        return thread

    def _lock(self, thread):
        """On the first call, take the locks for every thread that has posts to place."""
        if self._locked is None:
            lock_new_trees()
            waiting = Thread.objects.filter(
                pk__in=Post.objects.filter(tree_id=UNPLACED).values("thread_id")
            )
            self._locked = {locked.pk: locked for locked in lock_threads(*waiting)}
        if thread.pk not in self._locked:
            raise ValueError(f"thread {thread.pk} has no posts waiting to be placed")
        return self._locked[thread.pk]


def bulk_insert_posts(*, thread, posts, batch_size=BULK_BATCH_SIZE):
    """Insert unsaved posts of one thread in bulk, computing each tree's fields in one pass.

    A post's parent is None (it starts a new tree), another post of the batch, or a stored post
    of the same thread (the new replies are grafted into its tree). Siblings follow created_at.
    """
    parents = [post.parent for post in posts]
    with bulk_load() as load:
        load.insert(posts, batch_size=batch_size)
        spots = {id(post): Unplaced(post.pk, post.created_at) for post in posts}
        for post, parent in zip(posts, parents, strict=True):
            if parent is None:
                continue
            if id(parent) not in spots and parent.pk is None:
                raise ValueError("a post replies to a post that is neither stored nor inserted")
            spots[id(post)].parent = spots.get(id(parent), parent.pk)
        thread = load.place(thread, list(spots.values()), batch_size=batch_size)
        events.announce(
            events.Write.POSTS_LOADED, threads=[thread], trees=load.touched[thread.pk], posts=posts
        )
    for post, parent in zip(posts, parents, strict=True):
        spot = spots[id(post)]
        post.thread, post.parent = thread, parent
        for name in TREE_COLUMNS:
            setattr(post, name, getattr(spot, name))
    return posts


def _hang(posts):
    """Sort posts into new roots, replies to other new posts, and replies to stored posts."""
    roots, children, replies_to_stored = [], {}, {}
    for post in sorted(posts, key=attrgetter("created_at")):
        if post.parent is None:
            roots.append(post)
        elif isinstance(post.parent, Unplaced):
            children.setdefault(post.parent, []).append(post)
        else:
            replies_to_stored.setdefault(post.parent, []).append(post)
    return roots, children, replies_to_stored


def _number_new_trees(roots, children):
    last_tree_id = Post.objects.order_by("-tree_id").values_list("tree_id", flat=True).first()
    placed = []
    for tree_id, root in enumerate(roots, start=(last_tree_id or 0) + 1):
        _number([root], children, tree_id=tree_id, lft=1, level=0, placed=placed)
    return placed


def _number(tops, children, *, tree_id, lft, level, placed):
    """Number tops and their descendants depth first without recursion; return the next lft."""
    stack = [(post, level) for post in reversed(tops)]
    while stack:
        post, depth = stack.pop()
        if depth is None:  # the second visit: its whole subtree is numbered
            post.rght = lft
        else:
            post.tree_id, post.lft, post.level = tree_id, lft, depth
            placed.append(post)
            stack.append((post, None))
            stack.extend((child, depth + 1) for child in reversed(children.get(post, ())))
        lft += 1
    return lft


def _number_grafts(thread, replies_to_stored, children):
    """Number replies to stored posts into the gaps they will fill, read from fresh parents."""
    pks = sorted(replies_to_stored)
    parents = sorted(
        row
        for start in range(0, len(pks), BULK_BATCH_SIZE)
        for row in Post.objects.filter(pk__in=pks[start : start + BULK_BATCH_SIZE]).values_list(
            "tree_id", "rght", "pk", "thread_id", "level"
        )
    )
    placed, gaps, widened = [], {}, {}
    for tree_id, rght, pk, thread_id, level in parents:
        if thread_id != thread.pk:
            raise ValueError(f"post {pk} belongs to another thread")
        start = rght + widened.get(tree_id, 0)
        end = _number(
            replies_to_stored[pk],
            children,
            tree_id=tree_id,
            lft=start,
            level=level + 1,
            placed=placed,
        )
        gaps.setdefault(tree_id, []).append((rght, end - start))
        widened[tree_id] = widened.get(tree_id, 0) + end - start
    if sum(len(tree_gaps) for tree_gaps in gaps.values()) != len(replies_to_stored):
        raise ValueError("some posts reply to posts that are not stored")
    return placed, gaps


GAPS_PER_UPDATE = 400  # CASE branches per statement, well within every backend's parameter limit


def _open_gaps(gaps):
    """Move each tree's stored bounds right of its gaps by the width inserted up to there."""
    for tree_id, tree_gaps in gaps.items():
        groups = [
            tree_gaps[start : start + GAPS_PER_UPDATE]
            for start in range(0, len(tree_gaps), GAPS_PER_UPDATE)
        ]
        # Rightmost group first: a bound it moves stays right of every gap still to open.
        for group in reversed(groups):
            Post.objects.filter(tree_id=tree_id, rght__gte=group[0][0]).update(
                lft=F("lft") + _widening("lft", group), rght=F("rght") + _widening("rght", group)
            )


def _widening(field, gaps):
    """How far a bound moves: the widths of all the gaps at or left of it."""
    total, steps = 0, []
    for position, width in gaps:
        total += width
        steps.append(When(**{f"{field}__gte": position}, then=Value(total)))
    return Case(*reversed(steps), default=Value(0), output_field=PositiveIntegerField())


TREE_COLUMNS = ("tree_id", "lft", "rght", "level")


def _write_tree_fields(posts, batch_size):
    """Write the placed posts' parents and tree fields by primary key, a batch per statement."""
    quote = connection.ops.quote_name
    columns = [Post._meta.get_field(name).column for name in ("parent", *TREE_COLUMNS)]
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(Post._meta.db_table),
        ", ".join(f"{quote(column)} = %s" for column in columns),
        quote(Post._meta.pk.column),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(posts), batch_size):
            cursor.executemany(
                sql,
                [
                    (_pk_of(post.parent), post.tree_id, post.lft, post.rght, post.level, post.pk)
                    for post in posts[start : start + batch_size]
                ],
            )


def _pk_of(parent):
    return parent.pk if isinstance(parent, Unplaced) else parent
