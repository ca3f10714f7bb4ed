"""Every write to the discussion trees, the locks it takes, and the check that trees are valid.

django-mptt keeps lft, rght, level and tree_id denormalised on each post, and its own README
warns that concurrent writers working from stale values corrupt a tree. So nothing outside this
module inserts, moves or bulk-creates posts, or updates their tree fields.

Locks, always taken in this order within one transaction:
1. the new-tree lock, when a tree_id is allocated (a root post, a split, a bulk load);
2. the rows of the threads touched, by ascending primary key.
A tree belongs to exactly one thread, so the thread's row lock guards its trees. On SQLite the
IMMEDIATE transaction mode already serialises every writer; the row locks are then no-ops.
"""

from dataclasses import dataclass

from django.db import connection, transaction

from .models import Post, Thread

NEW_TREE_LOCK_KEY = 7_285_301  # arbitrary, fixed: the advisory lock for tree_id allocation


class TreeWriteOutsideTransaction(RuntimeError):
    pass


def _require_transaction():
    if not connection.in_atomic_block:
        raise TreeWriteOutsideTransaction("tree writes must run inside transaction.atomic()")


def lock_new_trees():
    """Serialise tree_id allocation, which django-mptt does as max(tree_id) + 1."""
    _require_transaction()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [NEW_TREE_LOCK_KEY])


def lock_threads(*threads):
    """Lock the threads' rows until the transaction ends, and return them freshly read."""
    _require_transaction()
    pks = sorted({thread.pk for thread in threads})
    locked = {
        thread.pk: thread
        for thread in Thread.objects.select_for_update().filter(pk__in=pks).order_by("pk")
    }
    return [locked[thread.pk] for thread in threads]


def insert_post(post):
    """Save a new post as the last reply to its parent, or as the root of a new tree."""
    with transaction.atomic():
        if post.parent_id is None:
            lock_new_trees()
        (post.thread,) = lock_threads(post.thread)
        if post.parent_id is not None:
            # The parent's lft/rght may have moved since it was read: insert from fresh values.
            post.parent = Post.objects.get(pk=post.parent_id)
        post.save()
        post.thread.update_counts()
    return post


@dataclass(frozen=True)
class Fault:
    tree_id: int
    post_id: int | None
    message: str

    def __str__(self):
        where = f"post {self.post_id}" if self.post_id else "tree"
        return f"tree {self.tree_id}, {where}: {self.message}"


TREE_FIELDS = ("pk", "parent_id", "thread_id", "tree_id", "lft", "rght", "level")


def tree_faults(posts=None):
    """Check every tree (or the trees of the given posts queryset) and list what is wrong."""
    queryset = Post.objects.all() if posts is None else posts
    rows = queryset.order_by("tree_id", "lft").values_list(*TREE_FIELDS)
    faults = []
    current_tree, tree_rows = None, []
    for row in rows.iterator(chunk_size=5000):
        if row[3] != current_tree and tree_rows:
            faults.extend(_faults_in_tree(current_tree, tree_rows))
            tree_rows = []
        current_tree = row[3]
        tree_rows.append(row)
    if tree_rows:
        faults.extend(_faults_in_tree(current_tree, tree_rows))
    return faults


def _faults_in_tree(tree_id, rows):
    faults = []
    by_pk = {row[0]: row for row in rows}
    roots = [row for row in rows if row[1] is None]
    if len(roots) != 1:
        faults.append(Fault(tree_id, None, f"has {len(roots)} roots, expected 1"))
    bounds = sorted(value for row in rows for value in (row[4], row[5]))
    if bounds != list(range(1, 2 * len(rows) + 1)):
        faults.append(Fault(tree_id, None, "lft/rght values overlap or leave gaps"))
    # Walking in lft order, the open ancestors form a stack; each node's tightest
    # enclosing interval must be its parent.
    stack = []
    for pk, parent_id, thread_id, _tree, lft, rght, level in rows:
        if lft >= rght:
            faults.append(Fault(tree_id, pk, f"lft {lft} is not below rght {rght}"))
        while stack and stack[-1][5] < lft:
            stack.pop()
        enclosing = stack[-1] if stack else None
        faults.extend(_parent_faults(tree_id, pk, parent_id, thread_id, level, by_pk, enclosing))
        if stack and rght > stack[-1][5]:
            faults.append(Fault(tree_id, pk, "overlaps its enclosing post instead of nesting"))
        stack.append((pk, parent_id, thread_id, _tree, lft, rght, level))
    return faults


def _parent_faults(tree_id, pk, parent_id, thread_id, level, by_pk, enclosing):
    if parent_id is None:
        faults = [] if level == 0 else [Fault(tree_id, pk, f"root has level {level}")]
        if enclosing is not None:
            faults.append(Fault(tree_id, pk, "root lies inside another post"))
        return faults
    parent = by_pk.get(parent_id)
    if parent is None:
        return [Fault(tree_id, pk, f"parent {parent_id} is not in the same tree")]
    faults = []
    if enclosing is None or enclosing[0] != parent_id:
        faults.append(Fault(tree_id, pk, f"is not nested directly inside parent {parent_id}"))
    if level != parent[6] + 1:
        faults.append(Fault(tree_id, pk, f"level {level}, parent's is {parent[6]}"))
    if thread_id != parent[2]:
        faults.append(Fault(tree_id, pk, f"thread {thread_id}, parent's is {parent[2]}"))
    return faults
