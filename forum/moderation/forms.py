"""Forms of the moderation pages and of reporting a post; the rules live in forum.moderation."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

from django import forms
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..ids import is_possible_pk
from ..models import Flag, ModerationRecord, Post, Thread

REASON_LENGTH = 1000  # a paragraph: the record says why, the thread says the rest
BAN_DURATIONS = {
    "1": timedelta(days=1),
    "7": timedelta(days=7),
    "30": timedelta(days=30),
    "forever": None,
}
BAN_DURATION_CHOICES = [
    ("1", _("1 day")),
    ("7", _("7 days")),
    ("30", _("30 days")),
    ("forever", _("For good")),
]
# ASCII digits: str.isdigit() also holds for "²", which int() refuses.
POST_NUMBER = re.compile(r"[0-9]+")
POST_ANCHOR = re.compile(r"post-([0-9]+)")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=REASON_LENGTH,
        help_text=_("Kept in the audit log."),
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )


class LockForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=Thread._meta.get_field("lock_reason").max_length,
        help_text=_("Shown to readers above the discussion, and kept in the audit log."),
    )


class MoveForm(ReasonForm):
    target = forms.CharField(
        label=_("Move under post"),
        max_length=2000,
        help_text=_("The number of a post in the same discussion, or its link."),
    )
    field_order = ["target", "reason"]

    def __init__(self, *args, post, **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post

    def clean_target(self):
        pk = post_pk_from(self.cleaned_data["target"])
        if pk is None:
            raise forms.ValidationError(
                _("Give the number of a post, or its link: the link on the time it was posted.")
            )
        target = Post.objects.filter(pk=pk, thread_id=self.post.thread_id).first()
        if target is None:
            raise forms.ValidationError(
                _("There is no post %(pk)d in this discussion.") % {"pk": pk}
            )
        return target


def post_pk_from(value):
    """The post a number, a permalink or a "#post-N" link points to, or None."""
    value = value.strip()
    if POST_NUMBER.fullmatch(value):
        return int(value)
    address = urlsplit(value)
    if anchor := POST_ANCHOR.fullmatch(address.fragment):
        return int(anchor[1])
    try:
        match = resolve(address.path)
    except Resolver404:
        return None
    return match.kwargs["pk"] if match.view_name == "forum:post" else None


class SplitForm(ReasonForm):
    title = forms.CharField(
        label=_("Title of the new discussion"),
        max_length=Thread._meta.get_field("title").max_length,
    )
    field_order = ["title", "reason"]


class BanForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_LENGTH,
        help_text=_("Shown to the banned user, and kept in the audit log."),
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        error_messages={"required": _("Say why: the banned user will be shown the reason.")},
    )
    duration = forms.ChoiceField(
        label=_("For"), choices=BAN_DURATION_CHOICES, initial="7", widget=forms.RadioSelect
    )

    def ban_until(self):
        return ban_end(self.cleaned_data["duration"])


def ban_end(duration):
    """When a ban of this duration, starting now, ends: None for good."""
    length = BAN_DURATIONS[duration]
    return None if length is None else timezone.now() + length


class PostsField(forms.ModelMultipleChoiceField):
    """Posts picked by id; a value no post id can be is refused before the database sees it."""

    def clean(self, value):
        if isinstance(value, list | tuple):
            for pk in value:
                if not is_possible_pk(Post, pk):
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super().clean(value)


class BulkActionForm(forms.Form):
    # Starts on nothing: an action applied to many posts is chosen, never defaulted to.
    action = forms.ChoiceField(
        label=_("With the selected posts"),
        error_messages={"required": _("Choose what to do with the selected posts.")},
        choices=[
            ("", _("Choose an action…")),
            ("approve", _("Approve")),
            ("remove", _("Remove")),
            ("spam", _("Mark as spam")),
            ("ban", _("Ban their authors")),
        ],
    )
    posts = PostsField(
        queryset=Post.objects.select_related("author"),
        error_messages={"required": _("Select at least one post.")},
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=REASON_LENGTH)
    duration = forms.ChoiceField(
        label=_("Ban for"), choices=BAN_DURATION_CHOICES, initial="7", required=False
    )

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("action") == "ban":
            if not cleaned_data.get("reason", "").strip():
                self.add_error("reason", _("Say why: the banned users will be shown the reason."))
            if not cleaned_data.get("duration"):
                self.add_error("duration", _("Say for how long."))
        return cleaned_data

    def ban_until(self):
        return ban_end(self.cleaned_data["duration"])


class FlagForm(forms.ModelForm):
    """A reader's report; Flag.clean() asks for a note when the reason is "other"."""

    # Declared for its radio buttons without the empty choice a model field's select has.
    reason = forms.ChoiceField(
        label=_("What is wrong with this comment?"),
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Flag
        fields = ["reason", "note"]
        labels = {"note": _("Note")}
        help_texts = {"note": _("Anything the moderators should know. Needed for “other”.")}
        widgets = {"note": forms.Textarea(attrs={"rows": 3, "cols": 60})}


class LogFilterForm(forms.Form):
    moderator = forms.CharField(label=_("Moderator"), required=False, max_length=150)
    user = forms.CharField(label=_("User"), required=False, max_length=150)
    thread = forms.IntegerField(label=_("Thread number"), required=False, min_value=1)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("Any")), *ModerationRecord.Action.choices],
    )

    def clean_thread(self):
        number = self.cleaned_data["thread"]
        if number is not None and not is_possible_pk(Thread, number):
            raise forms.ValidationError(_("There is no discussion with this number."))
        return number

    def filter(self, records):
        """The records matching the valid filters; names match as stored in the log."""
        wanted = self.cleaned_data
        if wanted["moderator"]:
            records = records.filter(moderator_name=wanted["moderator"])
        if wanted["user"]:
            records = records.filter(user_name=wanted["user"])
        if wanted["thread"]:
            records = records.filter(thread_id=wanted["thread"])
        if wanted["action"]:
            records = records.filter(action=wanted["action"])
        return records
