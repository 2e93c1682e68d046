"""The targets' audit actions (`apps.core.audit`)."""

from django.utils.translation import gettext_lazy as _

from apps.core.audit import register_actions
from apps.core.audit_display import Ref, register_field

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


def _target_text(value) -> str:
    """A published default as the change log shows it: "enrol_net:4:>=:99" → "Tỷ lệ huy động đúng độ tuổi (Tiểu
    học) ≥ 99 %"."""
    from apps.indicators import registry
    from apps.targets.catalogue import LEVEL_LABELS
    from apps.targets.models import Comparison

    try:
        code, level, comparison, number = str(value).split(":")
        label = registry.get(code).label
        level_label = LEVEL_LABELS.get(int(level), level)
    except (ValueError, KeyError):
        return str(value)
    return f"{label} ({level_label}) {dict(Comparison.choices).get(comparison, comparison)} {number} %"


def _status_text(value) -> str:
    from apps.targets.models import Annex

    return str(dict(Annex.Status.choices).get(value, value))


register_field("targets", _target_text, scope="targets.publish", many=True)
register_field("status", _status_text, scope="targets")
register_field("publication", Ref("targets.Publication"), scope="targets")
