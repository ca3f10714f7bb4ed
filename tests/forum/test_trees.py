import pytest
from django.core.exceptions import ValidationError

from forum import trees
from forum.models import Post
from tests.factories import make_big_thread, make_post, make_thread

pytestmark = pytest.mark.django_db


def test_a_reply_is_nested_inside_its_parent():
    thread = make_thread()
    root = make_post(thread)
    reply = make_post(thread, parent=root)
    root.refresh_from_db()
    assert root.lft < reply.lft < reply.rght < root.rght
    assert reply.level == 1


def test_each_top_level_post_is_its_own_tree():
    thread = make_thread()
    first, second = make_post(thread), make_post(thread)
    assert first.tree_id != second.tree_id


def test_a_reply_only_shifts_its_own_tree():
    thread = make_thread()
    first, second = make_post(thread), make_post(thread)
    make_post(thread, parent=first)
    second_before = Post.objects.values_list("lft", "rght").get(pk=second.pk)
    make_post(thread, parent=first)
    assert Post.objects.values_list("lft", "rght").get(pk=second.pk) == second_before


def test_replies_from_stale_parent_objects_keep_the_tree_valid():
    thread = make_thread()
    root = make_post(thread)
    for _ in range(5):
        make_post(thread, parent=root)  # root in memory now has a stale rght
    assert trees.tree_faults() == []


def test_a_big_thread_passes_the_check():
    make_big_thread(make_thread(), 200)
    assert trees.tree_faults() == []


def test_the_check_reports_a_child_outside_its_parent():
    thread = make_thread()
    root = make_post(thread)
    reply = make_post(thread, parent=root)
    Post.objects.filter(pk=reply.pk).update(lft=10, rght=11)
    messages = [str(fault) for fault in trees.tree_faults()]
    assert any(f"post {reply.pk}" in message for message in messages)


def test_the_check_reports_a_wrong_level():
    thread = make_thread()
    reply = make_post(thread, parent=make_post(thread))
    Post.objects.filter(pk=reply.pk).update(level=3)
    assert any("level 3" in str(fault) for fault in trees.tree_faults())


def test_the_check_reports_a_parent_in_another_thread():
    thread, other = make_thread(), make_thread()
    reply = make_post(thread, parent=make_post(thread))
    Post.objects.filter(pk=reply.pk).update(thread=other)
    assert any("thread" in str(fault) for fault in trees.tree_faults())


@pytest.mark.django_db(transaction=True)
def test_tree_writes_refuse_to_run_outside_a_transaction():
    thread = make_thread()
    with pytest.raises(trees.TreeWriteOutsideTransaction):
        trees.lock_threads(thread)


def test_a_reply_whose_parent_moved_to_another_thread_is_refused():
    thread, other = make_thread(), make_thread()
    parent = make_post(thread)
    Post.objects.filter(pk=parent.pk).update(thread=other)  # as a split would, meanwhile
    with pytest.raises(ValidationError):
        make_post(thread, parent=parent)
    assert not Post.objects.filter(parent=parent).exists()
