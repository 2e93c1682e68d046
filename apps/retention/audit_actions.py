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
        "retention.case_open": _("Mở hồ sơ vận động trẻ bỏ học"),
        "retention.case_update": _("Sửa hồ sơ vận động trẻ bỏ học"),
        "retention.case_intervention": _("Ghi biện pháp vận động"),
        "retention.case_follow_up": _("Ghi lịch theo dõi hồ sơ vận động"),
        "retention.case_wait": _("Hồ sơ vận động chờ trường ghi nhận trở lại"),
        "retention.case_close": _("Kết thúc hồ sơ vận động"),
        "retention.case_list_read": _("Xem danh sách hồ sơ vận động"),
        "retention.hotline_report": _("Tiếp nhận tin báo đường dây nóng"),
        "retention.hotline_accept": _("Nhận tin báo thành hồ sơ vận động"),
        "retention.hotline_close": _("Kết thúc tin báo đường dây nóng"),
        "retention.hotline_read": _("Xem tin báo đường dây nóng"),
        "retention.hotline_number": _("Sửa số điện thoại đường dây nóng"),
        "retention.out_of_school_read": _("Xem danh sách trẻ ngoài nhà trường"),
        "retention.steering_record": _("Ghi nơi phân luồng học sinh sau THCS"),
        "retention.phase1_read": _("Xem danh sách giai đoạn 1"),
    },
)
