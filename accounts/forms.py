from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from forum import antispam

from .usernames import LOOKS_TAKEN, validate_new_username


class SignupForm(antispam.HoneypotFormMixin, auth_forms.UserCreationForm):
    """A new account: a username, a password the validators accept, an optional email."""

    class Meta(auth_forms.UserCreationForm.Meta):
        fields = ("username", "email")
        help_texts = {"email": _("Optional. Needed only to reset a forgotten password.")}

    def clean_username(self):
        username = super().clean_username()  # None when taken in another letter case
        if username:
            validate_new_username(username)
        return username

    def clean(self):
        cleaned_data = super().clean()
        if refusal := antispam.check_honeypot(self):
            raise ValidationError(refusal, code="honeypot")
        return cleaned_data

    def save(self, commit=True):
        """Store the account; raise ValidationError if a sign-up at the same time took its look."""
        try:
            with transaction.atomic():
                return super().save(commit)
        except IntegrityError:
            raise ValidationError(LOOKS_TAKEN, code="looks_taken") from None


class AdminUserCreationForm(auth_forms.AdminUserCreationForm):
    def clean_username(self):
        username = super().clean_username()
        if username:
            validate_new_username(username)
        return username


class UserChangeForm(auth_forms.UserChangeForm):
    def clean_username(self):
        username = self.cleaned_data["username"]
        # An unchanged name passes as it is, even one that predates the look-alike check.
        if "username" in self.changed_data:
            validate_new_username(username, user=self.instance)
        return username
