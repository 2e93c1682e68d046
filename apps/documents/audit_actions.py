"""The documents' audit actions (`apps.core.audit`)."""

from django.utils.translation import gettext_lazy as _

from apps.core.audit import register_actions

register_actions(
    "documents",
    {
        "documents.body_create": _("Lập cơ quan ban hành"),
        "documents.document_issue": _("Ban hành văn bản"),
        "documents.document_enter_paper": _("Vào sổ văn bản giấy"),
        "documents.attachment_add": _("Đính kèm tệp"),
        "documents.download": _("Tải văn bản, tệp đính kèm"),
        "documents.pdf_request": _("Yêu cầu tạo bản PDF của văn bản"),
    },
)
