from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("Lõi hệ thống")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.utils.module_loading import autodiscover_modules

        from apps.core import daily, site, workers
        from apps.core.middleware import touched_at_sign_in

        site.register(self.name)
        daily.register("core.tasks_reap", workers.daily_reap)  # tasks a dead worker left running
        user_logged_in.connect(touched_at_sign_in, dispatch_uid="core.touched_at_sign_in")
        autodiscover_modules("audit_actions")  # each app's audit actions and how the log shows their values
