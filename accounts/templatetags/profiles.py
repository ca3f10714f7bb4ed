"""{% profile_avatar profile %}: a member's uploaded avatar, or their initials on their colour."""

from django import template
from django.utils.html import format_html

from .. import avatars

register = template.Library()


@register.simple_tag
def profile_avatar(profile):
    if profile.avatar:
        # Decorative: the name it stands beside says whose it is.
        return format_html(
            '<img class="avatar avatar-large" src="{}" alt="" width="128" height="128">',
            profile.avatar.url,
        )
    username = profile.user.get_username()
    shown = profile.display_name or username
    # The colour follows the handle, as everywhere on the site; the letters, the name shown.
    return format_html(
        '<span class="avatar avatar-large {}" aria-hidden="true">{}</span>',
        avatars.colour_class(username),
        avatars.initials(shown),
    )
