"""The national standard schools' audit actions (`apps.core.audit`)."""

from django.utils.translation import gettext_lazy as _

from apps.core.audit import register_actions

register_actions(
    "standards",
    {
        "standards.text_edit": _("Sửa nội dung bộ tiêu chuẩn"),
        "standards.set_verify": _("Xác minh bộ tiêu chuẩn"),
        "standards.set_import": _("Nhập bộ tiêu chuẩn từ tệp"),
        "standards.cycle_start": _("Mở đợt tự đánh giá"),
        "standards.cycle_close": _("Kết thúc đợt tự đánh giá"),
        "standards.member_add": _("Thêm thành viên hội đồng tự đánh giá"),
        "standards.criterion_assign": _("Phân công tiêu chí"),
        "standards.assessment_save": _("Lưu đánh giá tiêu chí"),
        "standards.improvement_add": _("Thêm nội dung cải tiến (nhiệm vụ)"),
        "standards.improvement_link": _("Gắn nội dung cải tiến với chỉ báo"),
        "standards.committee_create": _("Thành lập ban chỉ đạo"),
        "standards.committee_member_add": _("Thêm thành viên ban chỉ đạo"),
        "standards.committee_duty_add": _("Giao nhiệm vụ cho thành viên ban chỉ đạo"),
        "standards.inspection_record": _("Ghi kết quả kiểm tra của ban chỉ đạo"),
        "standards.indicator_rate": _("Đánh giá chỉ báo"),
        "standards.evidence_add": _("Thêm minh chứng"),
        "standards.evidence_use": _("Dùng minh chứng cho tiêu chí"),
        "standards.target_set": _("Đặt mục tiêu chuẩn quốc gia"),
        "standards.item_create": _("Thêm hạng mục công trình"),
        "standards.item_progress": _("Cập nhật tiến độ công trình"),
        "standards.item_link": _("Gắn công trình với chỉ báo"),
        "standards.funding_add": _("Ghi nguồn kinh phí công trình"),
        "standards.photo_add": _("Thêm ảnh công trình"),
        "standards.recognition_record": _("Ghi quyết định công nhận"),
    },
)
