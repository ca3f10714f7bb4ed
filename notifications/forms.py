from django import forms
from django.contrib.auth import get_user_model

from .models import Preferences


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Preferences
        fields = ["reply", "mention", "followed", "decision", "auto_follow"]
        labels = {
            "reply": "Replies to your comments",
            "mention": "Mentions of you",
            "followed": "New comments in discussions you follow",
            "decision": "Moderators' decisions on your comments",
            "auto_follow": "Follow a discussion when you write in it",
        }
        widgets = dict.fromkeys(("reply", "mention", "followed", "decision"), forms.RadioSelect)


class EmailForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        users = get_user_model().objects.filter(email__iexact=email).exclude(pk=self.user.pk)
        if users.exists():
            raise forms.ValidationError("Another account uses this address.")
        return email
