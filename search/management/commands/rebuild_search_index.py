from django.core.management.base import BaseCommand

from search import indexing


class Command(BaseCommand):
    help = "Index every article, discussion title and post again, a batch at a time."

    def handle(self, *args, **options):
        def progress(name, count):
            self.stdout.write(f"Indexed {count} {name}.")

        indexing.rebuild(progress)
