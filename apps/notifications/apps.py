from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """In-app notifications (the bell in the header, the list) and their e-mails. Other apps call
    `services.notify` from their writes."""

    name = "apps.notifications"
    label = "notifications"
    verbose_name = _("Thông báo")

    def ready(self):
        from apps.notifications import site

        site.register(self.name)
