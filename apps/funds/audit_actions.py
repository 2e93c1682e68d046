"""The funds' audit actions (`apps.core.audit`)."""

from django.utils.translation import gettext_lazy as _

from apps.core.audit import register_actions

register_actions(
    "funds",
    {
        "funds.fund_create": _("Lập quỹ"),
        "funds.target_set": _("Đặt mục tiêu vận động"),
        "funds.donor_create": _("Thêm nhà tài trợ"),
        "funds.donation_record": _("Ghi khoản đóng góp"),
        "funds.donation_import": _("Nhập danh sách đóng góp"),
        "funds.payout_record": _("Ghi khoản chi"),
        "funds.payout_link": _("Gắn học sinh nhận hỗ trợ"),
        "funds.entry_correct": _("Điều chỉnh bút toán"),
        "funds.plan_post": _("Niêm yết kế hoạch sử dụng tài trợ"),
        "funds.pledge_record": _("Ghi cam kết tài trợ"),
        "funds.letter_issue": _("In thư cảm ơn, biên nhận"),
        "funds.letter_download": _("Tải thư cảm ơn đã vào sổ văn bản"),
        "funds.calendar_change": _("Sửa lịch ngày nghỉ, ngày làm bù"),
    },
)
