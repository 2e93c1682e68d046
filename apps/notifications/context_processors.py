from django.utils.functional import SimpleLazyObject

from apps.notifications import selectors


def notifications(request):
    """The bell's count of unread notifications, counted only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: selectors.unread_count(user))}
