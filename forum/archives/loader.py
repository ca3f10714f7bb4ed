"""The one loader: any front end's records become articles, threads and posts.

Every import (the seed, Disqus, WordPress, our JSON) goes through load(), so the rules live in
one place: external ids make a second import add only what is new, trees are written in bulk by
forum.trees, and the whole stream is stored in one transaction or not at all.

Memory stays small whatever the archive's size: posts are stored in batches as their records
arrive, outside every tree (forum.trees.bulk_load), and only a skeleton of each new post (its
pk, thread, parent's external id and time) is kept to place them all at the end. A post that
comes before its discussion waits whole until the discussion arrives; no real export does that.

External ids arrive qualified by the archive they first came from ("seed:5", "disqus:123"), so
two formats never collide, and our own JSON can carry a post's id back unchanged.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from forum import events, trees
from forum.markdown import render_markdown, sanitize_html
from forum.models import Post, Thread

from . import history
from .conflicts import reconcile
from .localids import Origin
from .placement import ORPHAN_POLICIES, Skipped, place_posts
from .records import DiscussionRecord, PostRecord
from .thread_matching import thread_for

BATCH_SIZE = 1000  # post records per round of lookups and inserts
LOOKUP_CHUNK = 500  # external ids per IN (...) lookup, well below every backend's limit
AUTHOR_NAME_LENGTH = Post._meta.get_field("author_name").max_length
EXTERNAL_ID_LENGTH = Post._meta.get_field("external_id").max_length
TWICE = "it appears twice; the first is kept"


@dataclass
class LoadSummary:
    source: str
    discussions_created: int = 0
    discussions_found: int = 0
    discussions_without_posts: int = 0  # not created: no post, no article to go with
    articles_created: int = 0
    posts_created: int = 0
    statuses_updated: int = 0
    posts_unchanged: int = 0
    posts_updated: int = 0  # by --update, where the file and the site disagreed
    skipped: list[Skipped] = field(default_factory=list)
    conflicts: list = field(default_factory=list)  # conflicts.Conflict, one per difference
    history: dict = field(default_factory=dict)  # {"Reports": {"added": n, ...}, ...}


@dataclass(slots=True)
class NewPost:
    """What placing a stored new post needs to know of it; its texts are in the database."""

    pk: int
    thread_pk: int
    parent_external_id: str | None
    created_at: datetime


def load(
    records, *, source, orphans="skip", origin=None, update=False, moderator=None
) -> LoadSummary:
    """Store a stream of import records, adding only what is not stored yet.

    origin (localids.Origin) says whether the records come from this site's own export; with
    update=True the file wins where it and the site disagree, recorded as moderator's action.
    """
    if orphans not in ORPHAN_POLICIES:
        raise ValueError(f"orphans must be one of {ORPHAN_POLICIES}, not {orphans!r}")
    summary = LoadSummary(source=source)
    with trees.bulk_load() as bulk:
        loading = Loading(bulk, summary, origin or Origin(), update=update, moderator=moderator)
        for record in records:
            loading.take(record)
        loading.finish(orphans=orphans)
        loading.announce()
    return summary


class Loading:
    """One load under way: the threads met, the new posts stored so far, the batch to store."""

    def __init__(self, bulk, summary, origin, *, update=False, moderator=None):
        self.bulk, self.summary, self.origin = bulk, summary, origin
        self.update, self.moderator = update, moderator
        self.history = []  # reports, bans and audit records, stored once every post is
        self.votes = {}  # external id -> the votes of a new post, kept for this site's own file
        self.placed = set()  # external ids of the new posts that found their place
        self.touched = history.Touched()  # what the reports and bans changed
        self.threads = {}  # discussion external id -> its Thread, or None while there is none
        self.discussions_met, self.posts_met = set(), set()
        self.new = {}  # external id -> NewPost, in the order they were stored
        self.waiting = defaultdict(list)  # posts whose discussion has not arrived yet
        self.batch = []  # (thread, record) pairs to store
        self.recount = set()  # pks of threads whose stored posts changed status
        self.restatused = set()  # tree_ids of stored posts whose status changed

    def take(self, record):
        if isinstance(record, history.RECORDS):
            self.history.append(record)
            return
        if not _acceptable(record, self.summary):
            return
        if isinstance(record, DiscussionRecord):
            self._discussion(record)
        else:
            self._post(record)

    def finish(self, *, orphans):
        for discussion_id, records in self.waiting.items():
            reason = f"its discussion {discussion_id} is not in the import"
            self.summary.skipped += [Skipped(record.external_id, reason) for record in records]
        self.waiting.clear()
        self._store_batch()
        self._place(orphans)
        self._store_votes()
        for thread in Thread.objects.filter(pk__in=self.recount):
            thread.update_counts()
        self.touched = history.store(self.history, origin=self.origin, summary=self.summary)

    def announce(self):
        """One announcement for the whole import: every discussion met, every tree written."""
        threads = [thread for thread in self.threads.values() if thread is not None]
        events.announce(
            events.Write.POSTS_IMPORTED,
            threads={thread.pk for thread in threads} | self.recount | self.touched.threads,
            trees=set().union(self.restatused, *self.bulk.touched.values(), self.touched.trees),
            articles={thread.article_id for thread in threads if thread.article_id},
            users=self.touched.users,
        )

    def _discussion(self, record):
        if record.external_id in self.discussions_met:
            self.summary.skipped.append(Skipped(record.external_id, TWICE, kind="discussion"))
            return
        self.discussions_met.add(record.external_id)
        thread = self.origin.stored_thread(record)
        if thread is not None:
            self.summary.discussions_found += 1
        else:
            thread = thread_for(record, self.summary)
            if thread is None:  # no post and no article: not made a discussion
                return
        self.threads[record.external_id] = thread
        for waiting in self.waiting.pop(record.external_id, ()):
            self._queue(thread, waiting)

    def _post(self, record):
        if record.external_id in self.posts_met:
            self.summary.skipped.append(Skipped(record.external_id, TWICE))
            return
        self.posts_met.add(record.external_id)
        discussion_id = record.discussion_external_id
        if discussion_id not in self.threads:
            self.threads[discussion_id] = Thread.objects.filter(external_id=discussion_id).first()
        if self.threads[discussion_id] is None:
            self.waiting[discussion_id].append(record)
        else:
            self._queue(self.threads[discussion_id], record)

    def _queue(self, thread, record):
        self.batch.append((thread, record))
        if len(self.batch) >= BATCH_SIZE:
            self._store_batch()

    def _store_batch(self):
        """Update the statuses of posts stored before, and store the new ones outside the trees."""
        batch, self.batch = self.batch, []
        stored = _stored_posts([record.external_id for _thread, record in batch])
        unknown = [record for _thread, record in batch if record.external_id not in stored]
        stored |= self.origin.stored_posts(unknown, STORED_FIELDS)
        self._reconcile([(stored[r.external_id], r) for _t, r in batch if r.external_id in stored])
        new = [(thread, record) for thread, record in batch if record.external_id not in stored]
        accounts = self.origin.accounts(record.extra.get("author_id") for _t, record in new)
        posts = self.bulk.insert([_new_post(thread, record, accounts) for thread, record in new])
        for post, (thread, record) in zip(posts, new, strict=True):
            if self.origin.same_site and record.extra.get("votes"):
                self.votes[record.external_id] = record.extra["votes"]
            self.new[record.external_id] = NewPost(
                post.pk, thread.pk, record.parent_external_id, record.created_at
            )

    def _reconcile(self, pairs):
        changed = reconcile(
            pairs,
            same_site=self.origin.same_site,
            update=self.update,
            moderator=self.moderator,
            source=self.summary.source,
            html=_html,
            summary=self.summary,
        )
        self.recount |= changed.threads
        self.restatused |= changed.trees

    def _store_votes(self):
        """Give the new posts of this site's own file their votes back, by account."""
        placed = self.placed & self.votes.keys()
        self.origin.restore_votes({self.new[ext].pk: self.votes[ext] for ext in placed})

    def _place(self, orphans):
        """Hang each thread's new posts from their parents, or skip them, then number the trees."""
        by_thread = defaultdict(dict)
        for external_id, post in self.new.items():
            by_thread[post.thread_pk][external_id] = post.parent_external_id
        stored = _stored_parents(self.new)
        threads = {thread.pk: thread for thread in self.threads.values() if thread is not None}
        for thread_pk in sorted(by_thread):
            answerable = stored.get(thread_pk, {})
            parents, skipped = place_posts(
                by_thread[thread_pk], stored=answerable, orphans=orphans
            )
            self.summary.skipped += skipped
            self.bulk.discard(self.new[skip.external_id].pk for skip in skipped)
            self.placed.update(parents)
            if parents:
                spots = self._spots(by_thread[thread_pk], parents, answerable)
                self.bulk.place(threads[thread_pk], spots)
            self.summary.posts_created += len(parents)

    def _spots(self, stream, parents, answerable):
        spots = {
            external_id: trees.Unplaced(self.new[external_id].pk, self.new[external_id].created_at)
            for external_id in stream
            if external_id in parents
        }
        for external_id, parent in parents.items():
            if parent is not None:
                spots[external_id].parent = spots.get(parent) or answerable[parent]
        return list(spots.values())


def _acceptable(record, summary):
    """Refuse what no import may hold; skip, with a reason, what this site cannot store."""
    if not isinstance(record, DiscussionRecord | PostRecord):
        raise TypeError(f"not an import record: {record!r}")
    origin, _, local_id = record.external_id.partition(":")
    if not (origin and local_id):
        raise ValueError(f"{record.external_id!r} is not a '<source>:<id>' external id")
    if isinstance(record, PostRecord) and record.status not in Post.Status.values:
        raise ValueError(f"{record.external_id}: unknown status {record.status!r}")
    if len(record.external_id) > EXTERNAL_ID_LENGTH:
        kind = "post" if isinstance(record, PostRecord) else "discussion"
        summary.skipped.append(Skipped(record.external_id[:80], "its id is too long", kind=kind))
        return False
    return True


def _chunks(values):
    values = sorted(values)
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield values[start : start + LOOKUP_CHUNK]


STORED_FIELDS = ("thread_id", "tree_id", "status", "body_html")


def _stored_posts(external_ids):
    """{external id: (pk, *STORED_FIELDS)} of the posts already stored among these."""
    stored = {}
    for chunk in _chunks(external_ids):
        rows = Post.objects.filter(external_id__in=chunk).values_list(
            "external_id", "pk", *STORED_FIELDS
        )
        stored.update((external_id, rest) for external_id, *rest in rows)
    return stored


def _stored_parents(new):
    """{thread pk: {external id: pk}} of the stored posts that new posts answer."""
    wanted = {
        post.parent_external_id
        for post in new.values()
        if post.parent_external_id is not None and post.parent_external_id not in new
    }
    found = defaultdict(dict)
    for chunk in _chunks(wanted):
        rows = Post.objects.filter(external_id__in=chunk).values_list(
            "external_id", "pk", "thread_id"
        )
        for external_id, pk, thread_pk in rows:
            found[thread_pk][external_id] = pk
    return found


def _new_post(thread, record, accounts):
    author_id = record.extra.get("author_id")
    return Post(
        thread=thread,
        # Names are never matched to accounts; an account id only comes back to its own site.
        author_id=author_id if author_id in accounts else None,
        author_name=record.author_name[:AUTHOR_NAME_LENGTH],
        body=record.body,
        body_html=_html(record),
        created_at=record.created_at,
        edited_at=record.edited_at,
        dated_by_importer=record.dated_by_importer,
        status=record.status,
        external_id=record.external_id,
        upvotes=record.extra.get("upvotes", 0),
        downvotes=record.extra.get("downvotes", 0),
    )


def _html(record):
    if record.body_html is not None:
        # Front ends sanitise already; the loader does not rely on every one of them doing so.
        return sanitize_html(record.body_html)
    return render_markdown(record.body)
