"""The plans' audit actions (`apps.core.audit`)."""

from django.utils.translation import gettext_lazy as _

from apps.core.audit import register_actions

register_actions(
    "plans",
    {
        "plans.plan_create": _("Lập kế hoạch"),
        "plans.plan_update": _("Sửa kế hoạch"),
        "plans.target_add": _("Thêm chỉ tiêu kế hoạch"),
        "plans.target_update": _("Sửa chỉ tiêu kế hoạch"),
        "plans.target_remove": _("Bỏ chỉ tiêu kế hoạch"),
        "plans.target_attest": _("Đánh giá chỉ tiêu kế hoạch"),
        "plans.signatory_add": _("Thêm bên ký kế hoạch"),
        "plans.signatory_update": _("Sửa bên ký kế hoạch"),
        "plans.signatory_remove": _("Bỏ bên ký kế hoạch"),
        "plans.task_add": _("Thêm hoạt động"),
        "plans.task_remove": _("Bỏ hoạt động"),
        "plans.task_create": _("Giao nhiệm vụ ngoài kế hoạch"),
        "plans.task_status": _("Cập nhật tiến độ nhiệm vụ"),
        "plans.task_comment": _("Góp ý nhiệm vụ"),
        "plans.task_evidence": _("Đính kèm minh chứng nhiệm vụ"),
        "plans.plan_submit": _("Gửi các bên thống nhất kế hoạch"),
        "plans.signatory_agree": _("Thống nhất kế hoạch"),
        "plans.signatory_paper": _("Ghi nhận bên ký trên giấy"),
        "plans.agreement_void": _("Hủy ý kiến thống nhất do nội dung thay đổi"),
        "plans.plan_agreed": _("Các bên đã thống nhất kế hoạch"),
        "plans.plan_confirm": _("Xác nhận kế hoạch"),
        "plans.plan_issue": _("Ban hành kế hoạch"),
        "plans.plan_supersede": _("Kế hoạch bị thay thế"),
        "plans.plan_amend": _("Lập bản sửa đổi kế hoạch"),
        "plans.download": _("Tải kế hoạch, minh chứng"),
    },
)

from apps.plans import report_audit_actions  # noqa: E402,F401 (meetings and periodic reports)
