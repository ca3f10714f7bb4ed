"""{% avatar name %}: the stylesheet's avatar of a name, for Django templates."""

from django import template
from django.utils.html import format_html

from .. import avatars

register = template.Library()


@register.simple_tag
def avatar(name, size="small"):
    return format_html(
        '<span class="avatar avatar-{} {}" aria-hidden="true">{}</span>',
        size,
        avatars.colour_class(name),
        avatars.initials(name),
    )
