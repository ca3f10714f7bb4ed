import random
import threading

import pytest
from django.db import connection

from forum import services, trees
from forum.models import Post
from tests.factories import make_post, make_thread

WRITERS = 20
POSTS_EACH = 5


def post_concurrently(thread, parents, barrier, errors, seed):
    chooser = random.Random(seed)
    try:
        barrier.wait()
        for i in range(POSTS_EACH):
            parent = None if i == 0 else chooser.choice(parents)
            services.add_post(thread=thread, parent=parent, author_name="w", body=f"{seed}/{i}")
    except Exception as error:  # reported to the main thread, which fails the test
        errors.append(error)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_twenty_writers_posting_at_once_leave_every_tree_valid():
    thread = make_thread()
    parents = [make_post(thread) for _ in range(3)]
    parents += [make_post(thread, parent=parent) for parent in parents]
    barrier, errors = threading.Barrier(WRITERS), []
    writers = [
        threading.Thread(target=post_concurrently, args=(thread, parents, barrier, errors, n))
        for n in range(WRITERS)
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()

    assert errors == []
    assert trees.tree_faults() == []
    expected = len(parents) + WRITERS * POSTS_EACH
    assert Post.objects.filter(thread=thread).count() == expected
    thread.refresh_from_db()
    assert thread.post_count == expected
