from django import template

from notifications.following import follows

register = template.Library()


@register.simple_tag(takes_context=True)
def follows_thread(context, thread):
    """Whether the request's reader follows thread (always False for an anonymous one)."""
    return follows(context["request"].user, thread)
