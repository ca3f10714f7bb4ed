"""Whether a value a request sends could be a row's id, before the database is asked about it.

Django refuses out-of-range integers in `=` lookups but not in `IN` or on foreign keys, where
SQLite raises OverflowError: a form or admin selection that takes ids checks them here first.
"""

from django.core.exceptions import ValidationError
from django.db import connection


def is_possible_pk(model, value) -> bool:
    """Whether value is a primary key of model's type that the database could store."""
    field = model._meta.pk
    try:
        pk = field.to_python(value)
    except ValidationError:
        return False
    if not isinstance(pk, int):
        return pk is not None
    # A primary key that is also a relation (a profile's user) holds what its target holds.
    stored_as = field.target_field if field.is_relation else field
    low, high = connection.ops.integer_field_range(stored_as.get_internal_type())
    return (low is None or low <= pk) and (high is None or pk <= high)
