import os
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from forum.archives import ImportFailed
from forum.archives.placement import ORPHAN_POLICIES
from forum.archives.runner import FRONT_ENDS, run_import


class Command(BaseCommand):
    help = (
        "Import comments from a Disqus XML export (.xml or .xml.gz), a WordPress WXR file or "
        "Parley's JSON. A damaged XML file is read as far as it can be, unless --strict. "
        "Importing the same file again adds nothing; a newer export adds what is new."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the export file to read")
        parser.add_argument("--format", required=True, choices=FRONT_ENDS)
        parser.add_argument(
            "--dry-run", action="store_true", help="import, report, then roll everything back"
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="refuse a damaged XML file instead of reading what can be read of it",
        )
        parser.add_argument(
            "--orphans",
            choices=ORPHAN_POLICIES,
            default="skip",
            help="a post whose parent is missing: skip it (default) or make it top level",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help=(
                "where the file and this site disagree on a post already here, take the file's "
                "status and text (each change is written to the moderation log); by default "
                "this site's are kept and listed as conflicts"
            ),
        )

    def handle(self, *args, file, format, dry_run, orphans, strict, update, **options):
        try:
            with open(file, "rb") as stream, _progress(stream) as reading:
                report = run_import(
                    reading,
                    format=format,
                    dry_run=dry_run,
                    orphans=orphans,
                    strict=strict,
                    update=update,
                )
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        except ImportFailed as error:
            raise CommandError(f"Nothing imported from {file}: {error}") from None
        self.stdout.write("\n".join(report.lines))


def _progress(stream):
    """Count bytes read, on stderr, and only where someone is watching."""
    return tqdm.wrapattr(
        stream,
        "read",
        total=os.fstat(stream.fileno()).st_size,
        desc="Reading",
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        disable=not sys.stderr.isatty(),
    )
