import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from forum.archives.exporters import FORMATS, export, exported_threads


class Command(BaseCommand):
    help = (
        "Export one thread, or every thread, as Parley's lossless JSON or as Disqus XML. "
        "A JSON export of every thread also carries the reports, bans and audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument("thread", nargs="?", help="the slug of one thread (default: all)")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("-o", "--output", help="the file to write (default: standard output)")
        parser.add_argument(
            "--base-url",
            help="the site's address for Disqus thread links (default: PARLEY_SITE_URL)",
        )

    def handle(self, *args, thread, format, output, base_url, **options):
        if base_url is None:
            base_url = settings.PARLEY_SITE_URL
        threads = exported_threads(thread)
        exporting = {"base_url": base_url, "whole_site": thread is None}
        if thread is not None and not threads.exists():
            raise CommandError(f'No thread has the slug "{thread}".')
        if output is None:
            self.stdout.ending = ""  # the writers end their own lines
            if not self.export_to_stdout(format=format, threads=threads, **exporting):
                # The reader stopped early (| head). As Python's documentation advises: point
                # standard output at devnull, so the flush at exit fails no more, and exit 1.
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                sys.exit(1)
            return
        # Written beside the target and renamed at the end: a failed export leaves no half file.
        partial = f"{output}.partial"
        try:
            with open(partial, "w", encoding="utf-8", newline="\n") as out:
                export(out, format=format, threads=threads, **exporting)
            os.replace(partial, output)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}") from None
        finally:
            if os.path.exists(partial):
                os.remove(partial)

    def export_to_stdout(self, **export_options):
        """Export to standard output; False when its reader stopped reading."""
        # Returning, rather than exiting from the except clause, lets the traceback go, and
        # with it the open database cursors, while the connection is still there to close them.
        try:
            export(self.stdout, **export_options)
            self.stdout.flush()
        except BrokenPipeError:
            return False
        return True
