"""The audit actions of meetings and periodic reports (declared beside the plans' own, `audit_actions`)."""

from django.utils.translation import gettext_lazy as _

from apps.core.audit import register_actions

register_actions(
    "plans",
    {
        "plans.meeting_create": _("Tạo cuộc họp"),
        "plans.meeting_update": _("Sửa cuộc họp"),
        "plans.meeting_attendee": _("Thêm thành phần dự họp"),
        "plans.meeting_decision": _("Thêm kết luận cuộc họp, giao nhiệm vụ"),
        "plans.meeting_minutes_issue": _("Ban hành biên bản cuộc họp"),
        "plans.meeting_gap": _("Ghi nhận thiếu cuộc họp cha mẹ học sinh"),
        "plans.schedule_create": _("Tạo lịch báo cáo định kỳ"),
        "plans.report_create": _("Lập báo cáo định kỳ"),
        "plans.report_update": _("Sửa báo cáo định kỳ"),
        "plans.report_submit": _("Gửi báo cáo định kỳ"),
        "plans.report_return": _("Trả lại báo cáo định kỳ"),
        "plans.report_approve": _("Duyệt báo cáo định kỳ"),
        "plans.report_reopen": _("Mở lại báo cáo định kỳ"),
    },
)
