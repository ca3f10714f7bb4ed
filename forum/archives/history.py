"""A site's moderation history in its export: reports (flags), bans and the audit log.

Only an export of the whole site carries them (a discussion's export is for moving threads).
Each comes back without duplicates: a report is known again by its post, time and reason, a ban
by its account and time, an audit record by its action, time and names. Accounts are named by
their id on the site that wrote the file and their name: into that same site the accounts come
back; elsewhere a report keeps no reporter, an audit record keeps the names, and a ban, which
needs an account, is skipped and listed.
"""

from dataclasses import dataclass, field
from datetime import UTC

from django.db.models import Q

from forum.models import Ban, Flag, ModerationRecord, Post, Thread

from .localids import post_external_id, thread_external_id
from .placement import Skipped

KINDS = ("flag", "ban", "audit")
NO_ACCOUNT = "its account is not on this site"


@dataclass(frozen=True)
class Account:
    id: int | None  # on the site that wrote the file
    name: str


@dataclass(frozen=True)
class FlagRecord:
    post_external_id: str
    reporter: Account | None
    reason: str
    note: str
    created_at: object
    resolved_at: object = None
    resolved_by: Account | None = None


@dataclass(frozen=True)
class BanRecord:
    user: Account
    reason: str
    created_at: object
    until: object = None
    created_by: Account | None = None
    lifted_at: object = None
    lifted_by: Account | None = None


@dataclass(frozen=True)
class AuditRecord:
    action: str
    moderator: Account | None
    user: Account | None
    post_external_id: str | None
    thread_external_id: str | None
    reason: str
    created_at: object
    details: dict


RECORDS = (FlagRecord, BanRecord, AuditRecord)


# Out


def _time(moment):
    return None if moment is None else moment.astimezone(UTC).isoformat()


def _account(pk, name):
    return None if pk is None and not name else {"id": pk, "name": name or ""}


def _username(user):
    return user.get_username() if user is not None else ""


def exported_items():
    """Every report, ban and audit record of the site, as the JSON objects of its export."""
    flags = Flag.objects.select_related("post", "reporter", "resolved_by").order_by("pk")
    for flag in flags.iterator(chunk_size=1000):
        yield {
            "type": "flag",
            "post": post_external_id(flag.post_id, flag.post.external_id),
            "reporter": _account(flag.reporter_id, _username(flag.reporter)),
            "reason": flag.reason,
            "note": flag.note,
            "created_at": _time(flag.created_at),
            "resolved_at": _time(flag.resolved_at),
            "resolved_by": _account(flag.resolved_by_id, _username(flag.resolved_by)),
        }
    bans = Ban.objects.select_related("user", "created_by", "lifted_by").order_by("pk")
    for ban in bans.iterator(chunk_size=1000):
        yield {
            "type": "ban",
            "user": _account(ban.user_id, _username(ban.user)),
            "reason": ban.reason,
            "created_at": _time(ban.created_at),
            "until": _time(ban.until),
            "created_by": _account(ban.created_by_id, _username(ban.created_by)),
            "lifted_at": _time(ban.lifted_at),
            "lifted_by": _account(ban.lifted_by_id, _username(ban.lifted_by)),
        }
    records = ModerationRecord.objects.select_related("post", "thread").order_by("pk")
    for record in records.iterator(chunk_size=1000):
        yield {
            "type": "audit",
            "action": record.action,
            "moderator": _account(record.moderator_id, record.moderator_name),
            "user": _account(record.user_id, record.user_name),
            "post": None
            if record.post_id is None
            else post_external_id(record.post_id, record.post.external_id),
            "thread": None
            if record.thread_id is None
            else thread_external_id(record.thread_id, record.thread.external_id),
            "reason": record.reason,
            "created_at": _time(record.created_at),
            "details": record.details,
        }


# In


def read(kind, fields):
    """The record of one history line of a Parley JSON archive, its fields checked."""
    if kind == "flag":
        return FlagRecord(
            post_external_id=fields.get("post", str),
            reporter=fields.account("reporter"),
            reason=fields.get("reason", str, choices=Flag.Reason.values),
            note=fields.get("note", str, default=""),
            created_at=fields.time("created_at"),
            resolved_at=fields.time("resolved_at", default=None),
            resolved_by=fields.account("resolved_by"),
        )
    if kind == "ban":
        user = fields.account("user")
        if user is None:
            fields.get("user", dict)  # says which line lacks it
        return BanRecord(
            user=user,
            reason=fields.get("reason", str),
            created_at=fields.time("created_at"),
            until=fields.time("until", default=None),
            created_by=fields.account("created_by"),
            lifted_at=fields.time("lifted_at", default=None),
            lifted_by=fields.account("lifted_by"),
        )
    return AuditRecord(
        action=fields.get("action", str, choices=ModerationRecord.Action.values),
        moderator=fields.account("moderator"),
        user=fields.account("user"),
        post_external_id=fields.get("post", str, default=None),
        thread_external_id=fields.get("thread", str, default=None),
        reason=fields.get("reason", str, default=""),
        created_at=fields.time("created_at"),
        details=fields.get("details", dict, default={}),
    )


@dataclass
class Touched:
    """What stored history changes on pages: flagged posts' threads and trees, banned users."""

    threads: set = field(default_factory=set)
    trees: set = field(default_factory=set)
    users: set = field(default_factory=set)


ADDED, FOUND = "added", "already here"
NAMES = {FlagRecord: "Reports", BanRecord: "Bans", AuditRecord: "Audit records"}


def store(records, *, origin, summary):
    """Store the reports, bans and audit records not here yet; say what that changed.

    summary.history counts, per kind, how many were added and how many were here already.
    """
    posts = _posts({r.post_external_id for r in records if _post_of(r)}, origin)
    threads = _threads({r.thread_external_id for r in records if _thread_of(r)}, origin)
    accounts = origin.accounts(
        account.id
        for record in records
        for account in vars(record).values()
        if isinstance(account, Account)
    )

    def user_id(account):
        return account.id if account is not None and account.id in accounts else None

    flagged, banned = set(), set()
    for record in records:
        if isinstance(record, FlagRecord):
            outcome = _store_flag(record, posts, user_id, summary)
            if outcome == ADDED:
                flagged.add(posts[record.post_external_id])
        elif isinstance(record, BanRecord):
            outcome = _store_ban(record, user_id, summary)
            if outcome == ADDED:
                banned.add(user_id(record.user))
        else:
            outcome = _store_audit(record, posts, threads, user_id)
        if outcome is not None:
            counts = summary.history.setdefault(NAMES[type(record)], {ADDED: 0, FOUND: 0})
            counts[outcome] += 1
    rows = Post.objects.filter(pk__in=flagged).values_list("thread_id", "tree_id")
    return Touched({t for t, _ in rows}, {tree for _, tree in rows}, banned)


def _post_of(record):
    return getattr(record, "post_external_id", None)


def _thread_of(record):
    return getattr(record, "thread_external_id", None)


def _store_flag(record, posts, user_id, summary):
    post = posts.get(record.post_external_id)
    if post is None:
        reason = "a report on a post that is not here"
        summary.skipped.append(Skipped(record.post_external_id, reason, kind="report"))
        return None
    reporter = user_id(record.reporter)
    same = Q(created_at=record.created_at, reason=record.reason)
    if reporter is not None:
        same |= Q(reporter_id=reporter)  # a reader reports a post once
    if Flag.objects.filter(same, post_id=post).exists():
        return FOUND
    Flag.objects.create(
        post_id=post,
        reporter_id=reporter,
        reason=record.reason,
        note=record.note,
        created_at=record.created_at,
        resolved_at=record.resolved_at,
        resolved_by_id=user_id(record.resolved_by),
    )
    return ADDED


def _store_ban(record, user_id, summary):
    user = user_id(record.user)
    if user is None:
        summary.skipped.append(Skipped(f"the ban of {record.user.name}", NO_ACCOUNT, kind="ban"))
        return None
    if Ban.objects.filter(user_id=user, created_at=record.created_at).exists():
        return FOUND
    Ban.objects.create(
        user_id=user,
        reason=record.reason,
        until=record.until,
        created_by_id=user_id(record.created_by),
        created_at=record.created_at,
        lifted_at=record.lifted_at,
        lifted_by_id=user_id(record.lifted_by),
    )
    return ADDED


def _store_audit(record, posts, threads, user_id):
    moderator_name = record.moderator.name if record.moderator else ""
    user_name = record.user.name if record.user else ""
    same = ModerationRecord.objects.filter(
        action=record.action,
        created_at=record.created_at,
        moderator_name=moderator_name,
        user_name=user_name,
    )
    if same.exists():
        return FOUND
    ModerationRecord.objects.create(
        action=record.action,
        moderator_id=user_id(record.moderator),
        moderator_name=moderator_name,
        user_id=user_id(record.user),
        user_name=user_name,
        post_id=posts.get(record.post_external_id),
        thread_id=threads.get(record.thread_external_id),
        reason=record.reason,
        created_at=record.created_at,
        details=record.details,
    )
    return ADDED


LOOKUP_CHUNK = 500  # ids per IN (...) lookup, well below every backend's limit


def _posts(external_ids, origin):
    found = _by_external_id(Post, external_ids)
    return {**origin.post_pks(external_ids - found.keys()), **found}


def _threads(external_ids, origin):
    found = _by_external_id(Thread, external_ids)
    return {**origin.thread_pks(external_ids - found.keys()), **found}


def _by_external_id(model, external_ids):
    ids, found = sorted(external_ids), {}
    for start in range(0, len(ids), LOOKUP_CHUNK):
        rows = model.objects.filter(external_id__in=ids[start : start + LOOKUP_CHUNK])
        found.update(rows.values_list("external_id", "pk"))
    return found
