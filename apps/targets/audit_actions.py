"""The targets' audit actions (`apps.core.audit`)."""

from django.utils.translation import gettext_lazy as _

from apps.core.audit import register_actions

register_actions(
    "targets",
    {
        "targets.publish": _("Ban hành chỉ tiêu"),
        "targets.annex_start": _("Bắt đầu đăng ký chỉ tiêu"),
        "targets.annex_save": _("Lưu phụ lục đăng ký chỉ tiêu"),
        "targets.annex_submit": _("Gửi phụ lục đăng ký chỉ tiêu"),
        "targets.annex_approve": _("Duyệt phụ lục đăng ký chỉ tiêu"),
        "targets.annex_return": _("Trả lại phụ lục đăng ký chỉ tiêu"),
        "targets.annex_reopen": _("Mở lại đăng ký chỉ tiêu"),
    },
)
