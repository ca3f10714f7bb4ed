import os

from django.core.management.base import BaseCommand, CommandError

from forum.exporters import FORMATS, export, exported_threads


class Command(BaseCommand):
    help = "Export one thread, or every thread, as Parley's lossless JSON or as Disqus XML."

    def add_arguments(self, parser):
        parser.add_argument("thread", nargs="?", help="the slug of one thread (default: all)")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("-o", "--output", help="the file to write (default: standard output)")
        parser.add_argument(
            "--base-url",
            default="",
            help='the site\'s address for Disqus thread links, e.g. "https://news.example.com"',
        )

    def handle(self, *args, thread, format, output, base_url, **options):
        threads = exported_threads(thread)
        if thread is not None and not threads.exists():
            raise CommandError(f'No thread has the slug "{thread}".')
        if output is None:
            self.stdout.ending = ""  # the writers end their own lines
            export(self.stdout, format=format, threads=threads, base_url=base_url)
            return
        # Written beside the target and renamed at the end: a failed export leaves no half file.
        partial = f"{output}.partial"
        try:
            with open(partial, "w", encoding="utf-8", newline="\n") as out:
                export(out, format=format, threads=threads, base_url=base_url)
            os.replace(partial, output)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}") from None
        finally:
            if os.path.exists(partial):
                os.remove(partial)
