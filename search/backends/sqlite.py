"""SQLite: an FTS5 table (porter stemming over unicode61 without diacritics) keyed by rowid.

One table serves every script: search.text folds accents and splits CJK into characters before
the tokenizer sees the text, so SQLite 3.40's unicode61 finds them, and bm25 ranks across all.
The trigram tokenizer was the other way for CJK; it folds no accents before SQLite 3.45 and
needs a second table whose scores do not compare with the first one's.
"""

from django.db import connection
from django.db.models import F, Lookup

from ..models import Document, SqliteIndex
from ..text import html_to_text, searchable

TABLE = SqliteIndex._meta.db_table
DOCUMENTS = Document._meta.db_table
# search.text's functions, under the names the SQL below calls them by.
TEXT_FUNCTIONS = {"search_post_text": html_to_text, "search_searchable": searchable}
CHUNK = 500  # ids per DELETE ... IN (...), below SQLite's parameter limit


class Match(Lookup):
    """`table MATCH expression`, on FTS5's hidden column named after the table."""

    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


SqliteIndex._meta.get_field("fts").register_lookup(Match)


def _phrase(term):
    # Tokens are runs of \w, so they hold no quote; doubling one keeps that true regardless.
    return '"' + " ".join(term.words).replace('"', '""') + '"'


def expression(query):
    """The FTS5 query for a parsed Query: quoted phrases joined by AND, OR and NOT only."""
    groups = " AND ".join("(" + " OR ".join(map(_phrase, group)) + ")" for group in query.groups)
    if query.excluded:
        return f"({groups}) NOT ({' OR '.join(map(_phrase, query.excluded))})"
    return groups


def match(documents, query, *, window=None):
    found = expression(query)
    documents = documents.filter(sqlite_index__fts__match=found)
    if window and (start := _window_start(found, window)) is not None:
        # On the index's own rowid, so that FTS5 skips older entries before any join.
        documents = documents.filter(sqlite_index__document__gte=start)
    # FTS5's rank is bm25, lower for a better match.
    return documents, F("sqlite_index__rank").asc()


def _window_start(found, window):
    """The rowid of the window-th newest entry matching, or None if there are fewer."""
    with connection.cursor() as cursor:
        newest = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s ORDER BY rowid DESC"
        cursor.execute(f"{newest} LIMIT 1 OFFSET %s", [found, window - 1])
        row = cursor.fetchone()
    return row[0] if row else None


def write(documents):
    rows = [(doc.pk, searchable(doc.title), searchable(doc.text)) for doc in documents]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {TABLE} (rowid, title, body) VALUES (%s, %s, %s)", rows)


def add_posts(rows):
    """Index post rows (indexing.POST_ROW) in two INSERT ... SELECT; none is left for Python.

    SQLite calls search.text's own functions on each row, so the text is the same as when
    Python prepares it, without the rows crossing into Django and back.
    """
    select, params = rows.query.sql_with_params()
    posts = f"WITH p (post_id, thread_id, writer, body_html, created_at) AS ({select})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"{posts} INSERT INTO {DOCUMENTS} "
            "(kind, post_id, thread_id, title, author_name, text, created_at) "
            "SELECT %s, post_id, thread_id, '', writer, search_post_text(body_html), created_at"
            " FROM p ORDER BY post_id",
            [*params, Document.Kind.POST],
        )
        cursor.execute(
            f"{posts} INSERT INTO {TABLE} (rowid, title, body)"
            " SELECT d.id, search_searchable(d.title), search_searchable(d.text)"
            f" FROM {DOCUMENTS} d WHERE d.post_id IN (SELECT post_id FROM p) ORDER BY d.id",
            params,
        )
    return rows.none()


def register_text_functions(sender, connection, **kwargs):
    """Receiver of connection_created: give each new SQLite connection search.text's functions."""
    # At connection time: SQLite refuses to define a function while a statement is under way.
    if connection.vendor == "sqlite":
        for name, function in TEXT_FUNCTIONS.items():
            connection.connection.create_function(name, 1, function, deterministic=True)


def remove(document_pks):
    pks = list(document_pks)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), CHUNK):
            chunk = pks[start : start + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", chunk)


def analyze(model):
    """Nothing to do: without statistics SQLite reads a batch of trees through their index."""


def clear():
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
