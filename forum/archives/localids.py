"""The ids a Parley export gives what was written on its site, and finding them there again.

A thread or post written here has no external id, so the export names it by its primary key:
"parley:thread:<pk>", "parley:post:<pk>". Imported back into the same site (the file's header
carries the site's id), such an id is the row itself; anywhere else it is an external id like
any other, stored with the copy so the next import finds the copy again.
"""

import re

from django.contrib.auth import get_user_model

from forum.models import Post, Thread, Vote, this_site_id

SOURCE = "parley"
LOOKUP_CHUNK = 500  # ids per IN (...) lookup, well below every backend's limit
LOCAL_ID = re.compile(rf"{SOURCE}:(thread|post):([1-9][0-9]{{0,17}})")


def thread_external_id(pk, external_id):
    return external_id or f"{SOURCE}:thread:{pk}"


def post_external_id(pk, external_id):
    return external_id or f"{SOURCE}:post:{pk}"


def local_pk(external_id, kind):
    """The primary key in "parley:<kind>:<pk>", else None."""
    match = LOCAL_ID.fullmatch(external_id or "")
    return int(match[2]) if match and match[1] == kind else None


class Origin:
    """The site an archive came from: this one, whose rows and accounts it names, or another."""

    def __init__(self, site_id=None):
        self.same_site = site_id is not None and site_id == this_site_id()

    def stored_thread(self, record):
        """The thread written here that a discussion of this site's own export names, or None."""
        pk = local_pk(record.external_id, "thread") if self.same_site else None
        if pk is None or Thread.objects.filter(external_id=record.external_id).exists():
            return None
        # Its creation time too: a key freed by a flush may since name another thread.
        written_here = Thread.objects.filter(
            external_id__isnull=True, created_at=record.created_at
        )
        return written_here.filter(pk=pk).first()

    def stored_posts(self, records, fields):
        """{external id: fields of the post written here that it names} for these post records."""
        if not self.same_site:
            return {}
        pks = {local_pk(r.external_id, "post"): r for r in records}
        pks.pop(None, None)
        rows = Post.objects.filter(pk__in=list(pks), external_id__isnull=True)
        found = {}
        for pk, created_at, *values in rows.values_list("pk", "created_at", *fields):
            if created_at == pks[pk].created_at:
                found[pks[pk].external_id] = (pk, *values)
        return found

    def post_pks(self, external_ids):
        """{external id: pk} of the posts written here that these ids name."""
        return self._written_here(Post, "post", external_ids)

    def thread_pks(self, external_ids):
        """{external id: pk} of the threads written here that these ids name."""
        return self._written_here(Thread, "thread", external_ids)

    def _written_here(self, model, kind, external_ids):
        if not self.same_site:
            return {}
        pks = {local_pk(external_id, kind): external_id for external_id in external_ids}
        pks.pop(None, None)
        ordered, found = sorted(pks), {}
        for start in range(0, len(ordered), LOOKUP_CHUNK):
            rows = model.objects.filter(
                pk__in=ordered[start : start + LOOKUP_CHUNK], external_id__isnull=True
            )
            found.update((pks[pk], pk) for pk in rows.values_list("pk", flat=True))
        return found

    def accounts(self, ids):
        """The ids among these of accounts on this site; none for another site's file."""
        ids = {pk for pk in ids if pk is not None}
        if not self.same_site or not ids:
            return set()
        users = get_user_model().objects.filter(pk__in=ids)
        return set(users.values_list("pk", flat=True))

    def restore_votes(self, votes):
        """Store {post pk: [(account, value, time), ...]}; a gone account's vote stays unnamed."""
        accounts = self.accounts(user for post in votes.values() for user, _value, _at in post)
        Vote.objects.bulk_create(
            Vote(
                post_id=pk, user_id=user if user in accounts else None, value=value, created_at=at
            )
            for pk, post in votes.items()
            for user, value, at in post
        )
