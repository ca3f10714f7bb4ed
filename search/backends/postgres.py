"""PostgreSQL: a stored tsvector per document with a GIN index, ranked by ts_rank.

Stemming follows PARLEY_SEARCH_LANGUAGE (a text search configuration such as "english" or
"simple"); accents are folded by search.text before the text reaches to_tsvector, so no
unaccent extension is needed and both backends fold alike.
"""

from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F

from ..conf import settings
from ..models import PostgresIndex
from ..text import searchable

TABLE = PostgresIndex._meta.db_table
WEIGHED = (
    "setweight(to_tsvector(%s::regconfig, %s), 'A')"
    " || setweight(to_tsvector(%s::regconfig, %s), 'B')"
)


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


def write(documents):
    language = settings.LANGUAGE
    rows = [
        (doc.pk, language, searchable(doc.title), language, searchable(doc.text))
        for doc in documents
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {TABLE} (document_id, vector) VALUES (%s, {WEIGHED})", rows
        )


def remove(document_pks):
    PostgresIndex.objects.filter(document_id__in=list(document_pks)).delete()


def clear():
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLE}")
