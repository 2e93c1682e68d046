from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "apps.plans"
    label = "plans"
    verbose_name = _("Kế hoạch")

    def ready(self):
        from apps.core import daily
        from apps.plans import jobs, links, site

        links.register()
        site.register(self.name)
        daily.register("plans.reminders", jobs.reminders)
        from apps.plans import campaign_site

        campaign_site.register(self.name)
