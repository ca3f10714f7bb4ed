"""The validity check: every way a stored tree can be wrong, listed per post."""

from dataclasses import dataclass

from ..models import Post


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
