import os
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from forum.importers import ImportFailed
from forum.importers.disqus import DisqusExport
from forum.importers.jsonformat import ParleyJSON
from forum.importers.loader import load
from forum.importers.placement import ORPHAN_POLICIES
from forum.importers.wxr import WordPressExport

FRONT_ENDS = {"disqus": DisqusExport, "wxr": WordPressExport, "json": ParleyJSON}
SKIPS_SHOWN = 20  # enough to see a pattern; the rest are counted


class Command(BaseCommand):
    help = (
        "Import comments from a Disqus XML export, a WordPress WXR file or Parley's JSON. "
        "Importing the same file again adds nothing; a newer export adds what is new."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the export file to read")
        parser.add_argument("--format", required=True, choices=FRONT_ENDS)
        parser.add_argument(
            "--dry-run", action="store_true", help="import, report, then roll everything back"
        )
        parser.add_argument(
            "--orphans",
            choices=ORPHAN_POLICIES,
            default="skip",
            help="a post whose parent is missing: skip it (default) or make it top level",
        )

    def handle(self, *args, file, format, dry_run, orphans, **options):
        try:
            with open(file, "rb") as stream, _progress(stream) as reading:
                archive = FRONT_ENDS[format](reading)
                summary = _import(archive, orphans=orphans, dry_run=dry_run)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        except ImportFailed as error:
            raise CommandError(f"Nothing imported from {file}: {error}") from None
        except ValidationError as error:
            raise CommandError(
                f"Nothing imported from {file}: it holds a value this site cannot store: "
                f"{'; '.join(error.messages)}"
            ) from None
        self.stdout.write("\n".join(_report(summary, archive.skipped, dry_run=dry_run)))


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


def _import(archive, *, orphans, dry_run):
    """Load the archive in one transaction: all of it is stored, or none of it."""
    with transaction.atomic():
        summary = load(archive, source=archive.source, orphans=orphans)
        if dry_run:
            transaction.set_rollback(True)
    return summary


def _report(summary, skipped_reading, *, dry_run):
    lines = [
        f"Discussions: {summary.discussions_created} added, "
        f"{summary.discussions_found} already here"
        + (f" ({summary.articles_created} articles added)" if summary.articles_created else ""),
        f"Posts: {summary.posts_created} added, {summary.statuses_updated} with a new status, "
        f"{summary.posts_unchanged} unchanged",
    ]
    if skipped_reading:
        lines.append("Skipped while reading the file:")
        lines += [f"  {reason}: {count}" for reason, count in sorted(skipped_reading.items())]
    if summary.skipped:
        lines.append(f"Skipped while storing: {len(summary.skipped)}")
        lines += [f"  {skip.external_id}: {skip.reason}" for skip in summary.skipped[:SKIPS_SHOWN]]
        if len(summary.skipped) > SKIPS_SHOWN:
            lines.append(f"  … and {len(summary.skipped) - SKIPS_SHOWN} more")
    if dry_run:
        lines.append("Dry run: nothing was saved.")
    return lines
