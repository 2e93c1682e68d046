from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgUnitsConfig(AppConfig):
    name = "apps.orgunits"
    label = "orgunits"
    verbose_name = _("Đơn vị hành chính")

    def ready(self):
        from apps.imports.registry import register
        from apps.orgunits import site
        from apps.orgunits.importers import HamletImporter

        register(HamletImporter())
        site.register(self.name)
