from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "apps.documents"
    label = "documents"
    verbose_name = _("Văn bản")

    def ready(self):
        from django.db.models.signals import post_migrate

        from apps.core.doctemplate import register_kind_dir
        from apps.documents import audit_actions, immutable, site  # noqa: F401 - registers the audit actions

        # Every migrate (and flush) ends with the issued documents' trigger in place.
        post_migrate.connect(immutable.after_migrate, sender=self, dispatch_uid="documents.as_issued")

        register_kind_dir(Path(__file__).parent / "kinds")
        from apps.core.issuing import register_issue
        from apps.documents.services import owner_document_issue

        register_issue(owner_document_issue)
        site.register(self.name)
