"""The index of the database in use: one interface, two implementations.

match(documents, query) -> (documents that match, the order expression for best first)
add_posts(rows)         make and index the documents of these post rows (a values_list of
                        indexing.POST_ROW) in SQL; return the rows left for Python to index
write(documents)        index these saved documents
remove(document_pks)    take these documents out of the index
clear()                 empty the index
analyze(model)          bring the query planner's statistics on this model's table up to date
"""

from django.db import connection

from . import postgres, sqlite

BACKENDS = {"sqlite": sqlite, "postgresql": postgres}


def current():
    """The backend module for the default database."""
    try:
        return BACKENDS[connection.vendor]
    except KeyError:
        raise NotImplementedError(f"search has no index for {connection.vendor}") from None
