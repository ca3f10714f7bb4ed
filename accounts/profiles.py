"""A member's profile: read with a default, and written by named functions."""

from django.core.files.base import ContentFile
from django.db import transaction

from forum.markdown import render_markdown

from .models import Profile


def profile_of(user) -> Profile:
    """The user's profile; an unsaved, empty one for a member who never wrote theirs."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        return Profile(user=user)


def update_profile(*, user, display_name: str, bio: str) -> Profile:
    """Store the display name and bio, the bio rendered once to sanitised HTML."""
    profile = profile_of(user)
    profile.display_name = display_name
    profile.bio_source = bio
    profile.bio_html = render_markdown(bio) if bio.strip() else ""
    profile.full_clean()
    profile.save()
    return profile


def set_avatar(*, user, image: bytes) -> Profile:
    """Store an avatar already made safe by avatar_images.prepare_avatar, replacing any other."""
    profile = profile_of(user)
    replaced = profile.avatar.name
    with transaction.atomic():
        profile.avatar.save("avatar.webp", ContentFile(image), save=False)
        profile.save()
        _delete_after_commit(profile, replaced)
    return profile


def remove_avatar(*, user) -> Profile:
    """Go back to initials; the stored file goes once the change is committed."""
    profile = profile_of(user)
    if profile.avatar:
        with transaction.atomic():
            replaced, profile.avatar = profile.avatar.name, None
            profile.save()
            _delete_after_commit(profile, replaced)
    return profile


def _delete_after_commit(profile, name):
    # After the commit: a rolled-back change must still find its file.
    if name:
        storage = profile.avatar.storage
        transaction.on_commit(lambda: storage.delete(name))
