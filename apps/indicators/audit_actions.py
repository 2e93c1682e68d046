"""The indicators' audit actions (`apps.core.audit`)."""

from django.utils.translation import gettext_lazy as _

from apps.core.audit import register_actions

register_actions(
    "indicators",
    {
        "indicators.snapshot_take": _("Chốt số liệu chính thức"),
        "indicators.snapshot_amend": _("Đính chính số liệu chốt"),
        "indicators.threshold_update": _("Sửa ngưỡng phổ cập"),
        "indicators.attested_input_set": _("Xác nhận số liệu phổ cập"),
        "indicators.students_read": _("Xem danh sách học sinh sau chỉ số"),
        "indicators.census_read": _("Xem danh sách trẻ sau chỉ số"),
    },
)
