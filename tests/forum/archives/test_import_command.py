"""import_comments: a whole archive in one command, stored in one transaction, summarised."""

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from forum import moderation, trees
from forum.models import ModerationRecord, Post, Thread
from tests.factories import make_article, make_moderator, make_post, make_thread, make_user
from tests.forum.archives.hostile_files import too_deep

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"
MOON = "wordpress:blog.example.org"


def import_file(path, format="disqus", *options):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_comments", str(path), "--format", format, *options, stdout=out, stderr=err
    )
    return out.getvalue()


def stored(external_id):
    return Post.objects.select_related("parent").get(external_id=external_id)


def tree_fields():
    return list(
        Post.objects.order_by("pk").values_list("pk", "parent_id", "lft", "rght", "status")
    )


def write_variant(tmp_path, name, old, new):
    """A copy of a sample with one piece of text changed."""
    data = (SAMPLES / name).read_bytes()
    assert old in data
    variant = tmp_path / name
    variant.write_bytes(data.replace(old, new))
    return variant


def test_a_disqus_export_becomes_threads_and_posts_in_valid_trees():
    import_file(SAMPLES / "disqus_export.xml")
    assert set(Thread.objects.values_list("external_id", flat=True)) == {
        "disqus:5001",
        "disqus:5002",
    }
    assert Post.objects.count() == 8
    assert stored("disqus:9003").parent.external_id == "disqus:9002"
    assert stored("disqus:9002").parent.external_id == "disqus:9001"
    assert trees.tree_faults() == []


def test_a_disqus_import_stores_names_times_statuses_and_sanitised_texts():
    import_file(SAMPLES / "disqus_export.xml")
    post = stored("disqus:9006")
    assert (post.author_name, post.author_id) == ("Guest Reader", None)
    assert post.created_at == datetime(2019, 4, 1, 12, 0, tzinfo=UTC)
    assert "<script" not in post.body_html
    assert post.body.startswith("> Water on Mars")
    assert stored("disqus:9004").status == Post.Status.SPAM
    deleted = stored("disqus:9005")
    assert (deleted.status, deleted.body, deleted.author_name) == ("deleted", "", "")


def test_a_closed_disqus_thread_is_imported_locked():
    import_file(SAMPLES / "disqus_export.xml")
    assert Thread.objects.get(external_id="disqus:5002").is_locked is True


def test_imported_authors_are_never_linked_to_local_accounts_of_the_same_name():
    make_user("ada")
    import_file(SAMPLES / "disqus_export.xml")
    assert stored("disqus:9001").author_id is None


def test_a_disqus_thread_goes_to_the_article_first_published_at_its_link():
    article = make_article(source="https://news.example.com/2019/mars-water/")
    output = import_file(SAMPLES / "disqus_export.xml")
    thread = Thread.objects.get(external_id="disqus:5001")
    assert thread.article == article
    assert "Discussions: 2 added, 0 already here" in output
    assert stored("disqus:9001").thread == thread


def test_a_disqus_thread_linking_to_an_article_with_a_thread_fills_that_thread():
    article = make_article(source="https://news.example.com/2019/mars-water/")
    thread = make_thread(article=article)
    output = import_file(SAMPLES / "disqus_export.xml")
    thread.refresh_from_db()
    assert "Discussions: 1 added, 1 already here" in output
    assert thread.external_id == "disqus:5001"
    assert stored("disqus:9001").thread == thread
    assert thread.post_count == thread.posts.filter(status=Post.Status.PUBLISHED).count() > 0


def test_the_summary_counts_what_was_added_and_what_was_skipped():
    output = import_file(SAMPLES / "disqus_export.xml")
    assert "Discussions: 2 added, 0 already here" in output
    assert "Posts: 8 added, 0 with a new status, 0 unchanged" in output
    assert "  threads deleted in Disqus: 1" in output
    assert "  disqus:9020: its thread disqus:5003 was deleted in Disqus" in output


def test_importing_the_same_file_again_adds_nothing():
    import_file(SAMPLES / "disqus_export.xml")
    before = tree_fields()
    output = import_file(SAMPLES / "disqus_export.xml")
    assert "Discussions: 0 added, 2 already here" in output
    assert "Posts: 0 added, 0 with a new status, 8 unchanged" in output
    assert tree_fields() == before


def test_a_newer_export_adds_replies_at_several_depths_and_updates_statuses():
    import_file(SAMPLES / "disqus_export.xml")
    output = import_file(SAMPLES / "disqus_export_newer.xml")
    assert "Posts: 5 added, 1 with a new status, 7 unchanged" in output
    chain = ["disqus:9001", "disqus:9002", "disqus:9003", "disqus:9008", "disqus:9012"]
    assert [stored(external_id).level for external_id in chain] == [0, 1, 2, 3, 4]
    assert stored("disqus:9012").parent.external_id == "disqus:9008"
    assert stored("disqus:9009").parent.external_id == "disqus:9006"
    assert stored("disqus:9011").thread.external_id == "disqus:5002"
    assert stored("disqus:9013").parent is None
    assert stored("disqus:9002").status == Post.Status.SPAM
    assert trees.tree_faults() == []


def test_a_reply_written_on_the_site_survives_a_newer_import():
    import_file(SAMPLES / "disqus_export.xml")
    local = make_post(Thread.objects.get(external_id="disqus:5001"), parent=stored("disqus:9003"))
    import_file(SAMPLES / "disqus_export_newer.xml")
    local.refresh_from_db()
    assert local.parent.external_id == "disqus:9003"
    assert trees.tree_faults() == []


def test_a_wordpress_export_reports_pingbacks_and_trackbacks_skipped():
    output = import_file(SAMPLES / "wordpress_wxr_1_2.xml", "wxr")
    assert f"  {MOON}:103: a pingback, not a comment" in output
    assert f"  {MOON}:107: a trackback, not a comment" in output
    assert "Posts: 8 added" in output


def test_a_wordpress_import_stores_statuses_parents_and_the_fallback_time():
    import_file(SAMPLES / "wordpress_wxr_1_2.xml", "wxr")
    assert stored(f"{MOON}:102").status == Post.Status.PENDING
    assert stored(f"{MOON}:105").status == Post.Status.REMOVED
    assert stored(f"{MOON}:105").parent.external_id == f"{MOON}:102"
    assert stored(f"{MOON}:108").created_at == datetime(2012, 6, 2, 8, 30, tzinfo=UTC)
    thread = Thread.objects.get(external_id=f"{MOON}:42")
    assert (thread.title, thread.slug) == ("Hello Moon", "hello-moon")
    assert trees.tree_faults() == []


def test_a_wordpress_1_0_export_imports():
    import_file(SAMPLES / "wordpress_wxr_1_0.xml", "wxr")
    reply = stored("wordpress:stargazer.example.com:4")
    assert reply.parent.external_id == "wordpress:stargazer.example.com:3"


def test_a_dry_run_reports_what_it_would_do_and_stores_nothing():
    output = import_file(SAMPLES / "disqus_export.xml", "disqus", "--dry-run")
    assert "Posts: 8 added" in output
    assert "Dry run: nothing was saved." in output
    assert (Thread.objects.count(), Post.objects.count()) == (0, 0)


def test_a_post_whose_parent_is_missing_is_skipped_with_a_reason(tmp_path):
    variant = write_variant(
        tmp_path, "disqus_export.xml", b'<parent dsq:id="9002" />', b'<parent dsq:id="404" />'
    )
    output = import_file(variant)
    assert "disqus:9003: its parent disqus:404 is not in the discussion" in output
    assert not Post.objects.filter(external_id="disqus:9003").exists()


def test_orphans_attach_puts_a_post_whose_parent_is_missing_at_the_top_level(tmp_path):
    variant = write_variant(
        tmp_path, "disqus_export.xml", b'<parent dsq:id="9002" />', b'<parent dsq:id="404" />'
    )
    import_file(variant, "disqus", "--orphans", "attach")
    assert stored("disqus:9003").parent is None
    assert trees.tree_faults() == []


def test_an_entity_bomb_is_refused_and_nothing_is_stored():
    thread = make_thread()
    make_post(thread)
    with pytest.raises(CommandError, match="refused: the file defines XML entities"):
        import_file(SAMPLES / "entity_bomb.xml")
    assert (Thread.objects.count(), Post.objects.count()) == (1, 1)


def test_a_deeply_nested_file_is_refused_clearly_and_nothing_is_stored(tmp_path):
    thread = make_thread()
    make_post(thread)
    deep = tmp_path / "deep.xml"
    deep.write_bytes(too_deep(100_000))  # the sample's real posts, then 100,000 levels

    with pytest.raises(CommandError) as refusal:
        import_file(deep)

    assert str(refusal.value) == (
        f"Nothing imported from {deep}: refused: its elements nest more than 64 levels deep, "
        "far deeper than any export of comments"
    )
    assert (Thread.objects.count(), Post.objects.count()) == (1, 1)


def test_an_external_entity_is_refused():
    with pytest.raises(CommandError, match="external entity"):
        import_file(SAMPLES / "external_entity.xml", "wxr")
    assert Thread.objects.count() == 0


def test_a_file_that_breaks_after_valid_posts_leaves_the_database_as_it_was(tmp_path):
    import_file(SAMPLES / "disqus_export.xml")
    before = tree_fields()
    data = (SAMPLES / "disqus_export_newer.xml").read_bytes()
    broken = tmp_path / "broken.xml"
    broken.write_bytes(data[: data.index(b'<post dsq:id="9009">')] + b"<post><oops></post>")
    with pytest.raises(CommandError, match=r"Nothing imported from .*broken\.xml: malformed XML"):
        import_file(broken, "disqus", "--strict")
    assert tree_fields() == before
    assert not Post.objects.filter(external_id="disqus:9012").exists()


def test_strict_refuses_malformed_xml_naming_the_line():
    with pytest.raises(CommandError, match="malformed XML at line 9"):
        import_file(SAMPLES / "malformed.xml", "disqus", "--strict")
    assert Thread.objects.count() == 0


def test_a_file_of_another_format_is_refused_clearly():
    with pytest.raises(CommandError, match="not the expected format: the document starts with"):
        import_file(SAMPLES / "wordpress_wxr_1_2.xml", "disqus")


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*nowhere\.xml: No such file"):
        import_file(tmp_path / "nowhere.xml")


def test_the_progress_bar_stays_off_the_output_when_nobody_watches(capsys):
    output = import_file(SAMPLES / "disqus_export.xml")
    assert output.startswith("Discussions:")
    assert capsys.readouterr().err == ""


# Conflicts: a post found again that differs from the stored one


def test_a_post_seen_again_with_another_text_keeps_its_text_and_is_listed(tmp_path):
    import_file(SAMPLES / "disqus_export.xml")
    changed = write_variant(
        tmp_path, "disqus_export.xml", b"Agreed with Grace.", b"Agreed with Grace, edited."
    )
    output = import_file(changed)
    assert stored("disqus:9003").body_html == "<p>Agreed with Grace.</p>"
    assert (
        "Conflicts between the file and this site: 1 "
        "(to take the file's status and text: --update, or “Let the file win”)" in output
    )
    assert "  disqus:9003: its text differs from this site's; this site's kept" in output
    assert "Posts: 0 added, 0 with a new status, 7 unchanged" in output


def test_update_takes_the_new_text_and_writes_an_audit_record(tmp_path):
    import_file(SAMPLES / "disqus_export.xml")
    changed = write_variant(
        tmp_path, "disqus_export.xml", b"Agreed with Grace.", b"Agreed with Grace, edited."
    )
    output = import_file(changed, "disqus", "--update")
    post = stored("disqus:9003")
    assert post.body_html == "<p>Agreed with Grace, edited.</p>"
    assert "Agreed with Grace, edited." in post.body
    assert "Posts changed to the file's version: 1" in output
    record = ModerationRecord.objects.get(action=ModerationRecord.Action.IMPORT_UPDATE)
    assert (record.post, record.moderator, record.details) == (
        post,
        None,
        {"text_replaced": True},
    )


def test_a_status_a_moderator_decided_here_wins_over_the_file(tmp_path):
    import_file(SAMPLES / "disqus_export.xml")
    post = stored("disqus:9003")
    moderation.remove_post(post=post, moderator=make_moderator(), reason="Off topic")
    output = import_file(SAMPLES / "disqus_export.xml")
    assert stored("disqus:9003").status == Post.Status.REMOVED
    assert (
        "  disqus:9003: the file says published, this site says removed; this site's kept"
        in output
    )
