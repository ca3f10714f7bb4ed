from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from forum.models import Post, Thread, can_moderate

from . import services
from .query import QueryError, parse

STATUS_CHOICES = [("", _("any"))] + [
    choice for choice in Post.Status.choices if choice[0] != Post.Status.DELETED
]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False, strip=True)
    discussion = forms.CharField(required=False, widget=forms.HiddenInput)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[(services.BEST, _("best match first")), (services.NEWEST, _("newest first"))],
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not can_moderate(user):
            del self.fields["status"]  # only moderators see posts in other statuses

    def clean_q(self):
        try:
            return parse(self.cleaned_data["q"])
        except QueryError as refusal:
            raise ValidationError(str(refusal), code="query") from refusal

    def clean_discussion(self):
        slug = self.cleaned_data["discussion"]
        if not slug:
            return None
        thread = Thread.objects.filter(slug=slug).first()
        if thread is None:
            raise ValidationError(_("There is no such discussion to search in."), code="thread")
        return thread

    def clean(self):
        cleaned = super().clean()
        query = cleaned.get("q")
        if query is not None and not query.has_words and not query.author:
            if query.excluded:
                message = _("Add a word to look for: a search cannot only leave words out.")
            else:
                message = _("Type a word or a phrase to search for.")
            self.add_error("q", ValidationError(message, code="empty"))
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", ValidationError(_("The end comes before the start.")))
        return cleaned

    def search(self):
        data = self.cleaned_data
        return services.search(
            user=self.user,
            query=data["q"],
            thread=data["discussion"],
            since=data["since"],
            until=data["until"],
            order=data["order"] or services.BEST,
            statuses=[data["status"]] if data.get("status") else (),
            page=data["page"] or 1,
        )
