"""What an import keeps from a file that lacks something: stand-ins, never silent drops."""

import gzip
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from forum.models import Post, Thread
from tests.factories import make_article

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"
MOON = "wordpress:blog.example.org"


def import_file(path, format="disqus", *options):
    out = io.StringIO()
    call_command("import_comments", str(path), "--format", format, *options, stdout=out)
    return out.getvalue()


def variant(tmp_path, name, *changes, suffix=""):
    """A copy of a sample with some pieces of its text changed."""
    data = (SAMPLES / name).read_bytes()
    for old, new in changes:
        assert old in data, old
        data = data.replace(old, new, 1)
    path = tmp_path / (name + suffix)
    path.write_bytes(data)
    return path


def stored(external_id):
    return Post.objects.get(external_id=external_id)


# Images


def test_an_image_in_a_comment_becomes_a_link_labelled_with_its_alt_text(client, tmp_path):
    path = variant(
        tmp_path,
        "disqus_export.xml",
        (
            b"<p>First!</p>",
            b'<p>First! <img src="https://mars.example/crater.jpg" alt="A crater"></p>',
        ),
    )
    import_file(path)

    post = stored("disqus:9001")
    assert (
        '<a href="https://mars.example/crater.jpg" rel="nofollow ugc noopener">A crater</a>'
        in (post.body_html)
    )
    assert "[A crater](https://mars.example/crater.jpg)" in post.body
    page = client.get(post.thread.get_absolute_url()).content.decode()
    assert "A crater</a>" in page and "<img" not in page


def test_an_image_without_alt_text_is_a_link_called_image(tmp_path):
    path = variant(
        tmp_path,
        "disqus_export.xml",
        (b"<p>First!</p>", b'<p>First!<img src="http://mars.example/a.png"/></p>'),
    )
    import_file(path)
    assert '">image</a>' in stored("disqus:9001").body_html


# Missing dates, ids and statuses


def test_a_comment_without_a_date_gets_its_posts_date_and_is_marked(tmp_path):
    path = variant(
        tmp_path,
        "wordpress_wxr_1_2.xml",
        (b"<wp:comment_date><![CDATA[2012-06-01 13:00:00]]></wp:comment_date>", b""),
        (b"<wp:comment_date_gmt><![CDATA[2012-06-01 11:00:00]]></wp:comment_date_gmt>", b""),
    )
    import_file(path, "wxr")
    post = stored(f"{MOON}:101")
    assert post.created_at == datetime(2012, 6, 1, 10, 0, tzinfo=UTC)  # the post's GMT date
    assert post.dated_by_importer is True
    assert stored(f"{MOON}:102").dated_by_importer is False


def test_a_comment_without_a_date_in_a_post_without_one_gets_the_previous_comments(tmp_path):
    path = variant(
        tmp_path,
        "wordpress_wxr_1_2.xml",
        (b"<wp:post_date><![CDATA[2012-06-01 12:00:00]]></wp:post_date>", b""),
        (b"<wp:post_date_gmt><![CDATA[2012-06-01 10:00:00]]></wp:post_date_gmt>", b""),
        (b"<wp:comment_date><![CDATA[2012-06-01 14:00:00]]></wp:comment_date>", b""),
        (b"<wp:comment_date_gmt><![CDATA[2012-06-01 12:00:00]]></wp:comment_date_gmt>", b""),
    )
    import_file(path, "wxr")
    assert stored(f"{MOON}:102").created_at == stored(f"{MOON}:101").created_at
    assert stored(f"{MOON}:102").dated_by_importer is True


def test_a_disqus_post_without_any_date_to_borrow_gets_the_import_time(tmp_path):
    path = variant(
        tmp_path,
        "disqus_export.xml",
        # Thread 5001's date, then that of its post 9001, the first post in the file.
        (b"<createdAt>2019-04-01T09:00:00Z</createdAt>", b"<createdAt>?</createdAt>"),
        (b"<createdAt>2019-04-01T09:15:00Z</createdAt>", b"<createdAt>soon</createdAt>"),
    )
    before = timezone.now()
    import_file(path)
    post = stored("disqus:9001")
    assert before <= post.created_at <= timezone.now()
    assert post.dated_by_importer is True


def test_a_disqus_post_with_an_unreadable_flag_waits_for_a_moderator(tmp_path):
    path = variant(
        tmp_path,
        "disqus_export.xml",
        (b"<isSpam>false</isSpam>", b"<isSpam>123</isSpam>"),
    )
    import_file(path)
    assert stored("disqus:9001").status == Post.Status.PENDING


def test_a_disqus_post_without_an_id_gets_one_that_a_reimport_finds_again(tmp_path):
    path = variant(tmp_path, "disqus_export.xml", (b'<post dsq:id="9001">', b"<post>"))
    import_file(path)
    (made_up,) = Post.objects.exclude(external_id__regex=r"^disqus:[0-9]+$")
    assert made_up.external_id.startswith("disqus:sha-")
    assert made_up.body_html.startswith("<p>First!</p>")

    output = import_file(path)

    assert (
        "Posts: 0 added, 0 with a new status, 5 unchanged" in output
    )  # 3 replies below it lost their parent
    assert Post.objects.filter(body_html=made_up.body_html).count() == 1


def test_a_wordpress_item_without_a_post_id_is_known_by_the_p_of_its_guid(tmp_path):
    path = variant(tmp_path, "wordpress_wxr_1_2.xml", (b"<wp:post_id>42</wp:post_id>", b""))
    import_file(path, "wxr")
    assert Thread.objects.get(external_id=f"{MOON}:42").title == "Hello Moon"
    assert stored(f"{MOON}:101").thread.external_id == f"{MOON}:42"


# Threads without posts


def test_a_disqus_thread_without_posts_is_not_made_a_discussion(tmp_path):
    # Thread 5002 loses its posts: they name a thread the file does not hold.
    path = variant(
        tmp_path, "disqus_export.xml", (b'<thread dsq:id="5002" />', b'<thread dsq:id="404" />')
    )
    output = import_file(path)
    assert not Thread.objects.filter(external_id="disqus:5002").exists()
    assert "  threads without a post (nor an article here): 1" in output


def test_a_disqus_thread_without_posts_still_joins_its_article(tmp_path):
    path = variant(
        tmp_path, "disqus_export.xml", (b'<thread dsq:id="5002" />', b'<thread dsq:id="404" />')
    )
    article = make_article(source="https://news.example.com/2019/station-cooperation/")
    import_file(path)
    assert Thread.objects.get(external_id="disqus:5002").article == article


# A file without comments, a gzipped one


def test_a_file_in_which_no_comment_was_recognised_fails_naming_what_was_looked_for(tmp_path):
    path = variant(
        tmp_path,
        "wordpress_wxr_1_2.xml",
        (b'xmlns:wp="http://wordpress.org/export/1.2/"', b'xmlns:wp="http://example.com/wxr/"'),
    )
    with pytest.raises(
        CommandError, match=r"no comment found in the file: looked for <wp:comment>"
    ):
        import_file(path, "wxr")
    assert not Thread.objects.exists()


def test_wxr_1_2_under_https_is_read(tmp_path):
    path = variant(
        tmp_path,
        "wordpress_wxr_1_2.xml",
        (
            b'xmlns:wp="http://wordpress.org/export/1.2/"',
            b'xmlns:wp="https://wordpress.org/export/1.2/"',
        ),
    )
    assert "Posts: 8 added" in import_file(path, "wxr")


def test_a_gzipped_disqus_export_is_read_as_disqus_delivers_it(tmp_path):
    path = tmp_path / "export.xml.gz"
    path.write_bytes(gzip.compress((SAMPLES / "disqus_export.xml").read_bytes()))
    assert "Posts: 8 added" in import_file(path)
