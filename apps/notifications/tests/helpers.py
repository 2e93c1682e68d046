"""What the notification tests share: people with an e-mail address, and their notifications."""

from apps.accounts.models import User
from apps.notifications.models import Notification


def with_email(user, address: str | None = None):
    user.email = address if address is not None else f"{user.username}@example.vn"
    user.save(update_fields=["email"])
    return user


def newcomer(username: str = "moi.taikhoan", email: str = "moi@example.vn"):
    """An account with no role yet (just created, or every role revoked): it still has notifications."""
    return User.objects.create_user(username, email=email, password=None)


def note(user, title: str = "Đã nhập xong tệp ds.xlsx", url: str = "/imports/", **fields) -> Notification:
    return Notification.objects.create(recipient=user, kind="imports.done", title=title, url=url, **fields)
