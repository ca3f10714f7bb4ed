"""Receivers for the user model's saves and for logins, connected in AccountsConfig.ready()."""

from axes.utils import reset as reset_failed_logins
from django.contrib import messages
from django.utils.translation import gettext as _

from . import models


def record_username_looks(sender, instance, created, raw, update_fields, **kwargs):
    """Keep how the user's name looks, as stored, in step with their name."""
    if raw:  # loaddata: a fixture carries its own rows
        return
    if update_fields is not None and "username" not in update_fields:
        return  # e.g. last_login on every login
    models.record_username_looks(user=instance, created=created)


def forget_failed_logins(sender, request, user, **kwargs):
    """A successful login clears the account's failed attempts, and only the account's."""
    # Not axes' AXES_RESET_ON_SUCCESS: that also clears every failure from the client's address,
    # so logging into one's own account between guesses would undo the address's throttle.
    reset_failed_logins(username=user.get_username())


def say_logged_in(sender, request, user, **kwargs):
    """Confirm a login on the next page."""
    # Silent for logins without the messages middleware (tests' force_login, scripts).
    messages.success(
        request,
        _("You are logged in as %(name)s.") % {"name": user.get_username()},
        fail_silently=True,
    )


def say_logged_out(sender, request, user, **kwargs):
    """Confirm a logout on the next page, which is then this visitor's own, never shared."""
    messages.success(request, _("You are logged out."), fail_silently=True)
