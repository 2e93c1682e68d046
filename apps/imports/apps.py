from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """The import layer: jobs, the registry of kinds, the background check and write, the preview pages and the
    API, once for every kind. It sits just above `core`; apps register their kinds from their own `ready()`."""

    name = "apps.imports"
    label = "imports"
    verbose_name = _("Nhập tệp")
