"""A discussion page's reads of its posts, in SQL: the reads every cold page makes.

A cold page reads outlines three times (the top-level posts, the trees of hidden ones, the trees
it shows) and the texts of the posts it shows once. Django took longer to build and compile each
of those reads (ten columns, an IN list of up to fifty trees) than the database took to run it:
0.3 to 0.5 ms a read, against 0.2 to 0.4. They are plain SQL on Post's own columns, which both
SQLite and PostgreSQL run, on Django's cursor.
"""

from django.conf import settings
from django.db import connections, models, router

from .models import Post


def outline_rows(columns, *, thread_id=None, tree_ids=None, roots_only=False):
    """Rows of these columns for the posts of a thread, or of some trees (a tree is in one
    thread), or of their top-level posts alone, in the order the posts were written."""
    connection = _connection()
    column = _quoter(connection)
    tree_ids = None if tree_ids is None else list(tree_ids)
    if tree_ids is None:
        conditions, params = [f"{column('thread')} = %s"], [thread_id]
    elif tree_ids:
        # By tree alone: naming the thread too would lead SQLite, which keeps no statistics,
        # to read the trees by scanning the whole thread in time order.
        conditions, params = [f"{column('tree_id')} IN {_placeholders(tree_ids)}"], tree_ids
    else:
        return []
    if roots_only:
        conditions.append(f"{column('level')} = 0")
    order = f"{column('created_at')}, {column('pk')}"
    return _rows(connection, columns, conditions, params, order_by=order)


def text_rows(columns, tree_ids, *, deepest_level):
    """Rows of these columns for the posts of these trees down to a level, in no order, with
    their dates aware as the ORM would give them."""
    tree_ids = list(tree_ids)
    if not tree_ids:
        return []
    connection = _connection()
    column = _quoter(connection)
    conditions = [f"{column('tree_id')} IN {_placeholders(tree_ids)}", f"{column('level')} <= %s"]
    rows = _rows(connection, columns, conditions, [*tree_ids, deepest_level])
    dates = [i for i, name in enumerate(columns) if isinstance(_field(name), models.DateTimeField)]
    zone = connection.timezone if settings.USE_TZ else None
    if not dates or zone is None:
        return rows
    # SQLite hands dates back naive, in the database's zone (UTC unless DATABASES names
    # another): made aware here as Django's converter would, without its call per value.
    # PostgreSQL's come aware.
    aware = []
    for row in rows:
        row = list(row)
        for i in dates:
            if row[i] is not None and row[i].tzinfo is None:
                row[i] = row[i].replace(tzinfo=zone)
        aware.append(row)
    return aware


def _rows(connection, columns, conditions, params, *, order_by=None):
    column = _quoter(connection)
    selected = ", ".join(column(name) for name in columns)
    table = connection.ops.quote_name(Post._meta.db_table)
    sql = f"SELECT {selected} FROM {table} WHERE {' AND '.join(conditions)}"
    if order_by:
        sql += f" ORDER BY {order_by}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _connection():
    return connections[router.db_for_read(Post)]


def _field(name):
    return Post._meta.pk if name == "pk" else Post._meta.get_field(name)


def _quoter(connection):
    """A function giving the named field's column, quoted for this connection."""
    return lambda name: connection.ops.quote_name(_field(name).column)


def _placeholders(values):
    return f"({', '.join(['%s'] * len(values))})"
