import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def stale_jobs(on: datetime.date) -> dict:
    """The daily sweep of jobs whose worker died (`services.import_fail_stale`), run by the system."""
    from apps.imports.services import import_fail_stale

    return {"failed": import_fail_stale(actor=None, on=on)}


class ImportsConfig(AppConfig):
    """The import layer: jobs, the registry of kinds, the background check and write, the preview pages and the
    API, once for every kind. It sits just above `core`; apps register their kinds from their own `ready()`."""

    name = "apps.imports"
    label = "imports"
    verbose_name = _("Nhập tệp")

    def ready(self):
        from apps.core.daily import register
        from apps.imports import site

        register("imports.stale", stale_jobs)
        site.register(self.name)
