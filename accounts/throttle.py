"""How django-axes names the account a login attempt was for."""

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model

STORED_LENGTH = AccessAttempt._meta.get_field("username").max_length


def attempted_username(request, credentials=None):
    """The username a login tried, cut to what axes can store (AXES_USERNAME_CALLABLE)."""
    field = get_user_model().USERNAME_FIELD
    if credentials is not None and field in credentials:
        username = credentials[field]
    else:
        username = request.POST.get(field, "") if request is not None else ""
    # Nobody's name is that long: the cut keeps one long guess from failing the insert (a 500
    # on PostgreSQL), and every such guess still counts against the address.
    return (username or "")[:STORED_LENGTH]
