"""A discussion page's reads of its posts, in SQL: the reads every cold page makes.

A cold page reads outlines twice (the top-level posts, the trees of hidden ones), the versions of
its trees, and the trees it shows, outlines and texts together. Django took longer to
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


def tree_rows(columns, tree_ids, *, bodies_to_level):
    """Rows of these columns for the posts of these trees, in tree order (on the index: sorting
    rows that carry texts cost the database more than the read), with their dates aware as the
    ORM would give them: the one read of a page's trees.

    Its body_html is read down to a level, and None below: a page shows no deeper text, and a
    chain of replies can run thousands deep."""
    tree_ids = list(tree_ids)
    if not tree_ids:
        return []
    connection = _connection(Post)
    column = _quoter(connection, Post)
    selected = [
        f"CASE WHEN {column('level')} <= %s THEN {column(name)} END"
        if name == "body_html"
        else column(name)
        for name in columns
    ]
    sql = (
        f"SELECT {', '.join(selected)} FROM {_table(connection, Post)} "
        f"WHERE {column('tree_id')} IN {_placeholders(tree_ids)} "
        f"ORDER BY {column('tree_id')}, {column('lft')}"
    )
    params = [bodies_to_level] * columns.count("body_html") + tree_ids
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _aware(connection, columns, rows)


def _aware(connection, columns, rows):
    """The rows with their dates aware, as Django's converters would make them, without their
    call per value."""
    dates = [
        i for i, name in enumerate(columns) if isinstance(_field(Post, name), models.DateTimeField)
    ]
    zone = connection.timezone if settings.USE_TZ else None
    if not dates or zone is None:
        return rows
    # SQLite hands dates back naive, in the database's zone (UTC unless DATABASES names
    # another); PostgreSQL's come aware.
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
    sql = f"SELECT {selected} FROM {_table(connection, model)} WHERE {' AND '.join(conditions)}"
    if order_by:
        sql += f" ORDER BY {order_by}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _connection(model):
    return connections[router.db_for_read(model)]


def _table(connection, model):
    return connection.ops.quote_name(model._meta.db_table)


def _field(model, name):
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def _quoter(connection, model):
    """A function giving the column of the model's named field, quoted for this connection."""
    return lambda name: connection.ops.quote_name(_field(model, name).column)


def _placeholders(values):
    return f"({', '.join(['%s'] * len(values))})"
