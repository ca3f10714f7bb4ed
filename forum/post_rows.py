"""A discussion page's reads of its posts, in SQL: the reads every cold page makes.

A cold page reads outlines three times (the top-level posts, the trees of hidden ones, the trees
it shows), the versions of its trees, and the texts of the posts it shows. Django took longer to
build and compile each of those reads (ten columns, an IN list of up to fifty trees) than the
database took to run it: 0.2 to 0.5 ms a read, against 0.05 to 0.4. They are plain SQL on the
models' own columns, which both SQLite and PostgreSQL run, on Django's cursor.
"""

from django.conf import settings
from django.db import connections, models, router

from .models import Post, TreeVersion


def outline_rows(columns, *, thread_id=None, tree_ids=None, roots_only=False):
    """Rows of these columns for the posts of a thread, or of some trees (a tree is in one
    thread), or of their top-level posts alone, in the order the posts were written."""
    connection = _connection(Post)
    column = _quoter(connection, Post)
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
    return _rows(connection, Post, columns, conditions, params, order_by=order)


def text_rows(columns, tree_ids, *, deepest_level):
    """Rows of these columns for the posts of these trees down to a level, in no order, with
    their dates aware as the ORM would give them."""
    tree_ids = list(tree_ids)
    if not tree_ids:
        return []
    connection = _connection(Post)
    column = _quoter(connection, Post)
    conditions = [f"{column('tree_id')} IN {_placeholders(tree_ids)}", f"{column('level')} <= %s"]
    rows = _rows(connection, Post, columns, conditions, [*tree_ids, deepest_level])
    dates = [
        i for i, name in enumerate(columns) if isinstance(_field(Post, name), models.DateTimeField)
    ]
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


def tree_versions(tree_ids):
    """{tree_id: version} of those of these trees that have a version (TreeVersion)."""
    tree_ids = list(tree_ids)
    if not tree_ids:
        return {}
    connection = _connection(TreeVersion)
    condition = f"{_quoter(connection, TreeVersion)('tree_id')} IN {_placeholders(tree_ids)}"
    return dict(_rows(connection, TreeVersion, ["tree_id", "version"], [condition], tree_ids))


def _rows(connection, model, columns, conditions, params, *, order_by=None):
    column = _quoter(connection, model)
    selected = ", ".join(column(name) for name in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"SELECT {selected} FROM {table} WHERE {' AND '.join(conditions)}"
    if order_by:
        sql += f" ORDER BY {order_by}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _connection(model):
    return connections[router.db_for_read(model)]


def _field(model, name):
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def _quoter(connection, model):
    """A function giving the column of the model's named field, quoted for this connection."""
    return lambda name: connection.ops.quote_name(_field(model, name).column)


def _placeholders(values):
    return f"({', '.join(['%s'] * len(values))})"
