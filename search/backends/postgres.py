"""PostgreSQL: a stored tsvector per document with a GIN index, ranked by ts_rank.

Stemming follows PARLEY_SEARCH_LANGUAGE (a text search configuration such as "english" or
"simple"); accents are folded by search.text before the text reaches to_tsvector, so no
unaccent extension is needed and both backends fold alike. Most posts' documents are built
by one INSERT ... SELECT per batch (add_posts), their text prepared in SQL exactly as
search.text prepares it; the rest go through Python.
"""

from functools import cache, reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Q

from .. import text
from ..conf import settings
from ..models import Document, PostgresIndex

TABLE = PostgresIndex._meta.db_table
DOCUMENTS = Document._meta.db_table
WEIGHED = (
    "setweight(to_tsvector(%s::regconfig, {title}), 'A')"
    " || setweight(to_tsvector(%s::regconfig, {body}), 'B')"
)
# The entities in posts' HTML (nh3 writes &lt; &gt; &nbsp; &amp;; quotes come escaped from
# elsewhere), and what html_to_text makes of them: a no-break space is one that str.split()
# parts words at. &amp; comes last, so that "&amp;lt;" stays "&lt;" as in Python.
ENTITIES = (
    ("&lt;", "<"), ("&gt;", ">"), ("&nbsp;", " "), ("&quot;", '"'), ("&#39;", "'"), ("&amp;", "&"),
)  # fmt: skip
SPACES = "\t\n\r "  # the only spaces of the posts prepared in SQL: see _readable()
# Runs of them that are not already one space: matching every space too took 7 times as long.
MORE_THAN_A_SPACE = f"[{SPACES}]{{2,}}|[{SPACES.strip(' ')}]"


def _phrase(term):
    # phraseto_tsquery with the words as a parameter: nothing typed is read as tsquery syntax.
    return SearchQuery(" ".join(term.words), search_type="phrase", config=settings.LANGUAGE)


def tsquery(query):
    """The SearchQuery for a parsed Query."""
    found = reduce(and_, (reduce(or_, map(_phrase, group)) for group in query.groups))
    if query.excluded:
        found &= ~reduce(or_, map(_phrase, query.excluded))
    return found


def match(documents, query, *, window=None):
    found = tsquery(query)
    documents = documents.filter(postgres_index__vector=found)
    if window:
        newest = PostgresIndex.objects.filter(vector=found).order_by("-document_id")
        start = newest.values_list("document_id", flat=True)[window - 1 : window].first()
        if start is not None:
            documents = documents.filter(postgres_index__document_id__gte=start)
    score = SearchRank(F("postgres_index__vector"), found)
    return documents.annotate(score=score), F("score").desc()


def add_posts(rows):
    """Index in one statement the post rows (indexing.POST_ROW) whose text SQL prepares exactly.

    Those are posts of ASCII and of the symbols search.text keeps as they are: for them the
    regular expressions below strip tags as html_to_text does, and folding is lowering ASCII
    letters. The others (accented, Cyrillic, CJK text...) are returned, for Python to prepare.
    """
    readable = ExpressionWrapper(Q(body_html__regex=_readable()), output_field=BooleanField())
    select, params = rows.annotate(readable=readable).query.sql_with_params()
    post_text, text_params = _post_text("body_html")
    folded = WEIGHED.format(title='lower(d.title COLLATE "C")', body='lower(d.text COLLATE "C")')
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH p (post_id, thread_id, writer, body_html, created_at, readable) AS ({select}),"
            f" d AS (INSERT INTO {DOCUMENTS}"
            " (kind, post_id, thread_id, title, author_name, text, created_at)"
            f" SELECT %s, post_id, thread_id, '', writer, {post_text}, created_at"
            " FROM p WHERE readable ORDER BY post_id RETURNING id, title, text),"
            f" i AS (INSERT INTO {TABLE} (document_id, vector) SELECT d.id, {folded} FROM d)"
            " SELECT post_id FROM p WHERE NOT readable",  # each post's HTML is matched once
            [*params, Document.Kind.POST, *text_params, settings.LANGUAGE, settings.LANGUAGE],
        )
        left = [pk for (pk,) in cursor.fetchall()]
    return rows.filter(pk__in=left) if left else rows.none()


@cache
def _readable():
    """A pattern for HTML of spaces, printable ASCII, symbols kept as they are, and ENTITIES."""
    symbols = "".join(f"{first}-{last}" for first, last in text.unchanged_symbols())
    entities = "|".join(entity[1:-1] for entity, _char in ENTITIES)
    # Every "&" starts one of ENTITIES, so replacing them in turn decodes as html.unescape does.
    return f"^(?:[{SPACES} -%'-~{symbols}]|&(?:{entities});)*$"


def _post_text(html):
    """SQL for html_to_text(html), exact for HTML that _readable() matches."""
    # Next to a tag's name is an ASCII character or a kept symbol: there Python's word boundary
    # is "not a letter, digit or _ of ASCII", whatever the database's locale.
    block_tag = text.BLOCK_TAG.pattern.replace(r"\b[^>]*>", "(?:[^A-Za-z0-9_>][^>]*)?>")
    sql = f"regexp_replace(regexp_replace({html}, %s, ' ', 'g'), %s, '', 'g')"
    params = [block_tag, text.INLINE_TAG.pattern]
    for entity, char in ENTITIES:
        sql = f"replace({sql}, %s, %s)"
        params += [entity, char]
    return f"btrim(regexp_replace({sql}, %s, ' ', 'g'), ' ')", [*params, MORE_THAN_A_SPACE]


def write(documents):
    language = settings.LANGUAGE
    rows = [
        (doc.pk, language, text.searchable(doc.title), language, text.searchable(doc.text))
        for doc in documents
    ]
    values = WEIGHED.format(title="%s", body="%s")
    with connection.cursor() as cursor:
        insert = f"INSERT INTO {TABLE} (document_id, vector) VALUES (%s, {values})"
        cursor.executemany(insert, rows)


def remove(document_pks):
    PostgresIndex.objects.filter(document_id__in=list(document_pks)).delete()


def analyze(model):
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def clear():
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLE}")
