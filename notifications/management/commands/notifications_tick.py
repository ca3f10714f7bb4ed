"""The worker's schedule run once, for cron: requeue abandoned work, retry mail, send digests."""

from django.core.management.base import BaseCommand

from notifications import digests, mail, sweep


class Command(BaseCommand):
    help = "Requeue work a dead worker left, queue due retries, and send due daily digests."

    def handle(self, *args, **options):
        requeued = sweep.requeue_stale()
        retried = mail.enqueue_due()
        digested = digests.send_due()
        self.stdout.write(
            f"Requeued {requeued}, retried {retried} emails, queued {digested} digests."
        )
