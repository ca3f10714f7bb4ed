"""A discussion page's reads of its posts, in SQL: the reads every cold page makes.

A cold page reads outlines twice (the top-level posts, the trees of hidden ones), the versions of
its trees, and the trees it shows, outlines and texts together. Django took longer to
build and compile each of those reads (ten columns, an IN list of up to fifty trees) than the
database took to run it: 0.2 to 0.5 ms a read, against 0.05 to 0.4. They are plain SQL on the
models' own columns, which both SQLite and PostgreSQL run, on Django's cursor; only the dates of
the trees' read are read as SQLite keeps them, text, and parsed here.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.db import connections, models, router

from .models import Post, TreeVersion

parse = datetime.fromisoformat  # C: dates as SQLite keeps them, with an offset written on


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
    selected = [column(name) for name in columns]
    return _rows(connection, Post, selected, conditions, params, order_by=order)


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
    dates = _date_columns(connection, columns)
    selected = [
        f"CASE WHEN {column('level')} <= %s THEN {column(name)} END"
        if name == "body_html"
        else f"CAST({column(name)} AS TEXT)"  # parsed below, not by Django's converter
        if i in dates
        else column(name)
        for i, name in enumerate(columns)
    ]
    condition = f"{column('tree_id')} IN {_placeholders(tree_ids)}"
    params = [bodies_to_level] * columns.count("body_html") + tree_ids
    order = f"{column('tree_id')}, {column('lft')}"
    rows = _rows(connection, Post, selected, [condition], params, order_by=order)
    return _with_dates(connection, dates, rows)


def _date_columns(connection, columns):
    """The places of the date columns that SQLite keeps as text; PostgreSQL's come aware."""
    if connection.vendor != "sqlite":
        return []
    return [
        i for i, name in enumerate(columns) if isinstance(_field(Post, name), models.DateTimeField)
    ]


def _with_dates(connection, dates, rows):
    """The rows with the text of these date columns made the datetimes the ORM would give.

    SQLite keeps a date as text, naive in the database's zone (UTC unless DATABASES names
    another). Django's converter, a Python call per value and then a replace() of its zone,
    took half the time of a page's read; parsed here with the zone's offset written on, as
    for UTC, it costs a sixth of that."""
    if not dates or not rows:
        return rows
    zone = connection.timezone if settings.USE_TZ else None
    suffix = "+00:00" if zone is UTC else ""
    table = list(zip(*rows, strict=True))
    for i in dates:
        values = [None if text is None else parse(text + suffix) for text in table[i]]
        if zone is not None and zone is not UTC:
            values = [None if value is None else value.replace(tzinfo=zone) for value in values]
        table[i] = values
    return list(zip(*table, strict=True))


def tree_versions(tree_ids):
    """{tree_id: version} of those of these trees that have a version (TreeVersion)."""
    tree_ids = list(tree_ids)
    if not tree_ids:
        return {}
    connection = _connection(TreeVersion)
    column = _quoter(connection, TreeVersion)
    condition = f"{column('tree_id')} IN {_placeholders(tree_ids)}"
    selected = [column("tree_id"), column("version")]
    return dict(_rows(connection, TreeVersion, selected, [condition], tree_ids))


def _rows(connection, model, selected, conditions, params, *, order_by=None):
    """Rows of the selected columns (SQL) of model's table."""
    table = _table(connection, model)
    sql = f"SELECT {', '.join(selected)} FROM {table} WHERE {' AND '.join(conditions)}"
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
