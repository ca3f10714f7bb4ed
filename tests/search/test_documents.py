"""A post's document and index entry are the same however the database built them.

The indexer builds post documents in SQL (search.backends.*.add_posts); search.text is the
reference: the stored text is html_to_text of the post's HTML, and the index holds that text
as searchable() prepares it. On PostgreSQL, SQL prepares the posts of ASCII and symbols itself
and leaves the others to Python; on SQLite, SQL calls search.text for every post.
"""
# ruff: noqa: RUF001 - curly quotes and Cyrillic letters that look Latin are the point here.

from datetime import UTC, datetime

import pytest
from django.db import connection
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from forum.archives.loader import load
from forum.archives.records import DiscussionRecord, PostRecord
from forum.models import Post
from search import indexing
from search.backends import postgres
from search.models import Document
from search.text import html_to_text, searchable
from tests.factories import make_post, make_thread

pytestmark = pytest.mark.django_db

BODIES = {
    "ascii": "Plain *words*, `code` & <tags> in\n\nthree    paragraphs.",
    "curly quotes and dashes": "It’s “quoted” — and ‘single’ – too.",
    "emoji": "Launch 🚀 went fine 👍🏽, ❤️ it; family 👨\u200d👩\u200d👧.",
    "list and quote": "> quoted line\n\n- one\n- two\n\n1. first",
    "link": "See [the report](https://news.example.com/story?a=1&b=2).",
    "accents": "Le café près de la rampe, NAÏVE Straße.",
    "cyrillic": "Космическая станция готова.",
    "cjk": "中国空间站准备与俄罗斯合作",
    "no-break space": "100\u00a0km away.",
}


def stored_as_python_prepares_it(document):
    """Whether the document's index entry is what searchable() makes of its title and text."""
    title, text = searchable(document.title), searchable(document.text)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT title, body FROM search_sqlite WHERE rowid = %s", [document.pk])
            return cursor.fetchone() == (title, text)
        weighed = postgres.WEIGHED.format(title="%s", body="%s")
        cursor.execute(
            f"SELECT vector = {weighed} FROM search_postgresindex WHERE document_id = %s",
            ["english", title, "english", text, document.pk],
        )
        return cursor.fetchone() == (True,)


def import_posts(bodies):
    start = datetime(2024, 1, 1, tzinfo=UTC)
    records = [DiscussionRecord(external_id="test:t", title="Imported", created_at=start)]
    records += [
        PostRecord(
            external_id=f"test:{number}",
            discussion_external_id="test:t",
            parent_external_id=None,
            author_name="Importer",
            created_at=start,
            status="published",
            body=body,
        )
        for number, body in enumerate(bodies)
    ]
    load(records, source="test")


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
def test_an_imported_post_is_stored_as_its_page_shows_it(body, committed):
    with committed():
        import_posts([body])
    post = Post.objects.get()
    document = Document.objects.get(post=post)
    assert document.text == html_to_text(post.body_html)
    assert stored_as_python_prepares_it(document)


def test_a_batch_of_every_kind_keeps_each_post_its_own_document(committed, settings):
    settings.PARLEY_SEARCH_INDEX_BATCH_SIZE = 4  # some batches mix both ways of preparing
    with committed():
        import_posts(BODIES.values())
    documents = Document.objects.filter(kind=Document.Kind.POST).select_related("post")
    assert sorted(document.text for document in documents) == sorted(
        html_to_text(post.body_html) for post in Post.objects.all()
    )
    assert all(document.author_name == "Importer" for document in documents)


@pytest.mark.postgres
def test_postgresql_prepares_posts_of_ascii_and_symbols_in_sql_and_leaves_letters_to_python():
    thread = make_thread()
    for body in BODIES.values():
        make_post(thread, body=body)
    rows = Post.objects.annotate(writer=indexing.WRITER).values_list(*indexing.POST_ROW)
    left = postgres.add_posts(rows)
    left_bodies = {Post.objects.get(pk=row[0]).body for row in left}
    assert left_bodies == {BODIES["accents"], BODIES["cyrillic"], BODIES["cjk"]}


# What the sanitiser and other writers may leave in a post's HTML, in pieces that meet at
# random. These are all SQL prepares on PostgreSQL: tags (block, inline, unclosed), the entities
# sanitised HTML carries, ASCII spaces, symbols kept as they are.
IN_SQL = [
    "<p>", "</p>", "<br>", "<pre>", "<param>", "<h1 class=x>", "<b>", "</b>", "<a href=",
    '"x&amp;y">', "<", ">", "&amp;", "&lt;", "&gt;", "&amp;lt;", "&nbsp;", "&#39;", "&quot;",
    " ", "  ", "\t", "\n", "\r", "’", "“", "—", "😀", "👍🏽", "\u200d", "\ufe0f", "_", "42",
    "word", "Word", "WORD",
]  # fmt: skip
# And these only Python prepares: other entities, other spaces, controls, symbols that fold,
# letters to fold, combining marks.
IN_PYTHON = [
    "&", "&copy;", "&copy", "&#x27;", "&amp", "&lt", "\x0b", "\x0c", "\x1c", "\x01", "\x7f",
    "\x85", "\xa0", "\u202f", "\u2028", "\u3000", "…", "™", "½", "é", "É", "ß", "Σ", "ς", "с",
    "С", "İ", "中", "ｶ", "ﬁ", "\u0301",
]  # fmt: skip
HTML = st.one_of(
    st.lists(st.sampled_from(IN_SQL), max_size=16),
    st.lists(st.sampled_from(IN_SQL + IN_PYTHON), max_size=12),
).map("".join)


def index_html(html):
    """The document of a post whose HTML is this, once indexed."""
    post = make_post(make_thread(), body="Placeholder.")
    Post.objects.filter(pk=post.pk).update(body_html=html)
    indexing.index_posts(Post.objects.filter(pk=post.pk))
    return Document.objects.get(post=post)


@given(html=HTML)
@hypothesis_settings(
    max_examples=200,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_any_html_is_stored_and_indexed_as_python_prepares_it(html):
    document = index_html(html)
    assert document.text == html_to_text(html)
    assert stored_as_python_prepares_it(document)


@pytest.mark.parametrize("piece", IN_PYTHON)
def test_a_piece_only_python_prepares_among_others_is_stored_as_python_prepares_it(piece):
    html = f"<p>It’s {piece}a word&amp;</p><p>Another</p>"
    document = index_html(html)
    assert document.text == html_to_text(html)
    assert stored_as_python_prepares_it(document)
