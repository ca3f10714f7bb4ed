"""One import, the same from manage.py import_comments and from the admin's upload page."""

from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from . import ImportFailed
from .disqus import DisqusExport
from .jsonformat import ParleyJSON
from .loader import LoadSummary, load
from .localids import Origin
from .wxr import WordPressExport

FRONT_ENDS = {"disqus": DisqusExport, "wxr": WordPressExport, "json": ParleyJSON}
SKIPS_SHOWN = 20  # enough to see a pattern; the rest are counted


@dataclass(frozen=True)
class ImportReport:
    summary: LoadSummary
    skipped_reading: Counter
    dry_run: bool

    @property
    def lines(self):
        """The report as lines of text: what was added, found, updated and skipped, and why."""
        summary = self.summary
        articles = (
            f" ({summary.articles_created} articles added)" if summary.articles_created else ""
        )
        lines = [
            f"Discussions: {summary.discussions_created} added, "
            f"{summary.discussions_found} already here{articles}",
            f"Posts: {summary.posts_created} added, {summary.statuses_updated} with a new status, "
            f"{summary.posts_unchanged} unchanged",
        ]
        if self.skipped_reading:
            lines.append("Skipped while reading the file:")
            lines += [f"  {reason}: {n}" for reason, n in sorted(self.skipped_reading.items())]
        for kind, counts in summary.history.items():
            lines.append(f"{kind}: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
        if summary.posts_updated:
            lines.append(f"Posts changed to the file's version: {summary.posts_updated}")
        if summary.conflicts:
            lines.append(
                f"Conflicts between the file and this site: {len(summary.conflicts)} "
                "(to take the file's status and text: --update, or “Let the file win”)"
            )
            lines += [f"  {conflict}" for conflict in summary.conflicts[:SKIPS_SHOWN]]
            if len(summary.conflicts) > SKIPS_SHOWN:
                lines.append(f"  … and {len(summary.conflicts) - SKIPS_SHOWN} more")
        if summary.skipped:
            lines.append(f"Skipped while storing: {len(summary.skipped)}")
            lines += [
                f"  {skip.external_id}: {skip.reason}" for skip in summary.skipped[:SKIPS_SHOWN]
            ]
            if len(summary.skipped) > SKIPS_SHOWN:
                lines.append(f"  … and {len(summary.skipped) - SKIPS_SHOWN} more")
        if self.dry_run:
            lines.append("Dry run: nothing was saved.")
        return lines


def run_import(
    file, *, format, dry_run=False, orphans="skip", update=False, moderator=None
) -> ImportReport:
    """Read a binary file in format and store it in one transaction, or roll back a dry run.

    With update=True the file wins where it and the site disagree, recorded as moderator's.
    """
    archive = FRONT_ENDS[format](file)
    # Only our own JSON names its site; a file of this very site may name its rows and accounts.
    origin = Origin(getattr(archive, "site", None))
    try:
        with transaction.atomic():
            summary = load(
                archive,
                source=archive.source,
                orphans=orphans,
                origin=origin,
                update=update,
                moderator=moderator,
            )
            if dry_run:
                transaction.set_rollback(True)
    except ValidationError as error:
        raise ImportFailed(
            f"it holds a value this site cannot store: {'; '.join(error.messages)}"
        ) from None
    return ImportReport(summary, archive.skipped, dry_run)
