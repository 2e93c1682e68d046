from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "apps.documents"
    label = "documents"
    verbose_name = _("Văn bản")

    def ready(self):
        from apps.core.doctemplate import register_kind_dir
        from apps.documents import audit_actions, site  # noqa: F401 - registers the audit actions

        register_kind_dir(Path(__file__).parent / "kinds")
        site.register(self.name)
