from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "apps.standards"
    label = "standards"
    verbose_name = _("Trường chuẩn quốc gia")

    def ready(self):
        from apps.core import daily
        from apps.imports.registry import register as register_import
        from apps.standards import audit_actions, importers, jobs, site  # noqa: F401

        site.register(self.name)
        register_import(importers.CriteriaImporter())
        daily.register("standards.roadmap_overdue", jobs.overdue)
        daily.register("standards.reregister", jobs.reregister)
