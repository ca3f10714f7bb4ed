"""The outlines of a thread's posts, read in SQL: the reads every cold discussion page makes.

A cold page reads outlines three times (the top-level posts, the trees of hidden ones, the trees
it shows), and Django took longer to build and compile each of those reads (ten columns, an IN
list of up to fifty trees) than the database took to run it: 0.3 to 0.5 ms a read, against 0.2
to 0.4. They are plain SQL on Post's own columns, which both SQLite and PostgreSQL run, and
outlines hold no dates, so the rows need no converting either.
"""

from django.db import connections, router

from .models import Post


def _column(name):
    field = Post._meta.pk if name == "pk" else Post._meta.get_field(name)
    return field.column


def outline_rows(columns, *, thread_id=None, tree_ids=None, roots_only=False):
    """Rows of these columns for the posts of a thread, or of some trees (a tree is in one
    thread), or of their top-level posts alone, in the order the posts were written."""
    connection = connections[router.db_for_read(Post)]
    quote = connection.ops.quote_name
    if tree_ids is None:
        conditions, params = [f"{quote(_column('thread'))} = %s"], [thread_id]
    elif tree_ids:
        # By tree alone: naming the thread too would lead SQLite, which keeps no statistics,
        # to read the trees by scanning the whole thread in time order.
        placeholders = ", ".join(["%s"] * len(tree_ids))
        conditions, params = [f"{quote(_column('tree_id'))} IN ({placeholders})"], list(tree_ids)
    else:
        return []
    if roots_only:
        conditions.append(f"{quote(_column('level'))} = 0")
    sql = (
        f"SELECT {', '.join(quote(_column(name)) for name in columns)} "
        f"FROM {quote(Post._meta.db_table)} WHERE {' AND '.join(conditions)} "
        f"ORDER BY {quote(_column('created_at'))}, {quote(_column('pk'))}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
