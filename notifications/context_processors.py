from django.utils.functional import SimpleLazyObject

from .models import Notification


def inbox(request):
    """The header's unread count: counted only when a page shows it, for a logged-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}


def unread_count(user):
    return Notification.objects.for_inbox(user).unread().count()


def unread_on_page(user, thread):
    """The header's count on a discussion page, whose header is one of the parts
    rendered per request beside its kept frame (forum/rendering/frames.py)."""
    return unread_count(user)
