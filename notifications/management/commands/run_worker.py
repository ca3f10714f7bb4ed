"""The task worker with its schedule: `make worker`, and beside the server in `make run`."""

import logging
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from notifications import conf, tasks

logger = logging.getLogger(__name__)


def schedule(stop: threading.Event) -> None:
    """Enqueue one tick each TICK_SECONDS; several workers may: every tick's work is claimed."""
    while not stop.wait(conf.settings.TICK_SECONDS):
        try:
            tasks.tick.enqueue()
        except Exception:  # the queue's store is down for a moment: the next tick tries again
            logger.exception("Could not enqueue the notifications' tick")
        finally:
            close_old_connections()


class Command(BaseCommand):
    help = "Run the task worker of the configured queue, and the notifications' schedule."

    def handle(self, *args, **options):
        stop = threading.Event()
        threading.Thread(target=schedule, args=(stop,), name="schedule", daemon=True).start()
        tasks.tick.enqueue()  # at once, too: work a dead worker left is not kept waiting
        try:
            if isinstance(task_backends["default"], DatabaseBackend):
                call_command("db_worker", reload=False, verbosity=options["verbosity"])
            else:
                call_command("rqworker", "default", job_class="django_tasks_rq.Job")
        finally:
            stop.set()
