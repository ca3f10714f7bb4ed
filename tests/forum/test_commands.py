import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.test import override_settings

from forum.models import Post
from tests.factories import make_post, make_thread, make_user

pytestmark = pytest.mark.django_db


def run(command):
    out = StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


# check_trees


def test_check_trees_counts_the_valid_trees():
    thread = make_thread()
    first, second = make_post(thread), make_post(thread)
    make_post(thread, parent=first)
    make_post(thread, parent=second)
    assert run("check_trees").strip() == "All 2 trees are valid."


def test_check_trees_reports_each_fault_and_exits_non_zero(capsys):
    thread = make_thread()
    root = make_post(thread)
    reply = make_post(thread, parent=root)
    Post.objects.filter(pk=reply.pk).update(level=5)
    with pytest.raises(SystemExit) as exit:
        execute_from_command_line(["manage.py", "check_trees"])
    assert exit.value.code != 0
    output = capsys.readouterr()
    assert f"tree {root.tree_id}, post {reply.pk}: level 5, parent's is 0" in output.out
    assert "1 fault in 1 tree." in output.err
    assert "valid" not in output.out


# ensure_admin


def shown_password(output):
    match = re.search(r"password: (\S+)", output)
    assert match, output
    return match.group(1)


@override_settings(PARLEY_SITE_URL="https://news.example")
def test_ensure_admin_creates_admin_with_a_random_password_printed_once():
    output = run("ensure_admin")
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password(shown_password(output))
    assert "Log in at https://news.example/admin/\n" in output
    assert "python manage.py changepassword admin" in output


def test_ensure_admin_never_uses_the_same_password_twice():
    first = shown_password(run("ensure_admin"))
    get_user_model().objects.all().delete()
    second = shown_password(run("ensure_admin"))
    assert first != second
    assert len(first) >= 20


@override_settings(PARLEY_SITE_URL="https://news.example")
def test_ensure_admin_leaves_an_existing_superuser_alone_and_prints_no_password():
    get_user_model().objects.create_superuser("editor", password="their own password")
    output = run("ensure_admin")
    assert "password:" not in output
    assert "log in at https://news.example/admin/ as 'editor'" in output
    assert "python manage.py changepassword editor" in output
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["editor"]
    assert get_user_model().objects.get().check_password("their own password")


def test_ensure_admin_never_promotes_an_ordinary_account_named_admin():
    make_user("admin")
    with pytest.raises(CommandError, match="createsuperuser"):
        run("ensure_admin")
    admin = get_user_model().objects.get(username="admin")
    assert not admin.is_superuser and not admin.is_staff
    assert get_user_model().objects.count() == 1
