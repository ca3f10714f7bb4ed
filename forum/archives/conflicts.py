"""A post an import finds again, compared with what the site holds now.

The site's version wins: a moderator's decision made here, or a text that differs from the
file's, is kept, and the report lists each difference as a conflict. With update=True the file
wins instead, and each post it changes gets an audit record. A status that changed at the
source of a foreign export, on a post nobody here decided on, is taken as before. An author's
own deletion here is never undone: the text is gone, and so was their wish.
"""

from collections import defaultdict
from dataclasses import dataclass

from forum.models import ModerationRecord, Post

Status = Post.Status


@dataclass(frozen=True)
class Conflict:
    external_id: str
    what: str  # "status" or "text"
    in_file: str
    on_site: str
    resolution: str  # what was kept, and why

    def __str__(self):
        if self.what == "status":
            difference = f"the file says {self.in_file}, this site says {self.on_site}"
        else:
            difference = "its text differs from this site's"
        return f"{self.external_id}: {difference}; {self.resolution}"


SITE_KEPT = "this site's kept"
FILE_TAKEN = "the file's taken"
DELETION_KEPT = "its author deleted it here, which an import never undoes"


@dataclass
class Reconciled:
    """What reconciling one batch changed: the threads to recount, the trees to re-render."""

    threads: set
    trees: set


def reconcile(pairs, *, same_site, update, moderator, source, html, summary):
    """Compare each (stored row, record) pair; apply what the rules above let the file change.

    A stored row is (pk, thread pk, tree_id, status, body_html).
    """
    decided = _decided_here([row[0] for row, _record in pairs], same_site)
    statuses, texts, audited = defaultdict(list), {}, {}
    changed = Reconciled(set(), set())
    for (pk, thread_pk, tree_id, status, body_html), record in pairs:
        differs = writes = False
        if status != record.status:
            differs = True
            if status == Status.DELETED:
                summary.conflicts.append(_conflict(record, "status", status, DELETION_KEPT))
            elif pk not in decided:
                statuses[record.status].append(pk)  # the source changed it, nobody here did
                summary.statuses_updated += 1
                writes = True
            else:
                resolution = FILE_TAKEN if update else SITE_KEPT
                summary.conflicts.append(_conflict(record, "status", status, resolution))
                if update:
                    statuses[record.status].append(pk)
                    writes = True
                    audited.setdefault(pk, {})["previous_status"] = status
                    audited[pk]["status"] = record.status
        deleted = Status.DELETED in (status, record.status)
        if not deleted and (text := html(record)) != body_html:
            differs = True
            resolution = FILE_TAKEN if update else SITE_KEPT
            summary.conflicts.append(_conflict(record, "text", "", resolution))
            if update:
                texts[pk] = (record.body, text)
                writes = True
                audited.setdefault(pk, {})["text_replaced"] = True
        if not differs:
            summary.posts_unchanged += 1
        if writes:
            changed.threads.add(thread_pk)
            changed.trees.add(tree_id)
    for status, pks in statuses.items():
        Post.objects.filter(pk__in=pks).update(status=status)
    for pk, (body, body_html) in texts.items():
        Post.objects.filter(pk=pk).update(body=body, body_html=body_html)
    summary.posts_updated += len(audited)
    for post in Post.objects.select_related("author", "thread").filter(pk__in=list(audited)):
        ModerationRecord.objects.record(
            ModerationRecord.Action.IMPORT_UPDATE,
            moderator,
            post=post,
            reason=f"imported from {source} with --update",
            **audited[post.pk],
        )
    return changed


def _conflict(record, what, on_site, resolution):
    in_file = record.status if what == "status" else ""
    return Conflict(record.external_id, what, in_file, on_site, resolution)


def _decided_here(pks, same_site):
    """The posts whose status this site decided: all of a file of its own, else the moderated."""
    if same_site:
        return set(pks)
    records = ModerationRecord.objects.filter(post_id__in=pks)
    return set(records.values_list("post_id", flat=True))
