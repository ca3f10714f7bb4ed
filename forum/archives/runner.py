"""One import, the same from manage.py import_comments and from the admin's upload page."""

import gzip
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from . import ImportFailed
from .disqus import DisqusExport
from .jsonformat import ParleyJSON
from .lenient import Damage
from .loader import LoadSummary, load
from .localids import Origin
from .wxr import WordPressExport
from .xmlsafety import Damaged

FRONT_ENDS = {"disqus": DisqusExport, "wxr": WordPressExport, "json": ParleyJSON}
XML_FRONT_ENDS = {"disqus", "wxr"}  # the ones a damaged file can be read leniently by
NOTES_SHOWN = 20  # repairs of a damaged file: enough to see a pattern; the rest are counted
CONFLICTS_SHOWN = 20  # likewise for the conflicts; every skip, by contrast, is listed by id
GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class ImportReport:
    summary: LoadSummary
    skipped_reading: list
    dry_run: bool
    comment_elements: int | None = None  # None: the format has no such count (our JSON)
    left_out: Counter = field(default_factory=Counter)
    damage: Damage | None = None

    @property
    def skipped_posts(self):
        """Every comment left out, while reading or while storing, each with its reason."""
        stored = [skip for skip in self.summary.skipped if skip.kind == "post"]
        return [*self.skipped_reading, *stored]

    @property
    def lines(self):
        """The report as lines of text: what was added, found, updated and skipped, and why."""
        summary = self.summary
        articles = (
            f" ({summary.articles_created} articles added)" if summary.articles_created else ""
        )
        lines = []
        if self.damage is not None:
            lines.append(
                "The file is damaged: it was read leniently, and "
                f"{len(self.damage.notes)} problem(s) were repaired or left out:"
            )
            lines += [
                f"  line {line}: {message}" for line, message in self.damage.notes[:NOTES_SHOWN]
            ]
            if len(self.damage.notes) > NOTES_SHOWN:
                lines.append(f"  … and {len(self.damage.notes) - NOTES_SHOWN} more")
        lines += [
            f"Discussions: {summary.discussions_created} added, "
            f"{summary.discussions_found} already here{articles}",
        ]
        left_out = self.left_out + Counter(
            {"threads without a post (nor an article here)": summary.discussions_without_posts}
        )
        if left_out:
            lines.append("Threads not made discussions:")
            lines += [f"  {reason}: {n}" for reason, n in sorted(left_out.items())]
        lines.append(
            f"Posts: {summary.posts_created} added, {summary.statuses_updated} with a new status, "
            f"{summary.posts_unchanged} unchanged"
        )
        for kind, counts in summary.history.items():
            lines.append(f"{kind}: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
        if summary.posts_updated:
            lines.append(f"Posts changed to the file's version: {summary.posts_updated}")
        if summary.conflicts:
            lines.append(
                f"Conflicts between the file and this site: {len(summary.conflicts)} "
                "(to take the file's status and text: --update, or “Let the file win”)"
            )
            lines += [f"  {conflict}" for conflict in summary.conflicts[:CONFLICTS_SHOWN]]
            if len(summary.conflicts) > CONFLICTS_SHOWN:
                lines.append(f"  … and {len(summary.conflicts) - CONFLICTS_SHOWN} more")
        skipped = self.skipped_posts
        if self.comment_elements is not None:
            lines.append(
                f"Comments in the file: {self.comment_elements}, of which "
                f"{self.comment_elements - len(skipped)} stored and {len(skipped)} skipped"
            )
        others = [skip for skip in self.summary.skipped if skip.kind != "post"]
        if skipped or others:
            lines.append(f"Skipped: {len(skipped) + len(others)}")
            lines += [f"  {skip.external_id}: {skip.reason}" for skip in [*skipped, *others]]
        if self.dry_run:
            lines.append("Dry run: nothing was saved.")
        return lines


def run_import(
    file, *, format, dry_run=False, orphans="skip", strict=False, update=False, moderator=None
) -> ImportReport:
    """Read a binary file in format (gzipped or not) and store it in one transaction, or roll
    back a dry run. A damaged XML file is read again leniently, unless strict.

    With update=True the file wins where it and the site disagree, recorded as moderator's.
    """
    file = _unpacked(file)
    storing = {"orphans": orphans, "update": update, "moderator": moderator}
    try:
        with transaction.atomic():
            try:
                archive, summary = _load(file, format, storing, damage=None)
            except Damaged as error:
                if strict or format not in XML_FRONT_ENDS:
                    raise ImportFailed(f"{error} (the file is damaged)") from None
                file.seek(0)
                archive, summary = _load(file, format, storing, damage=Damage())
            comment_elements = getattr(archive, "comment_elements", None)
            if comment_elements == 0:
                raise ImportFailed(
                    f"no comment found in the file: looked for {archive.looked_for}"
                )
            if dry_run:
                transaction.set_rollback(True)
    except ValidationError as error:
        raise ImportFailed(
            f"it holds a value this site cannot store: {'; '.join(error.messages)}"
        ) from None
    return ImportReport(
        summary,
        list(archive.skipped),
        dry_run,
        comment_elements=comment_elements,
        left_out=getattr(archive, "left_out", Counter()),
        damage=getattr(archive, "damage", None),
    )


def _load(file, format, storing, *, damage):
    """Read and store the file; a savepoint, so a strict attempt that fails leaves nothing.

    storing holds load()'s orphans, update and moderator.
    """
    archive = (
        FRONT_ENDS[format](file) if damage is None else FRONT_ENDS[format](file, damage=damage)
    )
    # Only our own JSON names its site; a file of this very site may name its rows and accounts.
    origin = Origin(getattr(archive, "site", None))
    with transaction.atomic():
        summary = load(archive, source=archive.source, origin=origin, **storing)
    return archive, summary


def _unpacked(file):
    """The file itself, or what it holds when it is gzipped (as Disqus delivers exports)."""
    magic = file.read(2)
    file.seek(0)
    return gzip.GzipFile(fileobj=file, mode="rb") if magic == GZIP_MAGIC else file
