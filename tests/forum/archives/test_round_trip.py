"""Parley's own JSON export, imported back into the site it came from and into an empty one."""

import io
import json
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command

from forum import events, moderation, services, trees
from forum.models import Ban, Flag, Installation, ModerationRecord, Post, Thread, Vote
from tests.factories import make_moderator

from .seeded_site import (
    SITE_POSTS,
    build_seeded_site,
    copies_by_exported_id,
    empty_site,
    posts_by_exported_id,
    site_counts,
)

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"
MOON = "wordpress:blog.example.org"


def export_to(tmp_path, *args):
    target = tmp_path / "site.json"
    call_command("export_comments", "--format", "json", *args, "-o", str(target))
    return target


def import_file(path, *args):
    out = io.StringIO()
    call_command("import_comments", str(path), "--format", "json", *args, stdout=out)
    return out.getvalue()


def another_site():
    """Make this database another installation, as a fresh site elsewhere would be."""
    Installation.objects.update(site_id=uuid.uuid4())


@pytest.fixture
def seeded(db):
    build_seeded_site()
    return site_counts()


def test_the_seeded_site_has_its_own_posts_and_a_split_off_discussion(seeded):
    assert seeded["posts"] == 14 + SITE_POSTS
    assert seeded["threads"] == 2
    assert Post.objects.filter(external_id__isnull=True).count() == SITE_POSTS


# Into the site it came from


def test_an_export_imported_into_its_own_site_adds_and_changes_nothing(seeded, tmp_path):
    before = posts_by_exported_id()
    report = import_file(export_to(tmp_path))
    assert site_counts() == seeded
    assert posts_by_exported_id() == before
    assert "Posts: 0 added, 0 with a new status, 26 unchanged" in report
    assert "Discussions: 0 added, 2 already here" in report
    assert "Reports: 0 added, 3 already here" in report
    assert "Conflicts" not in report


def test_a_removal_made_after_the_export_stays_and_is_listed_as_a_conflict(seeded, tmp_path):
    path = export_to(tmp_path)
    post = Post.objects.get(body="A calm answer.")
    moderation.remove_post(post=post, moderator=make_moderator(), reason="Second thoughts")
    report = import_file(path)
    assert Post.objects.get(pk=post.pk).status == Post.Status.REMOVED
    assert (
        f"parley:post:{post.pk}: the file says published, this site says removed; "
        "this site's kept" in report
    )
    assert (
        "Conflicts between the file and this site: 1 "
        "(to take the file's status and text: --update, or “Let the file win”)" in report
    )


def test_update_lets_the_file_win_and_writes_an_audit_record(seeded, tmp_path):
    path = export_to(tmp_path)
    post = Post.objects.get(body="A calm answer.")
    moderation.remove_post(post=post, moderator=make_moderator(), reason="Second thoughts")
    report = import_file(path, "--update")
    assert Post.objects.get(pk=post.pk).status == Post.Status.PUBLISHED
    assert "the file's taken" in report
    record = ModerationRecord.objects.filter(action="import_update").get()
    assert (record.post_id, record.details["previous_status"], record.details["status"]) == (
        post.pk,
        "removed",
        "published",
    )
    assert (
        Thread.objects.get(pk=post.thread_id).post_count
        == Post.objects.filter(thread_id=post.thread_id, status="published").count()
    )


def test_an_edit_made_after_the_export_is_kept_and_listed_as_a_conflict(seeded, tmp_path):
    path = export_to(tmp_path)
    post = Post.objects.get(body="Thanks, Cy.")
    services.edit_post(post=post, editor=post.author, body="Thanks a lot, Cy.")
    report = import_file(path)
    assert Post.objects.get(pk=post.pk).body == "Thanks a lot, Cy."
    assert f"parley:post:{post.pk}: its text differs from this site's; this site's kept" in report


def test_an_authors_deletion_is_never_undone_even_with_update(seeded, tmp_path):
    path = export_to(tmp_path)
    post = Post.objects.get(body="Thanks, Cy.")
    services.delete_post(post=post, author=post.author)
    report = import_file(path, "--update")
    stored = Post.objects.get(pk=post.pk)
    assert (stored.status, stored.body) == (Post.Status.DELETED, "")
    assert "its author deleted it here, which an import never undoes" in report


# Into an empty site


def test_into_the_emptied_site_every_post_comes_back_as_it_was(seeded, tmp_path):
    before = posts_by_exported_id()
    path = export_to(tmp_path)
    empty_site()
    import_file(path)
    assert copies_by_exported_id() == before
    assert set(Thread.objects.values_list("title", flat=True)) == {
        "China Ready to Cooperate with Russia on Orbital Space Station",
        "Rockets",
    }
    assert trees.tree_faults() == []


def test_into_the_emptied_site_accounts_votes_and_history_come_back(seeded, tmp_path):
    authors = dict(Post.objects.values_list("body", "author__username"))
    voters = sorted(Vote.objects.values_list("user__username", "value", "post__body"))
    path = export_to(tmp_path)
    empty_site()
    import_file(path)
    assert site_counts() == seeded
    assert dict(Post.objects.values_list("body", "author__username")) == authors
    assert sorted(Vote.objects.values_list("user__username", "value", "post__body")) == voters
    ban = Ban.objects.get()
    assert (ban.user.username, ban.created_by.username, ban.is_active()) == ("ben", "mod", True)
    flags = sorted(Flag.objects.values_list("reporter__username", "reason", "post__body"))
    assert flags == [
        ("ana", "abuse", "Rude words."),
        ("ana", "off-topic", "Cy joins in."),
        ("cy", "spam", "Buy cheap things."),
    ]
    split = ModerationRecord.objects.get(action="split")
    assert (split.moderator.username, split.post.body, split.thread.slug) == (
        "mod",
        "A tangent about rockets.",
        Thread.objects.get(article__isnull=False).slug,
    )


def test_a_second_import_into_the_emptied_site_adds_nothing(seeded, tmp_path):
    path = export_to(tmp_path)
    empty_site()
    import_file(path)
    after_first = site_counts()
    report = import_file(path)
    assert site_counts() == after_first == seeded
    assert "Posts: 0 added" in report


def test_into_another_site_authors_stay_names_and_votes_totals(seeded, tmp_path):
    before = posts_by_exported_id()
    path = export_to(tmp_path)
    empty_site()
    another_site()
    report = import_file(path)
    assert copies_by_exported_id() == before
    assert not Post.objects.filter(author__isnull=False).exists()
    assert Vote.objects.count() == 0
    assert "the ban of ben: its account is not on this site" in report
    assert Ban.objects.count() == 0
    assert Flag.objects.filter(reporter__isnull=True).count() == 3
    assert ModerationRecord.objects.count() == seeded["audit records"]
    assert set(ModerationRecord.objects.values_list("moderator_name", flat=True)) == {"mod"}


def test_an_export_of_one_discussion_leaves_the_history_out(seeded, tmp_path):
    path = export_to(tmp_path, "rockets")
    empty_site()
    report = import_file(path)
    assert Post.objects.count() == 3
    assert (Flag.objects.count(), Ban.objects.count(), ModerationRecord.objects.count()) == (
        0,
        0,
        0,
    )
    assert "Reports" not in report


def test_a_post_the_file_brings_back_shows_at_once_on_the_cached_page(seeded, tmp_path, client):
    path = export_to(tmp_path)
    post = Post.objects.get(body="A calm answer.")
    moderation.remove_post(post=post, moderator=make_moderator(), reason="Second thoughts")
    page = post.thread.get_absolute_url()
    assert "A calm answer." not in client.get(page).content.decode()  # now in the page cache
    import_file(path, "--update")
    assert "A calm answer." in client.get(page).content.decode()


def test_a_date_the_importer_supplied_stays_marked_in_the_site_the_file_moves_to(db, tmp_path):
    wxr = (SAMPLES / "wordpress_wxr_1_2.xml").read_bytes()
    for undated in (
        b"<wp:comment_date><![CDATA[2012-06-01 13:00:00]]></wp:comment_date>",
        b"<wp:comment_date_gmt><![CDATA[2012-06-01 11:00:00]]></wp:comment_date_gmt>",
    ):
        assert undated in wxr
        wxr = wxr.replace(undated, b"", 1)
    (tmp_path / "blog.xml").write_bytes(wxr)
    call_command(
        "import_comments", str(tmp_path / "blog.xml"), "--format", "wxr", stdout=io.StringIO()
    )
    stand_in = Post.objects.get(external_id=f"{MOON}:101")
    assert stand_in.dated_by_importer
    path = export_to(tmp_path)
    empty_site()
    another_site()

    import_file(path)

    copy = Post.objects.get(external_id=f"{MOON}:101")
    assert (copy.created_at, copy.dated_by_importer) == (stand_in.created_at, True)
    assert Post.objects.get(external_id=f"{MOON}:102").dated_by_importer is False


def test_a_version_2_file_still_imports(db, tmp_path):
    lines = [
        {"format": "parley", "version": 2},
        {
            "type": "discussion",
            "external_id": "parley:thread:7",
            "title": "Old archive",
            "created_at": "2024-01-01T10:00:00+00:00",
        },
        {
            "type": "post",
            "external_id": "parley:post:70",
            "discussion": "parley:thread:7",
            "parent": None,
            "author_name": "Ana",
            "created_at": "2024-01-01T11:00:00+00:00",
            "status": "published",
            "body": "Still *readable*.",
        },
    ]
    path = tmp_path / "old.json"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    report = import_file(path)
    assert "Posts: 1 added" in report
    post = Post.objects.get()
    assert (post.thread.title, post.body_html, post.author, post.upvotes) == (
        "Old archive",
        "<p>Still <em>readable</em>.</p>\n",
        None,
        0,
    )


def test_importing_the_history_announces_the_flagged_trees_and_the_banned_user(
    seeded, tmp_path, django_capture_on_commit_callbacks
):
    path = export_to(tmp_path)
    Flag.objects.all().delete()
    Ban.objects.all().delete()
    changes = []

    def receiver(sender, change, **kwargs):
        changes.append(change)

    events.written.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            import_file(path)
    finally:
        events.written.disconnect(receiver)
    (change,) = changes
    flagged = set(Post.objects.filter(flags__isnull=False).values_list("tree_id", flat=True))
    assert Flag.objects.count() == 3
    assert change.write == events.Write.POSTS_IMPORTED
    assert (change.trees, change.users) == (flagged, {Ban.objects.get().user_id})
