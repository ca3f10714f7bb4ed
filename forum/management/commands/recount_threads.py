from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from forum.models import Thread


class Command(BaseCommand):
    help = (
        "Recount every thread's published posts and last activity from its posts, list each "
        "thread whose kept counts were wrong and correct them (--check: list only, and fail)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Only list wrong counts; exit 1 if any."
        )

    def handle(self, *args, check=False, **options):
        # Each write keeps the counts by adding to them (Thread.count_published): this finds
        # and mends any a bug or a hand edit of the database left wrong.
        wrong = 0
        for thread in Thread.objects.order_by("pk").iterator():
            kept = (thread.post_count, thread.last_activity_at)
            counted = thread.counted()
            if counted == kept:
                continue
            wrong += 1
            self.stdout.write(
                f"thread {thread.pk} ({thread.slug}): kept {kept[0]} posts, last activity "
                f"{kept[1].isoformat()}; counted {counted[0]}, {counted[1].isoformat()}"
            )
            if not check:
                thread.update_counts()
        if wrong and check:
            raise CommandError(f"{wrong} thread{pluralize(wrong)} with wrong counts.")
        total = Thread.objects.count()
        if wrong:
            done = f"{wrong} of {total} threads had wrong counts; corrected."
        else:
            done = f"The counts of all {total} threads are right."
        self.stdout.write(self.style.SUCCESS(done))
