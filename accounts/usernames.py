"""The rules a new or changed username must pass, wherever an account is named."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import resolve, reverse
from django.utils.translation import gettext_lazy as _

from .lookalikes import mixes_scripts
from .models import UsernameLook

RESERVED = _("This username is reserved.")
MIXES_SCRIPTS = _(
    "Each word of a username must use one alphabet: this one mixes scripts, "
    "such as Latin and Cyrillic letters."
)
LOOKS_TAKEN = _("This username looks too much like an existing one. Please choose another.")

# Browsers resolve these path segments away, so a profile under either name is unreachable.
DOT_SEGMENTS = {".", ".."}


def is_reserved(username: str) -> bool:
    """Whether this valid name's profile address is unreachable or owned by an account page."""
    if username in DOT_SEGMENTS:
        return True
    profile_path = reverse("accounts:profile", kwargs={"username": username})
    return resolve(profile_path).view_name != "accounts:profile"


def validate_new_username(username: str, *, user=None) -> None:
    """Raise ValidationError unless the name is valid, reachable and unlike another account's."""
    user_model = get_user_model()
    # First the model's own validators: the checks below need a name they accept (no "/").
    user_model._meta.get_field(user_model.USERNAME_FIELD).run_validators(username)
    if is_reserved(username):
        raise ValidationError(RESERVED, code="reserved")
    lookalikes = UsernameLook.objects.looking_like(username)
    if user is not None:
        lookalikes = lookalikes.exclude(user=user)
    if lookalikes.exists():
        raise ValidationError(LOOKS_TAKEN, code="looks_taken")
    if mixes_scripts(username):
        raise ValidationError(MIXES_SCRIPTS, code="mixed_scripts")
