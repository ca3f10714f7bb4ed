"""Forms for writing in the forum; the rules themselves live in forum.services."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import antispam, services
from .markdown import render_markdown

DAMAGED_FORM = _(
    "This form was damaged on its way here. Copy your text, reload the discussion and post "
    "it from there."
)
BODY_HELP = _(
    "Markdown: *emphasis*, **strong**, [links](https://example.org), > quotes, lists, "
    "`code`. No images or HTML."
)


class BodyForm(forms.Form):
    """The text of a post, cleaned and checked by the same rules as the services apply."""

    # Not stripped: leading spaces mean something in Markdown, and so may U+00A0.
    body = forms.CharField(
        label=_("Your comment"),
        strip=False,
        help_text=BODY_HELP,
        error_messages={"required": services.EMPTY_BODY},
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60}),
    )

    def clean_body(self):
        return services.validate_body(self.cleaned_data["body"])

    def preview_html(self):
        """The body as it will be shown, for a form that validated."""
        return render_markdown(self.cleaned_data["body"], link_mentions=True)


class SubmittedOnceForm(antispam.HoneypotFormMixin, BodyForm):
    """A new post's form: a one-time token, so sending it twice saves one post, and a honeypot."""

    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, data=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("token", uuid.uuid4())
        self.token_renewed = False
        if data is not None and not _is_uuid(data.get("token")):
            # A mangled token is replaced, so the form shown again can be sent as it is.
            data = data.copy()
            data["token"] = str(uuid.uuid4())
            self.token_renewed = True
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned_data = super().clean()
        if refusal := antispam.check_honeypot(self):
            raise ValidationError(refusal)  # said above the form: the field is out of sight
        if self.token_renewed:
            raise ValidationError(
                _("This form was out of date. Check your text and send it again.")
            )
        return cleaned_data


class ReplyForm(SubmittedOnceForm):
    """A reply to a post, or a new top-level post in a thread."""

    # The thread the writer saw, so a reply to a post since moved elsewhere is refused.
    thread = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=1,
        error_messages={"invalid": DAMAGED_FORM, "min_value": DAMAGED_FORM},
    )


class NewThreadForm(SubmittedOnceForm):
    title = forms.CharField(
        label=_("Title"), max_length=300, error_messages={"required": services.EMPTY_TITLE}
    )
    field_order = ["title", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].label = _("First comment")

    def clean_title(self):
        return services.validate_title(self.cleaned_data["title"])


class EditForm(BodyForm):
    """The new text of one's own post."""


def _is_uuid(value):
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
