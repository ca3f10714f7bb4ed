from django.utils.functional import SimpleLazyObject

from .models import Notification


def inbox(request):
    """The header's unread count: counted only when a page shows it, for a logged-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count = SimpleLazyObject(lambda: Notification.objects.for_inbox(user).unread().count())
    return {"unread_notifications": count}
