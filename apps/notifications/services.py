"""Writing notifications: `notify` from other apps' services, inside their write; reading them by their recipient.

`notify` appends no audit event of its own: it is part of the caller's write, which records what happened.
"""

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from apps.notifications.models import BODY_MAX, TITLE_MAX, Notification


def notify(*, recipients, kind: str, title: str, body: str = "", url: str = "", email: bool = True) -> list:
    """Tell each active user of `recipients` about something: one notification each, in the list behind the bell,
    and (with `email`) an e-mail to those with an address, sent by a task once the caller's transaction commits
    (a rolled-back write leaves no notification and sends nothing).

    `title` (one line, the e-mail's subject) and `body` are written by the caller and go out by e-mail, outside
    the system: they must never name a child, nor hold anything else about one (a birth date, a hamlet, a class);
    say what happened and where ("12 học sinh của lớp 1A đã được nhập"), and let `url` (a path inside the site,
    "/imports/42/") lead to the page, where the reader's rights decide what they see.

    Refuses (ValueError) a title or body longer than a notification should be, or a title on several lines: a
    caller's mistake, not a person's input. A `url` that is not a local path fails the model's validation."""
    if not title.strip() or len(title) > TITLE_MAX or "\n" in title or "\r" in title:
        raise ValueError(f"a notification's title is one line of 1 to {TITLE_MAX} characters")
    if len(body) > BODY_MAX:
        raise ValueError(f"a notification's body is at most {BODY_MAX} characters")
    users = list({user.pk: user for user in recipients if user.pk is not None and user.is_active}.values())
    # Validated once: the notifications differ only by recipient (checking each would cost a query per user).
    Notification(kind=kind, title=title, body=body, url=url).full_clean(exclude=["recipient"])
    with transaction.atomic():
        created = Notification.objects.bulk_create(
            [Notification(recipient=user, kind=kind, title=title, body=body, url=url) for user in users]
        )
        to_email = [n.pk for n in created if n.recipient.email] if email else []
        if to_email:
            from apps.notifications import tasks

            # robust: the write has committed by then; a queue that cannot take the task must not turn it into an
            # error page (the notifications are in the list all the same).
            transaction.on_commit(lambda: tasks.send_notification_emails.enqueue(to_email), robust=True)
    return created


# Reading one's own notifications is not audited: it changes nothing anyone else sees, touches no record of the
# domain and reveals nothing (the change log is for what people do to shared data; this would only flood it).


def mark_read(*, actor, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications read (again: a no-op, the first reading time stays)."""
    if notification.recipient_id != actor.pk:
        raise Http404  # another person's notification: as if it did not exist
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def mark_all_read(*, actor) -> int:
    """Mark every unread notification of the actor read; how many were."""
    return Notification.objects.filter(recipient_id=actor.pk).unread().update(read_at=timezone.now())
