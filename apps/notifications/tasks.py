"""Sending notifications by e-mail (django.tasks; `manage.py db_worker` runs it), after the write committed."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.notifications.models import Notification, is_local_path

logger = logging.getLogger(__name__)


def link(notification: Notification) -> str:
    """The absolute address of the notification's page (or of the list, when it has none) on this site."""
    path = notification.url if is_local_path(notification.url) else reverse("notifications:list")
    return settings.SITE_URL.rstrip("/") + path


def message(notification: Notification) -> str:
    see = _("Xem trên Đến Trường: %(link)s") % {"link": link(notification)}
    return f"{notification.body}\n\n{see}\n" if notification.body else f"{see}\n"


@task
def send_notification_emails(notification_ids: list[int]) -> dict:
    """One e-mail per notification not yet e-mailed whose recipient is active with an address, each marked
    `emailed_at` once sent (a second run sends nothing again). A refused address or a mail server error is
    logged and skipped: it never keeps the others from being sent."""
    pending = (
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True, recipient__is_active=True)
        .exclude(Q(recipient__email="") | Q(recipient__email__isnull=True))
        .select_related("recipient")
        .order_by("pk")
    )
    sent = failed = 0
    with translation.override(settings.LANGUAGE_CODE):
        for notification in pending:
            try:
                send_mail(
                    subject=" ".join(notification.title.split()),
                    message=message(notification),
                    from_email=None,  # DEFAULT_FROM_EMAIL
                    recipient_list=[notification.recipient.email],
                    fail_silently=False,
                )
            except Exception:
                failed += 1
                logger.warning(
                    "notification %s: the e-mail to user %s failed",
                    notification.pk,
                    notification.recipient_id,
                    exc_info=True,
                )
                continue
            Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
            sent += 1
    return {"sent": sent, "failed": failed}
