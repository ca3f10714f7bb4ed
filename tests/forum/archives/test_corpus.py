"""Every real export in ../shared/corpus/imports imports as its user would expect.

The expected figures were written from reading each file (the comment above each says how it
was counted), not from running the importer: grep for the elements, then read the statuses,
parents and threads of each comment.
"""

import io
import re
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from forum.models import Post, Thread
from tests.factories import make_user
from tests.markup import Page

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Expected:
    format: str
    comments: int  # comment elements in the raw file, whatever their namespace
    discussions: int
    statuses: dict  # stored posts by status
    replies: int
    skipped: dict = field(default_factory=dict)  # id (or line) -> reason
    dated_by_importer: int = 0
    damaged: bool = False


EXPECTED = {
    # 6 <post>: 4, 5 (a reply to 4), 8 and 11 (a reply to 9) published; 9 isDeleted; 6 names
    # thread 1337, which is not in the file. Threads 2 and 7 have posts; 3 has none.
    "isso--disqus.xml": Expected(
        "disqus",
        comments=6,
        discussions=2,
        statuses={"published": 4, "deleted": 1},
        replies=2,
        skipped={"disqus:6": "its discussion disqus:1337 is not in the import"},
    ),
    # 8 <wp:comment>, all approved: 7 in item 18 (7 answers 6, 8 and 9 answer 7), and one in
    # an item with no wp:post_id (its link is ?p=4) that reuses comment id 11.
    "isso--wordpress.xml": Expected(
        "wxr", comments=8, discussions=2, statuses={"published": 8}, replies=3
    ),
    # 6 <post> in 2 threads, none with a <parent>: 299986073 isSpam; x299986073 has
    # <isSpam>123</isSpam>, an unreadable createdAt and the unquoted thread attribute (line
    # 147); the one without a dsq:id is an ordinary post. A backquote precedes <?xml.
    "remark42--disqus.xml": Expected(
        "disqus",
        comments=6,
        discussions=2,
        statuses={"published": 4, "spam": 1, "pending": 1},
        replies=0,
        dated_by_importer=1,
        damaged=True,
    ),
    # The same file with <isDeleted>true</isDeleted> for post 299619020 (line 55).
    "remark42--disqus-deleted-post.xml": Expected(
        "disqus",
        comments=6,
        discussions=2,
        statuses={"published": 3, "deleted": 1, "spam": 1, "pending": 1},
        replies=0,
        dated_by_importer=1,
        damaged=True,
    ),
    # The same file with thread 247937687 deleted (line 45): its 4 posts go with it, and the
    # 2 posts of thread 247918464 stay.
    "remark42--disqus-deleted-thread.xml": Expected(
        "disqus",
        comments=6,
        discussions=1,
        statuses={"published": 2},
        replies=0,
        skipped={
            f"disqus:{number}": "its thread disqus:247937687 was deleted in Disqus"
            for number in ("299619020", "299744309", "299986073", "x299986073")
        },
        damaged=True,
    ),
    # 29 <wp:comment> in 5 items; 4 are pingbacks (ids 921 to 924); 24 approved; 167 has
    # neither a date nor wp:comment_approved (pending, dated by the importer); 9 answer another.
    "wordpress-importer--a11y-unit-test-data.xml": Expected(
        "wxr",
        comments=29,
        discussions=5,
        statuses={"published": 24, "pending": 1},
        replies=9,
        skipped={
            f"wordpress:wpthemetestdata.wordpress.com:{n}": "a pingback, not a comment"
            for n in range(921, 925)
        },
        dated_by_importer=1,
    ),
    # One approved comment each.
    "wordpress-importer--slashes.xml": Expected("wxr", 1, 1, {"published": 1}, 0),
    "wordpress-importer--small-export.xml": Expected("wxr", 1, 1, {"published": 1}, 0),
    "wordpress-importer--test-serialized-comment-meta.xml": Expected(
        "wxr", 1, 1, {"published": 1}, 0
    ),
    "wordpress-importer--valid-wxr-1.0.xml": Expected("wxr", 1, 1, {"published": 1}, 0),
    "wordpress-importer--valid-wxr-1.1.xml": Expected("wxr", 1, 1, {"published": 1}, 0),
    "wordpress-importer--wxr-comprehensive.xml": Expected("wxr", 1, 1, {"published": 1}, 0),
    # WXR 1.2 under https://: 33 <wp:comment> in 7 items; 2 trackbacks (921, 922) and 2
    # pingbacks (923, 924); of the other 29, 26 approved and 3 held (approved 0); 10 replies.
    "wordpress-importer--theme-unit-test-data.xml": Expected(
        "wxr",
        comments=33,
        discussions=7,
        statuses={"published": 26, "pending": 3},
        replies=10,
        skipped={
            "wordpress:wpthemetestdata.wordpress.com:921": "a trackback, not a comment",
            "wordpress:wpthemetestdata.wordpress.com:922": "a trackback, not a comment",
            "wordpress:wpthemetestdata.wordpress.com:923": "a pingback, not a comment",
            "wordpress:wpthemetestdata.wordpress.com:924": "a pingback, not a comment",
        },
    ),
    # One comment with no date, no approval state, in an item with no date either.
    "wordpress-importer--wxr-with-sub-data.xml": Expected(
        "wxr", 1, 1, {"pending": 1}, 0, dated_by_importer=1
    ),
}
# Any prefix, or none: a count that does not depend on the namespaces the importer knows.
RAW_COMMENT = {
    "wxr": re.compile(rb"<(?:[A-Za-z_][-\w.]*:)?comment[\s>]"),
    "disqus": re.compile(rb"<(?:[A-Za-z_][-\w.]*:)?post[\s>]"),
}


def import_file(path, format, *options):
    out = io.StringIO()
    call_command("import_comments", str(path), "--format", format, *options, stdout=out)
    return out.getvalue().splitlines()


def skipped_lines(lines):
    start = next((i for i, line in enumerate(lines) if line.startswith("Skipped: ")), None)
    if start is None:
        return {}
    listed = [line.strip().rsplit(": ", 1) for line in lines[start + 1 :] if line[:2] == "  "]
    return dict(listed)


def test_every_corpus_file_has_its_expectation(corpus_imports):
    assert sorted(path.name for path in corpus_imports.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_corpus_file_imports_as_its_user_would_expect(corpus_imports, name):
    expected = EXPECTED[name]

    lines = import_file(corpus_imports / name, expected.format)

    stored = sum(expected.statuses.values())
    assert (
        f"Comments in the file: {expected.comments}, of which {stored} stored and "
        in "\n".join(lines)
    )
    assert skipped_lines(lines) == expected.skipped
    assert any(line.startswith("The file is damaged") for line in lines) is expected.damaged
    statuses = {}
    for status in Post.objects.values_list("status", flat=True):
        statuses[status] = statuses.get(status, 0) + 1
    assert statuses == expected.statuses
    assert Post.objects.filter(parent__isnull=False).count() == expected.replies
    assert Post.objects.filter(dated_by_importer=True).count() == expected.dated_by_importer
    assert Thread.objects.count() == expected.discussions


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_report_accounts_for_every_comment_element_in_the_raw_file(corpus_imports, name):
    expected = EXPECTED[name]
    raw = len(RAW_COMMENT[expected.format].findall((corpus_imports / name).read_bytes()))

    lines = import_file(corpus_imports / name, expected.format)

    (counts,) = [line for line in lines if line.startswith("Comments in the file: ")]
    numbers = [int(number) for number in re.findall(r"\d+", counts)]
    assert numbers[0] == raw
    assert numbers[1] + numbers[2] == raw
    assert numbers[1] == Post.objects.count()
    assert numbers[2] == len(skipped_lines(lines))


def test_a_reimport_of_a_corpus_file_adds_nothing(corpus_imports):
    # Posts without an id of their own get one derived from what they say: found again.
    path = corpus_imports / "remark42--disqus.xml"
    import_file(path, "disqus")
    before = sorted(Post.objects.values_list("external_id", flat=True))

    lines = import_file(path, "disqus")

    assert "Posts: 0 added, 0 with a new status, 6 unchanged" in lines
    assert sorted(Post.objects.values_list("external_id", flat=True)) == before


def test_strict_refuses_a_damaged_corpus_file_and_stores_nothing(corpus_imports):
    with pytest.raises(CommandError, match="malformed XML at line 1, column 1"):
        import_file(corpus_imports / "remark42--disqus.xml", "disqus", "--strict")
    assert not Post.objects.exists()


def test_the_admin_upload_page_reports_what_the_command_does(corpus_imports):
    path = corpus_imports / "wordpress-importer--theme-unit-test-data.xml"
    user = make_user()
    user.is_staff = True
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="add_post"))
    client = Client()
    client.force_login(user)
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    response = client.post(
        reverse("admin:forum_post_import"),
        {"file": upload, "format": "wxr", "orphans": "skip", "dry_run": "on"},
    )
    page = Page(response.content.decode())
    (summary,) = page.find_all("ul", "import-report")
    shown = [page.text(item).strip() for item in page.find_all("li") if item.parent is summary]

    assert not Post.objects.exists()  # a dry run
    assert shown == [line.strip() for line in import_file(path, "wxr", "--dry-run")]


def test_a_cyrillic_thread_title_keeps_its_letters_in_the_address(corpus_imports, client):
    # Both threads of Remark42's export carry the same Cyrillic title, ending in 229.
    import_file(corpus_imports / "remark42--disqus.xml", "disqus")

    slugs = sorted(Thread.objects.values_list("slug", flat=True))

    assert slugs == ["радио-т-радио-т-229", "радио-т-радио-т-229-2"]
    for thread in Thread.objects.all():
        response = client.get(thread.get_absolute_url())
        assert response.status_code == 200
        assert thread.title in response.content.decode()
