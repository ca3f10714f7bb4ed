"""Work a dead worker left running goes back to the queue.

A worker killed mid-task leaves its task "running" for good: neither the task packages nor RQ
retry it. The sweep puts such outbox messages back in the queue, and on the database backend
the task rows too (every notifications task can run twice without doing twice).
"""

import logging
from datetime import timedelta

from django.utils import timezone

from . import conf
from .models import Email

logger = logging.getLogger(__name__)


def requeue_stale(now=None) -> int:
    """Requeue what has run for longer than STALE_SECONDS; the number requeued."""
    from . import tasks

    now = now or timezone.now()
    cutoff = now - timedelta(seconds=conf.settings.STALE_SECONDS)
    stale = Email.objects.filter(status=Email.Status.SENDING, claimed_at__lt=cutoff)
    pks = list(stale.values_list("pk", flat=True))
    Email.objects.filter(pk__in=pks, status=Email.Status.SENDING).update(
        status=Email.Status.QUEUED, next_attempt_at=now, claimed_at=None
    )
    for pk in pks:
        tasks.send_email.enqueue(pk)
    requeued = len(pks) + _requeue_database_tasks(cutoff) + _requeue_rq_jobs()
    if requeued:
        logger.warning("Requeued %s pieces of work left running by a dead worker", requeued)
    return requeued


def _requeue_database_tasks(cutoff) -> int:
    """On the database backend, task rows still "running" since before cutoff run again."""
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backends = [name for name in ("default",) if isinstance(task_backends[name], DatabaseBackend)]
    if not backends:
        return 0
    return (
        DBTaskResult.objects.running()
        .filter(backend_name__in=backends, started_at__lt=cutoff)
        .update(status="READY", started_at=None)
    )


def _requeue_rq_jobs() -> int:
    """On RQ, jobs whose worker died (RQ files them as failed, abandoned) run again."""
    from django_tasks import task_backends
    from django_tasks_rq.backend import RQBackend

    if not isinstance(task_backends["default"], RQBackend):
        return 0
    import django_rq
    from django_tasks_rq.backend import Job
    from rq.registry import FailedJobRegistry, StartedJobRegistry

    queue = django_rq.get_queue("default", job_class=Job)
    StartedJobRegistry(queue=queue).cleanup()  # files the dead workers' jobs as abandoned
    failed = FailedJobRegistry(queue=queue)
    requeued = 0
    for job_id in failed.get_job_ids():
        job = queue.fetch_job(job_id)
        result = job and job.latest_result()
        if result is not None and "AbandonedJobError" in (result.exc_string or ""):
            failed.requeue(job_id)
            requeued += 1
    return requeued
