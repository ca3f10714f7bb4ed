from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError
from django.urls import resolve, reverse
from django.utils.translation import gettext_lazy as _

from forum import antispam


class SignupForm(antispam.HoneypotFormMixin, UserCreationForm):
    """A new account: a username, a password the validators accept, an optional email."""

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")
        help_texts = {"email": _("Optional. Needed only to reset a forgotten password.")}

    def clean_username(self):
        username = super().clean_username()
        if username and is_reserved(username):
            raise ValidationError(_("This username is reserved."), code="reserved")
        return username

    def clean(self):
        cleaned_data = super().clean()
        if refusal := antispam.check_honeypot(self):
            raise ValidationError(refusal, code="honeypot")
        return cleaned_data


# Browsers resolve these path segments away, so a profile under either name is unreachable.
DOT_SEGMENTS = {".", ".."}


def is_reserved(username):
    """Whether this name's profile address is unreachable or owned by an account page."""
    if username in DOT_SEGMENTS:
        return True
    profile_path = reverse("accounts:profile", kwargs={"username": username})
    return resolve(profile_path).view_name != "accounts:profile"
