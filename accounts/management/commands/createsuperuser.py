from django.contrib.auth.management.commands import createsuperuser
from django.core.exceptions import ValidationError

from accounts.usernames import validate_new_username


class Command(createsuperuser.Command):
    """Django's createsuperuser, refusing the names sign-up refuses (reserved, look-alike)."""

    # Django's own hook for the username check, in both interactive and --noinput modes.
    def _validate_username(self, username, verbose_field_name, database):
        error = super()._validate_username(username, verbose_field_name, database)
        if error is None:
            try:
                validate_new_username(username)
            except ValidationError as refusal:
                return "; ".join(refusal.messages)
        return error
