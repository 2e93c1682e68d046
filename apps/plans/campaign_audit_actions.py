"""The campaigns' audit actions (`apps.core.audit`), declared from the plans' `AppConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

from apps.core.audit import register_actions

register_actions(
    "plans",
    {
        "plans.campaign_create": _("Lập chiến dịch"),
        "plans.campaign_update": _("Sửa chiến dịch"),
        "plans.campaign_event_add": _("Thêm sự kiện chiến dịch"),
        "plans.campaign_task_assign": _("Giao nhiệm vụ chiến dịch"),
        "plans.campaign_reports_request": _("Yêu cầu báo cáo chiến dịch"),
        "plans.campaign_report_save": _("Lưu báo cáo chiến dịch"),
        "plans.campaign_report_submit": _("Gửi báo cáo chiến dịch"),
        "plans.campaign_donation_link": _("Gắn khoản đóng góp với chiến dịch"),
    },
)
