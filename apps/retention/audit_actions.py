"""The retention app's audit actions."""

from django.utils.translation import gettext_lazy as _

from apps.core.audit import register_actions

register_actions(
    "retention",
    {
        "retention.rules_update": _("Sửa quy tắc cảnh báo sớm"),
        "retention.note_add": _("Ghi chú về hoàn cảnh học sinh"),
        "retention.visit_record": _("Ghi thăm hỏi gia đình"),
        "retention.mentor_assign": _("Phân công đỡ đầu học sinh"),
        "retention.mentor_end": _("Kết thúc đỡ đầu học sinh"),
        "retention.mentor_note": _("Ghi chú đỡ đầu"),
        "retention.peer_pair": _("Lập đôi bạn cùng tiến"),
        "retention.list_read": _("Xem danh sách học sinh có nguy cơ"),
        "retention.mentee_read": _("Người đỡ đầu xem hồ sơ học sinh"),
        "retention.backtest_read": _("Xem kiểm tra quy tắc trên năm học trước"),
        "retention.seed_demo": _("Tạo dữ liệu mẫu điểm danh và cảnh báo sớm"),
    },
)

register_actions(
    "retention",
    {
        "retention.peer_pair_end": _("Kết thúc đôi bạn cùng tiến"),
    },
)
