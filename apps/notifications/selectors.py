"""Reading notifications: a person's own, and nobody else's."""

from django.http import Http404

from apps.core.scoping import MAX_ID
from apps.notifications.models import Notification


def own(user):
    """The notifications addressed to `user`. Filtered by recipient here rather than through `restrict` alone:
    `restrict` answers nothing for a user with no role (who still gets notifications: an account just created, a
    role revoked) and everything for a system administrator (who must not read other people's)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk)


def unread_count(user) -> int:
    return own(user).unread().count()


def notification_list(user):
    """Newest first."""
    return own(user).order_by("-created_at", "-id")


def notification_for(user, pk: int) -> Notification:
    """One of the user's own notifications; 404 for another person's, the same as for one that does not exist."""
    if not 0 < pk <= MAX_ID:
        raise Http404
    try:
        return own(user).get(pk=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
