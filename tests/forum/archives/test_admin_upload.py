"""The admin's upload page: staff import an archive through the same code as import_comments."""

from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import Client
from django.urls import reverse

from forum import trees
from forum.archives import admin as admin_import
from forum.models import ModerationRecord, Post, Thread
from tests.factories import make_user
from tests.forum.archives.hostile_files import too_deep
from tests.markup import Page

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"
IMPORT = reverse("admin:forum_post_import")


def staff(*permissions):
    user = make_user()
    user.is_staff = True
    user.save()
    user.user_permissions.add(*(Permission.objects.get(codename=name) for name in permissions))
    return user


@pytest.fixture
def importer(client):
    client.force_login(staff("add_post", "view_post"))
    return client


def upload(client, name="disqus_export.xml", format="disqus", **fields):
    archive = SimpleUploadedFile(name, (SAMPLES / name).read_bytes())
    return client.post(IMPORT, {"file": archive, "format": format, "orphans": "skip", **fields})


def report(response):
    page = Page(response.content.decode())
    (summary,) = page.find_all("ul", "import-report")
    return [page.text(item).strip() for item in page.find_all("li") if item.parent is summary]


def alert(response):
    page = Page(response.content.decode())
    return " ".join(page.text(element) for element in page.find_all("p", "errornote"))


def test_the_page_offers_each_format_the_orphan_choice_and_a_dry_run(importer):
    response = importer.get(IMPORT)
    page = Page(response.content.decode())
    assert response.status_code == 200
    options = [element.attrs["value"] for element in page.find_all("option")]
    assert options == ["disqus", "wxr", "json"]
    radios = [e.attrs["value"] for e in page.find_all("input") if e.attrs.get("type") == "radio"]
    assert radios == ["skip", "attach"]
    assert page.by_id["id_dry_run"].attrs["type"] == "checkbox"
    assert page.find_all("form")[-1].attrs["enctype"] == "multipart/form-data"


def test_staff_who_may_add_posts_import_a_disqus_export_and_see_the_summary(importer):
    response = upload(importer)
    assert response.status_code == 200
    lines = report(response)
    assert "Discussions: 2 added, 0 already here" in lines
    assert "Posts: 8 added, 0 with a new status, 0 unchanged" in lines
    assert Post.objects.count() == 8
    assert Thread.objects.filter(external_id="disqus:5001").exists()
    assert trees.tree_faults() == []


def test_uploading_the_same_archive_again_adds_nothing(importer):
    upload(importer)
    lines = report(upload(importer))
    assert "Posts: 0 added, 0 with a new status, 8 unchanged" in lines
    assert Post.objects.count() == 8


def test_a_dry_run_reports_what_it_would_do_and_stores_nothing(importer):
    lines = report(upload(importer, dry_run="on"))
    assert "Posts: 8 added, 0 with a new status, 0 unchanged" in lines
    assert "Dry run: nothing was saved." in lines
    assert not Post.objects.exists()
    assert not Thread.objects.exists()


def test_a_wordpress_export_imports_with_its_skips_reported(importer):
    lines = report(upload(importer, "wordpress_wxr_1_2.xml", "wxr"))
    assert "wordpress:blog.example.org:103: a pingback, not a comment" in lines
    assert Post.objects.exists()


def test_orphans_attach_is_the_same_choice_as_on_the_command_line(importer):
    data = (SAMPLES / "disqus_export.xml").read_bytes()
    assert b'<parent dsq:id="9001"' in data
    orphaned = data.replace(b'<parent dsq:id="9001"', b'<parent dsq:id="404"')
    archive = SimpleUploadedFile("orphans.xml", orphaned)
    importer.post(IMPORT, {"file": archive, "format": "disqus", "orphans": "attach"})
    assert Post.objects.get(external_id="disqus:9002").parent is None
    assert trees.tree_faults() == []


def test_a_hostile_archive_is_refused_with_the_reason_and_nothing_is_stored(importer):
    response = upload(importer, "entity_bomb.xml")
    assert response.status_code == 400
    assert "Nothing was imported: refused: the file defines XML entities" in alert(response)
    assert not Thread.objects.exists()
    assert not Post.objects.exists()


def test_a_deeply_nested_archive_is_refused_with_the_reason_and_nothing_is_stored(importer):
    archive = SimpleUploadedFile("deep.xml", too_deep(100_000))

    response = importer.post(IMPORT, {"file": archive, "format": "disqus", "orphans": "skip"})

    assert response.status_code == 400
    assert alert(response) == (
        "Nothing was imported: refused: its elements nest more than 64 levels deep, "
        "far deeper than any export of comments"
    )
    assert not Thread.objects.exists()
    assert not Post.objects.exists()


def test_an_upload_past_the_memory_limit_is_spooled_to_disk_and_read_as_a_stream(importer):
    data = too_deep(500_000)  # 3.5 MB: past FILE_UPLOAD_MAX_MEMORY_SIZE, Django's 2.5 MB
    assert len(data) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    received, real_run_import = [], admin_import.run_import

    def run_import(file, **options):
        received.append(file)
        try:
            return real_run_import(file, **options)
        finally:
            received.append(file.tell())  # how far the refused parse read

    with mock.patch.object(admin_import, "run_import", run_import):
        archive = SimpleUploadedFile("deep.xml", data)
        response = importer.post(IMPORT, {"file": archive, "format": "disqus", "orphans": "skip"})

    assert "nest more than 64 levels deep" in alert(response)
    (file, bytes_read) = received
    assert isinstance(file, TemporaryUploadedFile)
    assert bytes_read < 64 * 1024
    assert not Post.objects.exists()


def test_an_archive_of_another_format_is_refused_clearly(importer):
    response = upload(importer, "disqus_export.xml", "json")
    assert "Nothing was imported: not a Parley JSON archive" in alert(response)
    assert not Post.objects.exists()


def test_an_archive_over_the_size_limit_is_refused_and_nothing_is_stored(importer, monkeypatch):
    monkeypatch.setattr(admin_import, "MAX_UPLOAD_SIZE", 1024)
    response = upload(importer)
    page = Page(response.content.decode())
    errors = " ".join(page.text(element) for element in page.find_all("ul", "errorlist"))
    assert "larger than 0 MB" in errors
    assert not Post.objects.exists()


def test_a_request_declaring_a_body_over_the_limit_is_refused_before_it_is_read(
    importer, monkeypatch
):
    monkeypatch.setattr(admin_import, "MAX_UPLOAD_SIZE", 1024)
    monkeypatch.setattr(admin_import, "FORM_OVERHEAD", 1024)
    archive = SimpleUploadedFile("big.xml", b"<disqus/>" + b" " * 10_000)
    response = importer.post(IMPORT, {"file": archive, "format": "disqus", "orphans": "skip"})
    assert response.status_code == 413
    assert "import it on the server" in alert(response)
    assert not Post.objects.exists()


def test_staff_without_the_add_post_permission_are_refused(client):
    client.force_login(staff("view_post"))
    assert client.get(IMPORT).status_code == 403
    assert upload(client).status_code == 403
    assert not Post.objects.exists()


def test_a_user_who_is_not_staff_is_sent_to_the_admin_login(client):
    user = make_user()
    user.user_permissions.add(Permission.objects.get(codename="add_post"))
    client.force_login(user)
    response = upload(client)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert not Post.objects.exists()


def test_a_superuser_may_import(admin_client):
    upload(admin_client)
    assert Post.objects.count() == 8


def test_an_upload_without_the_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff("add_post"))
    assert upload(client).status_code == 403
    assert not Post.objects.exists()


def test_the_post_change_list_links_to_the_upload_page_for_importers(importer):
    page = Page(importer.get(reverse("admin:forum_post_changelist")).content.decode())
    links = [element.attrs.get("href") for element in page.find_all("a")]
    assert IMPORT in links


def test_the_post_change_list_shows_no_import_link_to_staff_who_may_not_import(client):
    client.force_login(staff("view_post"))
    page = Page(client.get(reverse("admin:forum_post_changelist")).content.decode())
    assert IMPORT not in [element.attrs.get("href") for element in page.find_all("a")]


def changed_upload(client, **fields):
    data = (SAMPLES / "disqus_export.xml").read_bytes()
    edited = data.replace(b"Agreed with Grace.", b"Agreed with Grace, edited.")
    archive = SimpleUploadedFile("disqus_export.xml", edited)
    return client.post(IMPORT, {"file": archive, "format": "disqus", "orphans": "skip", **fields})


def test_the_report_lists_each_conflict_and_the_site_keeps_its_text(importer):
    upload(importer)
    lines = report(changed_upload(importer))
    assert (
        "Conflicts between the file and this site: 1 "
        "(to take the file's status and text: --update, or “Let the file win”)" in lines
    )
    assert "disqus:9003: its text differs from this site's; this site's kept" in lines
    assert Post.objects.get(external_id="disqus:9003").body_html == "<p>Agreed with Grace.</p>"


def test_a_moderator_lets_the_file_win_and_the_audit_log_names_them(client):
    moderator = staff("add_post", "view_post", "moderate_post")
    client.force_login(moderator)
    upload(client)
    lines = report(changed_upload(client, update="on"))
    assert "disqus:9003: its text differs from this site's; the file's taken" in lines
    post = Post.objects.get(external_id="disqus:9003")
    assert post.body_html == "<p>Agreed with Grace, edited.</p>"
    record = ModerationRecord.objects.get(action="import_update")
    assert (record.post, record.moderator) == (post, moderator)


def test_staff_who_may_not_moderate_cannot_let_the_file_win(importer):
    upload(importer)
    response = changed_upload(importer, update="on")
    page = Page(response.content.decode())
    errors = " ".join(page.text(element) for element in page.find_all("ul", "errorlist"))
    assert response.status_code == 400
    assert "Only moderators may let a file overrule this site's decisions." in errors
    assert Post.objects.get(external_id="disqus:9003").body_html == "<p>Agreed with Grace.</p>"
    assert not ModerationRecord.objects.exists()


def test_a_file_in_which_no_comment_was_recognised_is_refused_naming_what_was_looked_for(
    importer,
):
    data = (SAMPLES / "wordpress_wxr_1_2.xml").read_bytes()
    data = data.replace(b"http://wordpress.org/export/1.2/", b"http://example.com/wxr/")
    archive = SimpleUploadedFile("export.xml", data)

    response = importer.post(IMPORT, {"file": archive, "format": "wxr", "orphans": "skip"})

    assert response.status_code == 400
    assert alert(response).startswith(
        "Nothing was imported: no comment found in the file: looked for <wp:comment> elements"
    )
    assert not Thread.objects.exists()


def test_a_damaged_file_is_read_leniently_unless_refused(importer):
    data = b"`" + (SAMPLES / "disqus_export.xml").read_bytes()
    fields = {"format": "disqus", "orphans": "skip"}

    refused = importer.post(
        IMPORT, {"file": SimpleUploadedFile("a.xml", data), "strict": "on", **fields}
    )
    assert refused.status_code == 400
    assert "malformed XML at line 1, column 1" in alert(refused)
    assert not Post.objects.exists()

    lines = report(importer.post(IMPORT, {"file": SimpleUploadedFile("a.xml", data), **fields}))
    assert "line 1: 1 stray byte(s) before the XML declaration, left out" in lines
    assert Post.objects.count() == 8
