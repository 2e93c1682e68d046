from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("Lõi hệ thống")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from apps.core import site

        site.register(self.name)
        autodiscover_modules("audit_actions")  # each app's audit actions and how the log shows their values
