"""The notifications' background tasks, run by the worker (`make worker`), never in a request."""

from django_tasks import task

from . import digests, fanout, mail, sweep


@task()
def handle_write(write: str, post_pks: list[int]) -> None:
    """Notify of, or withdraw the notifications of, the posts one write changed."""
    fanout.handle(write, post_pks)


@task()
def send_email(email_pk: int) -> None:
    """Send one outbox message; a failure schedules its retry or marks it failed."""
    mail.send(email_pk)


@task()
def tick() -> None:
    """The worker's schedule: requeue abandoned work, retry due mail, send due digests."""
    sweep.requeue_stale()
    mail.enqueue_due()
    digests.send_due()
