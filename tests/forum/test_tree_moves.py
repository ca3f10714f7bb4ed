import contextlib
import random
import threading

import pytest
from django.db import connection, transaction

from forum import trees
from forum.models import Post, Thread
from tests.factories import make_big_thread, make_post, make_thread

pytestmark = pytest.mark.django_db


def tree_snapshot():
    return list(Post.objects.order_by("pk").values_list(*trees.TREE_FIELDS))


def make_conversation(thread):
    """root ─ a ─ a1 ─ a1x, root ─ b; and a second tree: other ─ o1. Posts by their body."""
    posts = {}
    for body, parent in [
        ("root", None),
        ("a", "root"),
        ("a1", "a"),
        ("a1x", "a1"),
        ("b", "root"),
        ("other", None),
        ("o1", "other"),
    ]:
        posts[body] = make_post(thread, parent=posts.get(parent), body=body)
    return posts


def stored(name):
    return Post.objects.get(body=name)


def pks(*names):
    return [stored(name).pk for name in names]


def test_a_moved_post_takes_its_replies_under_the_new_parent():
    posts = make_conversation(make_thread())
    trees.move_subtree(post=posts["a1"], new_parent=posts["b"])
    assert stored("a1").parent_id == posts["b"].pk
    assert (stored("a1").level, stored("a1x").level) == (2, 3)
    assert [p.pk for p in stored("b").get_descendants()] == pks("a1", "a1x")
    assert trees.tree_faults() == []


def test_a_moved_post_becomes_the_last_reply_of_its_new_parent():
    posts = make_conversation(make_thread())
    trees.move_subtree(post=posts["b"], new_parent=posts["a"])
    assert [p.pk for p in stored("a").get_children()] == pks("a1", "b")
    assert trees.tree_faults() == []


def test_a_post_moves_into_another_tree_of_the_same_thread():
    posts = make_conversation(make_thread())
    trees.move_subtree(post=posts["a"], new_parent=posts["o1"])
    moved = Post.objects.filter(body__in=["a", "a1", "a1x"])
    assert set(moved.values_list("tree_id", flat=True)) == {stored("other").tree_id}
    assert stored("a1x").level == 4
    assert [p.pk for p in stored("root").get_descendants()] == pks("b")
    assert trees.tree_faults() == []


def test_a_top_level_post_moves_under_a_post_of_another_tree():
    posts = make_conversation(make_thread())
    trees.move_subtree(post=posts["other"], new_parent=posts["b"])
    assert stored("other").parent_id == posts["b"].pk
    assert stored("o1").tree_id == stored("root").tree_id
    assert trees.tree_faults() == []


def test_moving_a_post_under_its_own_reply_is_refused_and_changes_nothing():
    posts = make_conversation(make_thread())
    before = tree_snapshot()
    with pytest.raises(trees.InvalidMove, match="under itself or one of its own replies"):
        trees.move_subtree(post=posts["a"], new_parent=posts["a1x"])
    assert tree_snapshot() == before


def test_moving_a_post_under_itself_is_refused():
    posts = make_conversation(make_thread())
    before = tree_snapshot()
    with pytest.raises(trees.InvalidMove):
        trees.move_subtree(post=posts["a"], new_parent=posts["a"])
    assert tree_snapshot() == before


def test_moving_a_post_into_another_thread_is_refused_and_changes_nothing():
    posts = make_conversation(make_thread())
    stranger = make_post(make_thread())
    before = tree_snapshot()
    with pytest.raises(trees.InvalidMove, match="its own thread"):
        trees.move_subtree(post=posts["a"], new_parent=stranger)
    assert tree_snapshot() == before


def test_moving_a_post_under_its_current_parent_is_refused():
    posts = make_conversation(make_thread())
    with pytest.raises(trees.InvalidMove, match="already a reply"):
        trees.move_subtree(post=posts["a"], new_parent=posts["root"])


def test_a_move_from_stale_objects_keeps_the_tree_valid():
    thread = make_thread()
    posts = make_conversation(thread)
    for _ in range(4):
        make_post(thread, parent=posts["a"])  # the posts in memory now have stale lft/rght
    trees.move_subtree(post=posts["b"], new_parent=posts["a1x"])
    assert trees.tree_faults() == []


def test_a_split_post_becomes_the_root_of_a_new_tree_in_the_new_thread():
    thread = make_thread()
    posts = make_conversation(thread)
    new_thread = make_thread("Split off")
    with transaction.atomic():
        split = trees.split_subtree(post=posts["a"], new_thread=new_thread)
    assert split.parent_id is None and split.level == 0
    assert split.tree_id not in set(Post.objects.filter(thread=thread).values_list("tree_id"))
    moved = Post.objects.filter(body__in=["a", "a1", "a1x"])
    assert set(moved.values_list("thread_id", flat=True)) == {new_thread.pk}
    assert set(moved.values_list("tree_id", flat=True)) == {split.tree_id}
    assert trees.tree_faults() == []


def test_a_split_corrects_both_threads_counts():
    thread = make_thread()
    posts = make_conversation(thread)
    new_thread = make_thread("Split off")
    trees.split_subtree(post=posts["a"], new_thread=new_thread)
    thread.refresh_from_db()
    new_thread.refresh_from_db()
    assert (thread.post_count, new_thread.post_count) == (4, 3)
    assert new_thread.last_activity_at == stored("a1x").created_at


def test_splitting_a_top_level_post_moves_its_whole_tree():
    posts = make_conversation(make_thread())
    new_thread = make_thread("Split off")
    trees.split_subtree(post=posts["other"], new_thread=new_thread)
    assert sorted(new_thread.posts.values_list("pk", flat=True)) == pks("other", "o1")
    assert stored("other").tree_id == posts["other"].tree_id
    assert trees.tree_faults() == []


def test_splitting_into_the_same_thread_is_refused():
    thread = make_thread()
    posts = make_conversation(thread)
    before = tree_snapshot()
    with pytest.raises(trees.InvalidMove):
        trees.split_subtree(post=posts["a"], new_thread=thread)
    assert tree_snapshot() == before


def test_moves_and_splits_in_a_big_thread_keep_every_tree_valid():
    thread = make_thread()
    posts = make_big_thread(thread, 300)
    trees.move_subtree(post=posts[4], new_parent=posts[250])
    trees.move_subtree(post=posts[31], new_parent=posts[2])
    trees.split_subtree(post=posts[12], new_thread=make_thread("Split off"))
    assert trees.tree_faults() == []
    assert sum(Thread.objects.values_list("post_count", flat=True)) == 300


WRITERS = 8
REPLIES_EACH = 6


def reply_concurrently(thread, parents, barrier, errors, seed):
    chooser = random.Random(seed)
    try:
        barrier.wait()
        for i in range(REPLIES_EACH):
            parent = None if i == 0 else chooser.choice(parents)
            make_post(thread, parent=parent, body=f"{seed}/{i}")
    except Exception as error:  # reported to the main thread, which fails the test
        errors.append(error)
    finally:
        connection.close()


def moderate_concurrently(movable, splittable, barrier, errors):
    chooser = random.Random(0)
    try:
        barrier.wait()
        for post in splittable:
            trees.split_subtree(post=post, new_thread=make_thread("Split off"))
            post, new_parent = chooser.sample(movable, 2)
            with contextlib.suppress(trees.InvalidMove):  # a random pick may be a descendant
                trees.move_subtree(post=post, new_parent=new_parent)
    except Exception as error:
        errors.append(error)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_moves_and_splits_beside_writers_leave_every_tree_and_count_right():
    thread = make_thread()
    roots = [make_post(thread) for _ in range(3)]
    movable = roots + [make_post(thread, parent=root) for root in roots for _ in range(2)]
    splittable = [make_post(thread, parent=root) for root in roots for _ in range(2)]
    barrier, errors = threading.Barrier(WRITERS + 1), []
    workers = [
        threading.Thread(target=reply_concurrently, args=(thread, movable, barrier, errors, n))
        for n in range(WRITERS)
    ]
    workers.append(
        threading.Thread(target=moderate_concurrently, args=(movable, splittable, barrier, errors))
    )
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    assert trees.tree_faults() == []
    total = len(movable) + len(splittable) + WRITERS * REPLIES_EACH
    assert Post.objects.count() == total
    assert sum(Thread.objects.values_list("post_count", flat=True)) == total
    assert Thread.objects.get(pk=thread.pk).post_count == total - len(splittable)
