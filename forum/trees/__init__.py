"""Every write to the discussion trees, the locks it takes, and the check that trees are valid.

django-mptt keeps lft, rght, level and tree_id denormalised on each post, and its own README
warns that concurrent writers working from stale values corrupt a tree. So nothing outside this
package inserts, moves or bulk-creates posts, or updates their tree fields.

Locks, always taken in this order within one transaction:
1. the new-tree lock, when a tree_id is allocated (a root post, a split, a bulk load);
2. the rows of the threads touched, by ascending primary key.
A tree belongs to exactly one thread, so the thread's row lock guards its trees. On SQLite the
IMMEDIATE transaction mode already serialises every writer; the row locks are then no-ops.

locks.py takes the locks, writes.py inserts, moves and splits single posts, bulk.py loads many
posts at once, and check.py finds what is wrong with a tree.
"""

from .bulk import (
    BULK_BATCH_SIZE,
    GAPS_PER_UPDATE,
    TREE_COLUMNS,
    UNPLACED,
    BulkLoad,
    Unplaced,
    UnplacedPostsLeft,
    bulk_insert_posts,
    bulk_load,
)
from .check import TREE_FIELDS, Fault, tree_faults
from .locks import NEW_TREE_LOCK_KEY, TreeWriteOutsideTransaction, lock_new_trees, lock_threads
from .writes import InvalidMove, insert_post, move_subtree, split_subtree

__all__ = [
    "BULK_BATCH_SIZE",
    "GAPS_PER_UPDATE",
    "NEW_TREE_LOCK_KEY",
    "TREE_COLUMNS",
    "TREE_FIELDS",
    "UNPLACED",
    "BulkLoad",
    "Fault",
    "InvalidMove",
    "TreeWriteOutsideTransaction",
    "Unplaced",
    "UnplacedPostsLeft",
    "bulk_insert_posts",
    "bulk_load",
    "insert_post",
    "lock_new_trees",
    "lock_threads",
    "move_subtree",
    "split_subtree",
    "tree_faults",
]
