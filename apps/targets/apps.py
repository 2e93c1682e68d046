from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "apps.targets"
    label = "targets"
    verbose_name = _("Chỉ tiêu")

    def ready(self):
        from apps.core import daily
        from apps.targets import jobs, site

        site.register(self.name)
        daily.register("targets.deadlines", jobs.deadlines)
