"""What the search finds: one Document per article, discussion title and post, and its index.

The Document holds what a result shows and is filtered on, on every database. The index itself
is the database's own: an FTS5 table on SQLite (SqliteIndex) or a tsvector with a GIN index on
PostgreSQL (PostgresIndex). Each of those two models has its table on its own database only
(search.operations.OnlyOn in the migration), and only the matching backend module touches it.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class Document(models.Model):
    class Kind(models.IntegerChoices):
        ARTICLE = 1
        THREAD = 2
        POST = 3

    kind = models.PositiveSmallIntegerField(choices=Kind)
    # Exactly one of these is set, for the kind; SET_NULL leaves a document for the next
    # announcement to remove, and until then the searches' joins leave it out.
    article = models.ForeignKey(
        "articles.Article", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Its index is the (thread, created_at) one below.
    thread = models.ForeignKey(
        "forum.Thread", null=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    post = models.OneToOneField(
        "forum.Post", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True, help_text="Plain text, for the excerpts.")
    author_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["author_name"], name="search_author"),
            models.Index(fields=["thread", "created_at"], name="search_thread_created"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.title or self.text[:60]}"


class SqliteIndex(models.Model):
    """The FTS5 table, created by the migration on SQLite only: rowid is the document's id."""

    document = models.OneToOneField(
        Document,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="sqlite_index",
    )
    title = models.TextField()
    body = models.TextField()
    # FTS5's hidden columns: the one named as the table takes MATCH, rank is its bm25 score.
    fts = models.TextField(db_column="search_sqlite")
    rank = models.FloatField()

    class Meta:
        managed = False
        db_table = "search_sqlite"

    def __str__(self):
        return f"index of document {self.document_id}"


class PostgresIndex(models.Model):
    """A document's tsvector, title weighted above text; the table exists on PostgreSQL only."""

    document = models.OneToOneField(
        Document,
        primary_key=True,
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="postgres_index",
    )
    vector = SearchVectorField()

    class Meta:
        indexes = [GinIndex(fields=["vector"], name="search_vector_gin")]

    def __str__(self):
        return f"vector of document {self.document_id}"
