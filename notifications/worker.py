"""The database queue's tasks run one at a time in this process, as its worker runs them.

For the benchmark, which times each task, and the tests, which run tasks inside their own
transaction: db_worker's loop closes the database connection between tasks, so only its
run_task is used, on a task claimed here.
"""

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

BACKEND = "default"


def run_next_task(worker_id: str) -> DBTaskResult | None:
    """Claim the oldest ready task and run it; the task, refreshed, or None if none was ready."""
    ready = DBTaskResult.objects.ready().filter(backend_name=BACKEND).order_by("enqueued_at")
    task = ready.first()
    if task is None:
        return None
    task.claim(worker_id)
    _worker(worker_id).run_task(task)
    task.refresh_from_db()
    return task


def _worker(worker_id):
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name=BACKEND,
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
