"""The notifications' fixtures: members, a thread, and the worker run in the test's process."""

import pytest
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from notifications.worker import run_next_task
from tests.factories import make_thread, make_user


def drain_database_queue():
    return run_next_task("test-worker") is not None


def drain_rq_queue():
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    queue = django_rq.get_queue("default", job_class=Job)
    if not queue.count:
        return False
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
    return True


def drain_queue():
    """Run queued tasks until none is left, outside any test transaction (a live server's)."""
    drain = (
        drain_database_queue
        if isinstance(task_backends["default"], DatabaseBackend)
        else drain_rq_queue
    )
    for _ in range(1000):
        if not drain():
            return
    raise AssertionError("the queue never emptied")


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Run every queued task as the worker would, and the tasks they queue, until none is left."""

    def run():
        drain = (
            drain_database_queue
            if isinstance(task_backends["default"], DatabaseBackend)
            else drain_rq_queue
        )
        for _ in range(1000):
            with django_capture_on_commit_callbacks(execute=True):
                ran = drain()
            if not ran:
                return
        raise AssertionError("the queue never emptied")

    return run


@pytest.fixture
def thread(db):
    return make_thread("Orbital stations")


@pytest.fixture
def alice(db):
    return make_user("alice")


@pytest.fixture
def bob(db):
    return make_user("bob")


@pytest.fixture
def carol(db):
    return make_user("carol")
