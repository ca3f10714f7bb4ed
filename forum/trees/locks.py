"""The locks every tree write takes, in the order the package docstring gives."""

from django.db import connection

from ..models import Thread

NEW_TREE_LOCK_KEY = 7_285_301  # arbitrary, fixed: the advisory lock for tree_id allocation


class TreeWriteOutsideTransaction(RuntimeError):
    pass


def _require_transaction():
    if not connection.in_atomic_block:
        raise TreeWriteOutsideTransaction("tree writes must run inside transaction.atomic()")


def lock_new_trees():
    """Serialise tree_id allocation, which django-mptt does as max(tree_id) + 1."""
    _require_transaction()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [NEW_TREE_LOCK_KEY])


def lock_threads(*threads):
    """Lock the threads' rows until the transaction ends, and return them freshly read."""
    _require_transaction()
    pks = sorted({thread.pk for thread in threads})
    locked = {
        thread.pk: thread
        for thread in Thread.objects.select_for_update().filter(pk__in=pks).order_by("pk")
    }
    return [locked[thread.pk] for thread in threads]
