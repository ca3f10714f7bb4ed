"""The "Profile" section of the settings page: display name, bio and avatar."""

import unicodedata

from django import forms
from django.contrib import messages

from .avatar_images import prepare_avatar
from .profiles import profile_of, remove_avatar, set_avatar, update_profile
from .settings_page import Section

BIO_MAX_LENGTH = 1000  # a few lines about oneself, not a second blog


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label="Display name",
        max_length=50,
        required=False,
        help_text="Shown on your profile. Your username stays your handle.",
    )
    bio = forms.CharField(
        label="About you",
        max_length=BIO_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Markdown: *emphasis*, **bold**, links, lists.",
    )
    avatar = forms.FileField(
        label="Avatar",
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
        help_text="A PNG, JPEG, GIF or WebP picture, cropped square to 128 pixels.",
    )
    remove_avatar = forms.BooleanField(label="Remove my avatar", required=False)

    def __init__(self, *args, **kwargs):
        # Ids of its own: the settings page holds every section's form.
        super().__init__(*args, auto_id="profile-%s", **kwargs)

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if any(unicodedata.category(char) in ("Cc", "Cf", "Co", "Cn") for char in name):
            raise forms.ValidationError(
                "A display name can hold letters, digits, spaces and punctuation only.",
                code="invisible",
            )
        return name

    def clean_avatar(self):
        upload = self.cleaned_data.get("avatar")
        return prepare_avatar(upload) if upload else None


def profile_context(request):
    profile = profile_of(request.user)
    initial = {"display_name": profile.display_name, "bio": profile.bio_source}
    return {"form": ProfileForm(initial=initial), "profile": profile}


def profile_post(request):
    form = ProfileForm(request.POST, request.FILES)
    if not form.is_valid():
        if form.has_error("avatar"):
            form.add_error(None, "Nothing was saved: please choose the picture again.")
        return {"form": form, "profile": profile_of(request.user)}
    user, data = request.user, form.cleaned_data
    update_profile(user=user, display_name=data["display_name"], bio=data["bio"])
    if data["avatar"]:
        set_avatar(user=user, image=data["avatar"])
    elif data["remove_avatar"]:
        remove_avatar(user=user)
    messages.success(request, "Your profile is saved.")
    return None


SECTIONS = [
    Section("profile", "accounts/settings/_profile.html", profile_context, profile_post, order=0)
]
