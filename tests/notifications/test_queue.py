"""The task queue: the database by default, RQ where REDIS_URL is set; dead workers' work rerun."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from notifications import sweep, tasks
from notifications.models import Notification

from .helpers import post

pytestmark = pytest.mark.django_db


def test_the_queue_is_rq_with_redis_and_the_database_without():
    expected = "RQBackend" if os.environ.get("REDIS_URL") else "DatabaseBackend"
    assert type(task_backends["default"]).__name__ == expected


def test_a_post_enqueues_one_task_and_notifies_nobody_before_the_worker_runs(
    django_capture_on_commit_callbacks, run_tasks, thread, alice, bob
):
    first = post(django_capture_on_commit_callbacks, thread=thread, author=alice, body="Hello.")
    run_tasks()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        from forum import services

        services.post_reply(thread=thread, parent=first, author=bob, body="Hi.")
    assert len(callbacks) == 1
    assert not Notification.objects.filter(recipient=alice).exists()
    run_tasks()
    assert Notification.objects.filter(recipient=alice).count() == 1


def test_a_task_a_dead_worker_left_running_is_swept_back_and_runs(
    django_capture_on_commit_callbacks, run_tasks, thread, alice, bob
):
    first = post(django_capture_on_commit_callbacks, thread=thread, author=alice, body="Hello.")
    run_tasks()
    post(django_capture_on_commit_callbacks, thread=thread, author=bob, body="Hi.", parent=first)
    abandon_queued_tasks()
    run_tasks()
    assert not Notification.objects.filter(recipient=alice).exists()  # nobody runs it now
    assert sweep.requeue_stale() == 1
    run_tasks()
    assert Notification.objects.filter(recipient=alice).count() == 1


def abandon_queued_tasks():
    """Mark every queued task as taken, long ago, by a worker that then died."""
    if isinstance(task_backends["default"], DatabaseBackend):
        from django_tasks_db.models import DBTaskResult

        long_ago = timezone.now() - timedelta(hours=1)
        DBTaskResult.objects.ready().update(status="RUNNING", started_at=long_ago)
        return
    import django_rq
    from django_tasks_rq.backend import Job
    from rq.executions import Execution
    from rq.job import JobStatus

    queue = django_rq.get_queue("default", job_class=Job)
    for job in queue.get_jobs():
        queue.remove(job)
        job.set_status(JobStatus.STARTED)
        with queue.connection.pipeline() as pipeline:
            execution = Execution.create(job, ttl=60, pipeline=pipeline)
            pipeline.execute()
        # Its heartbeat ran out long ago: the worker died.
        queue.connection.zadd(job.started_job_registry.key, {execution.composite_key: 1})


def test_the_tick_task_runs_the_schedule(run_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tasks.tick.enqueue()
    run_tasks()  # and finishes: the sweep, the retries and the digests ran without error
