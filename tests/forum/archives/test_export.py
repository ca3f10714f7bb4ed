"""export_comments: Parley JSON and Disqus XML out, and both back in without losing a thread."""

import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from defusedxml.ElementTree import fromstring
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from articles.models import Article
from forum import trees
from forum.archives.loader import load
from forum.archives.records import DiscussionRecord, PostRecord
from forum.archives.seed import read_seed
from forum.models import Post, Thread, this_site_id
from tests.factories import make_article, make_post, make_thread, make_user, set_status

pytestmark = pytest.mark.django_db

DISQUS = "{http://disqus.com}"
DSQ_ID = "{http://disqus.com/disqus-internals}id"
START = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def export_text(*args):
    out = io.StringIO()
    call_command("export_comments", *args, stdout=out)
    return out.getvalue()


def import_text(text, format, tmp_path):
    archive = tmp_path / f"archive.{format}"
    archive.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("import_comments", str(archive), "--format", format, stdout=out)
    return out.getvalue()


def empty_database():
    """Leave the database as a fresh site would have it, for the import half of a round trip."""
    Post.objects.update(parent=None)
    Post.objects.all().delete()
    Thread.objects.all().delete()
    Article.objects.all().delete()


def tree_shape(thread, fields=("author_name", "created_at", "status", "body", "body_html")):
    """The thread's posts as nested (fields..., replies) tuples, replies in time order."""
    posts = list(Post.objects.filter(thread=thread).order_by("created_at", "pk"))
    replies = {}
    for post in posts:
        replies.setdefault(post.parent_id, []).append(post)

    def node(post):
        values = tuple(getattr(post, name) for name in fields)
        return (*values, [node(reply) for reply in replies.get(post.pk, [])])

    return [node(root) for root in replies.get(None, [])]


def build_discussion():
    """An article's thread with nested replies, Markdown, an edit and every status."""
    article = make_article(
        "Moon base plans",
        slug="moon-base-plans",
        published_at=START,
        lead_image_caption="A crater",
        lead_image_credit="NASA",
        byline="A. Writer",
        source="https://source.example.com/moon",
    )
    thread = make_thread(
        "Moon base plans", article=article, slug="moon-base-plans", created_at=START
    )
    at = iter(START + timedelta(minutes=n, microseconds=n * 1001) for n in range(1, 100))
    root = make_post(thread, author=make_user("luna"), body="**Bold** plan.", created_at=next(at))
    reply = make_post(
        thread, parent=root, author_name="Kim", body="> quoted\n\nNo.", created_at=next(at)
    )
    make_post(
        thread,
        parent=reply,
        author_name="Ana",
        body="[Link](https://a.example/x)",
        created_at=next(at),
    )
    other = make_post(thread, author_name="Raj", body="Under *review*", created_at=next(at))
    set_status(other, Post.Status.PENDING)
    removed = make_post(thread, parent=root, author_name="Troll", body="Rude", created_at=next(at))
    set_status(removed, Post.Status.REMOVED)
    make_post(
        thread, parent=removed, author_name="Ana", body="Answer to rude", created_at=next(at)
    )
    spam = make_post(thread, author_name="Shop", body="Buy", created_at=next(at))
    set_status(spam, Post.Status.SPAM)
    deleted = make_post(thread, parent=reply, author_name="Gone", body="Oops", created_at=next(at))
    Post.objects.filter(pk=deleted.pk).update(
        status=Post.Status.DELETED, body="", body_html="", author_name=""
    )
    Post.objects.filter(pk=reply.pk).update(edited_at=START + timedelta(days=1))
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    return Thread.objects.get(pk=thread.pk)


# Parley JSON


def json_lines(text):
    """The header and the items of a Parley JSON Lines archive."""
    # Only "\n" ends a line: a text may hold U+2028, which str.splitlines() would split on.
    header, *items = (json.loads(line) for line in text.removesuffix("\n").split("\n"))
    return header, items


def exported_json_posts():
    _header, items = json_lines(export_text("--format", "json"))
    return [item for item in items if item["type"] == "post"]


def test_json_export_is_a_header_line_then_each_discussion_then_each_post_a_line():
    thread = build_discussion()
    text = export_text("--format", "json")
    header, items = json_lines(text)
    assert header == {"format": "parley", "version": 3, "site": this_site_id(), "scope": "site"}
    assert [item["type"] for item in items] == ["discussion"] + ["post"] * Post.objects.count()
    discussion = items[0]
    assert discussion["external_id"] == f"parley:thread:{thread.pk}"
    assert discussion["article"]["lead_image_credit"] == "NASA"
    assert text.count("\n") == len(items) + 1


def test_json_export_lists_posts_in_tree_order_with_their_parents():
    build_discussion()
    posts = exported_json_posts()
    stored = Post.objects.order_by("tree_id", "lft")
    assert [post["external_id"] for post in posts] == [f"parley:post:{p.pk}" for p in stored]
    assert [post["parent"] for post in posts] == [
        None if p.parent_id is None else f"parley:post:{p.parent_id}" for p in stored
    ]


def test_json_export_keeps_the_external_ids_of_imported_posts():
    load(read_seed(), source="seed")
    posts = exported_json_posts()
    assert {post["external_id"] for post in posts} == {f"seed:{n}" for n in range(1, 15)}


def test_json_export_carries_markdown_sources_and_rendered_texts():
    build_discussion()
    posts = exported_json_posts()
    luna = next(post for post in posts if post["author_name"] == "luna")
    assert (luna["body"], luna["body_html"]) == (
        "**Bold** plan.",
        "<p><strong>Bold</strong> plan.</p>\n",
    )
    assert luna["author_username"] == "luna"


def test_json_round_trip_into_an_empty_database_keeps_every_post(tmp_path):
    thread = build_discussion()
    fields = ("author_name", "created_at", "edited_at", "status", "body", "body_html")
    before = tree_shape(thread, fields)
    text = export_text("--format", "json")
    empty_database()
    import_text(text, "json", tmp_path)
    imported = Thread.objects.get()
    assert tree_shape(imported, fields) == before
    assert trees.tree_faults() == []


def test_json_round_trip_keeps_the_thread_and_its_article(tmp_path):
    thread = build_discussion()
    text = export_text("--format", "json")
    empty_database()
    import_text(text, "json", tmp_path)
    imported = Thread.objects.select_related("article").get()
    assert (imported.title, imported.slug, imported.created_at, imported.is_locked) == (
        thread.title,
        thread.slug,
        thread.created_at,
        True,
    )
    article = imported.article
    assert (article.slug, article.published_at, article.byline, article.source) == (
        "moon-base-plans",
        START,
        "A. Writer",
        "https://source.example.com/moon",
    )
    assert (article.lead_image_caption, article.lead_image_credit) == ("A crater", "NASA")


def test_json_round_trip_of_a_generated_thread_of_five_thousand_posts(tmp_path):
    load(generated_thread(5000), source="parley")
    thread = Thread.objects.get()
    before = tree_shape(thread)
    text = export_text("--format", "json")
    empty_database()
    import_text(text, "json", tmp_path)
    assert tree_shape(Thread.objects.get()) == before
    assert trees.tree_faults() == []


def generated_thread(count):
    yield DiscussionRecord(external_id="parley:thread:1", title="Busy", created_at=START)
    for n in range(count):
        # Every tenth post starts a tree; the others answer an earlier post, some deep down.
        parent = None if n % 10 == 0 else f"parley:post:{(n - 1) // 3 if n % 4 else n - 1}"
        yield PostRecord(
            external_id=f"parley:post:{n}",
            discussion_external_id="parley:thread:1",
            parent_external_id=parent,
            author_name=f"Reader {n % 17}",
            created_at=START + timedelta(seconds=n),
            status="published" if n % 13 else "removed",
            body=f"Post *{n}*.",
        )


def test_json_round_trip_keeps_the_lock_reason(tmp_path):
    thread = build_discussion()
    Thread.objects.filter(pk=thread.pk).update(lock_reason="Off topic")
    text = export_text("--format", "json")
    empty_database()
    import_text(text, "json", tmp_path)
    assert Thread.objects.get().lock_reason == "Off topic"


def test_json_round_trip_keeps_line_separators_and_carriage_returns_in_texts(tmp_path):
    thread = make_thread()
    make_post(thread, author_name="Ana", body="One\u2028two\r\nthree\u2029four")
    before = tree_shape(thread)
    text = export_text("--format", "json")
    empty_database()
    import_text(text, "json", tmp_path)
    assert tree_shape(Thread.objects.get()) == before


def test_json_round_trip_of_the_seed_keeps_its_ids_and_texts(tmp_path):
    load(read_seed(), source="seed")
    before = tree_shape(Thread.objects.get())
    text = export_text("--format", "json")
    empty_database()
    import_text(text, "json", tmp_path)
    assert tree_shape(Thread.objects.get()) == before
    assert set(Post.objects.values_list("external_id", flat=True)) == {
        f"seed:{n}" for n in range(1, 15)
    }


# Disqus XML


def disqus_export(*args):
    return fromstring(export_text("--format", "disqus", *args).encode())


def exported_posts(document):
    return {post.get(DSQ_ID): post for post in document.iter(f"{DISQUS}post")}


def test_disqus_export_is_well_formed_with_every_thread_before_every_post():
    build_discussion()
    make_post(make_thread("Second"), author_name="Solo")
    document = disqus_export()
    kinds = [child.tag.removeprefix(DISQUS) for child in document]
    assert kinds == ["thread", "thread"] + ["post"] * Post.objects.count()


def test_disqus_export_gives_the_thread_link_title_time_and_lock():
    thread = build_discussion()
    (exported,) = disqus_export("--base-url", "https://news.example.com/").findall(
        f"{DISQUS}thread"
    )
    assert exported.get(DSQ_ID) == f"parley-{thread.pk}"
    assert (
        exported.findtext(f"{DISQUS}link") == "https://news.example.com/articles/moon-base-plans/"
    )
    assert exported.findtext(f"{DISQUS}title") == "Moon base plans"
    assert exported.findtext(f"{DISQUS}createdAt") == "2024-03-01T09:00:00Z"
    assert exported.findtext(f"{DISQUS}isClosed") == "true"


@override_settings(PARLEY_SITE_URL="https://news.example")
def test_disqus_export_links_threads_at_the_site_url_by_default():
    build_discussion()
    (exported,) = disqus_export().findall(f"{DISQUS}thread")
    assert exported.findtext(f"{DISQUS}link") == "https://news.example/articles/moon-base-plans/"


def test_disqus_export_names_each_parent_by_its_dsq_id_in_tree_order():
    build_discussion()
    posts = list(disqus_export().iter(f"{DISQUS}post"))
    stored = list(Post.objects.order_by("tree_id", "lft"))
    assert [post.get(DSQ_ID) for post in posts] == [f"parley-{p.pk}" for p in stored]
    parents = [post.find(f"{DISQUS}parent") for post in posts]
    assert [None if parent is None else parent.get(DSQ_ID) for parent in parents] == [
        None if p.parent_id is None else f"parley-{p.parent_id}" for p in stored
    ]


def test_disqus_export_reuses_the_ids_of_posts_imported_from_disqus(tmp_path):
    call_command(
        "import_comments",
        "tests/forum/archives/samples/disqus_export.xml",
        "--format",
        "disqus",
        stdout=io.StringIO(),
    )
    document = disqus_export()
    assert {thread.get(DSQ_ID) for thread in document.findall(f"{DISQUS}thread")} == {
        "5001",
        "5002",
    }
    reply = exported_posts(document)["9003"]
    assert reply.find(f"{DISQUS}parent").get(DSQ_ID) == "9002"
    assert reply.find(f"{DISQUS}thread").get(DSQ_ID) == "5001"


def test_disqus_export_maps_statuses_to_its_two_flags_and_isapproved():
    build_discussion()
    flags = {
        post.findtext(f"{DISQUS}author/{DISQUS}name"): (
            post.findtext(f"{DISQUS}isDeleted"),
            post.findtext(f"{DISQUS}isSpam"),
            post.findtext(f"{DISQUS}isApproved"),
        )
        for post in disqus_export().iter(f"{DISQUS}post")
    }
    assert flags["Kim"] == ("false", "false", None)
    assert flags["Shop"] == ("false", "true", None)
    assert flags["Troll"] == ("true", "false", None)
    assert flags[""] == ("true", "false", None)
    assert flags["Raj"] == ("false", "false", "false")


def test_disqus_export_keeps_a_removed_posts_text_in_its_message():
    build_discussion()
    posts = {
        post.findtext(f"{DISQUS}author/{DISQUS}name"): post.findtext(f"{DISQUS}message")
        for post in disqus_export().iter(f"{DISQUS}post")
    }
    assert posts["Troll"] == "<p>Rude</p>\n"
    assert posts[""] == ""


def test_disqus_export_writes_times_in_utc_with_a_z():
    thread = make_thread()
    make_post(thread, created_at=datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC))
    (post,) = disqus_export().iter(f"{DISQUS}post")
    assert post.findtext(f"{DISQUS}createdAt") == "2024-05-06T07:08:09.123456Z"


def test_disqus_export_escapes_markup_and_drops_characters_xml_cannot_carry():
    thread = make_thread('Tags <b> & "quotes" ]]>')
    make_post(thread, author_name="Bell\x07 & <Co>", body="a < b && c ]]> d\r\ne")
    document = disqus_export()
    (post,) = document.iter(f"{DISQUS}post")
    assert document.findtext(f"{DISQUS}thread/{DISQUS}title") == 'Tags <b> & "quotes" ]]>'
    assert post.findtext(f"{DISQUS}author/{DISQUS}name") == "Bell & <Co>"
    assert post.findtext(f"{DISQUS}message") == Post.objects.get().body_html


def test_disqus_round_trip_keeps_tree_authors_times_and_visible_texts(tmp_path):
    thread = build_discussion()
    before = tree_shape(thread, ("author_name", "created_at", "status", "body_html"))
    text = export_text("--format", "disqus")
    empty_database()
    import_text(text, "disqus", tmp_path)
    after = tree_shape(Thread.objects.get(), ("author_name", "created_at", "status", "body_html"))
    assert after == visible_in_disqus(before)
    assert trees.tree_faults() == []


def visible_in_disqus(shape):
    """What a Disqus export can carry: a removed post comes back deleted, without its text."""
    result = []
    for author, created_at, status, body_html, replies in shape:
        if status == Post.Status.REMOVED:
            author, status, body_html = "", Post.Status.DELETED, ""
        result.append((author, created_at, status, body_html, visible_in_disqus(replies)))
    return result


def test_disqus_round_trip_of_the_seed_keeps_every_word(tmp_path):
    load(read_seed(), source="seed")
    fields = ("author_name", "created_at", "status", "body_html")
    before = tree_shape(Thread.objects.get(), fields)
    text = export_text("--format", "disqus")
    empty_database()
    import_text(text, "disqus", tmp_path)
    assert tree_shape(Thread.objects.get(), fields) == before


def test_disqus_round_trip_of_a_generated_thread_of_five_thousand_posts(tmp_path):
    load(generated_thread(5000), source="parley")
    fields = ("author_name", "created_at", "status", "body_html")
    before = tree_shape(Thread.objects.get(), fields)
    text = export_text("--format", "disqus")
    empty_database()
    import_text(text, "disqus", tmp_path)
    assert tree_shape(Thread.objects.get(), fields) == visible_in_disqus(before)


# The command


def test_export_of_one_thread_leaves_the_others_out():
    build_discussion()
    make_post(make_thread("Other", slug="other"), author_name="Elsewhere")
    _header, items = json_lines(export_text("--format", "json", "other"))
    assert [(item["type"], item.get("slug") or item["author_name"]) for item in items] == [
        ("discussion", "other"),
        ("post", "Elsewhere"),
    ]


def test_export_of_an_unknown_thread_says_so():
    with pytest.raises(CommandError, match='No thread has the slug "nowhere"'):
        export_text("--format", "json", "nowhere")


def test_export_to_a_file_writes_it_and_leaves_no_partial_file(tmp_path):
    build_discussion()
    target = tmp_path / "comments.xml"
    out = io.StringIO()
    call_command("export_comments", "--format", "disqus", "-o", str(target), stdout=out)
    assert out.getvalue() == ""
    assert len(list(fromstring(target.read_bytes()).iter(f"{DISQUS}post"))) == 8
    assert [p.name for p in tmp_path.iterdir()] == ["comments.xml"]


def test_export_to_a_directory_that_does_not_exist_fails_clearly(tmp_path):
    with pytest.raises(CommandError, match=r"Cannot write .*missing/comments\.json"):
        call_command(
            "export_comments",
            "--format",
            "json",
            "-o",
            str(tmp_path / "missing" / "comments.json"),
        )


def manage(*args, database, **options):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": "not-secret",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=environment, **options
    )


def test_export_to_a_reader_that_stops_early_ends_quietly(tmp_path):
    database = tmp_path / "site.sqlite3"
    for command in (["migrate", "-v0"], ["load_seed"]):
        manage(*command, database=database, check=True, capture_output=True)
    reading_end, writing_end = os.pipe()
    os.close(reading_end)  # a reader that has stopped, as head does after its lines
    try:
        export = manage(
            "export_comments",
            "--format",
            "json",
            database=database,
            stdout=writing_end,
            stderr=subprocess.PIPE,
        )
    finally:
        os.close(writing_end)
    assert export.stderr.decode() == ""
    assert export.returncode == 1
