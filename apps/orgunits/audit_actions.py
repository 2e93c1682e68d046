"""The org units' audit actions and how the change log shows their values (`apps.core.audit`)."""

from django.utils.translation import gettext_lazy as _

from apps.core.audit import register_actions
from apps.core.audit_display import Ref, choices, register_field
from apps.orgunits.models import Designation

register_actions(
    "orgunits",
    {
        "orgunits.designation_record": _("Ghi quyết định xác định diện của đơn vị"),
        "orgunits.hamlet_create": _("Thêm thôn"),
        "orgunits.hamlet_import": _("Nhập danh sách thôn"),
        "orgunits.hamlet_retire": _("Thôn thôi hiệu lực"),
        "orgunits.hamlet_restore": _("Thôn có hiệu lực trở lại"),
        "orgunits.hamlet_update": _("Sửa thôn"),
        "orgunits.load_admin_units": _("Nạp đơn vị hành chính"),
        "orgunits.move": _("Chuyển thôn"),
    },
)

UNIT = Ref("orgunits.OrgUnit")
for field in ("unit", "commune", "hamlet"):  # what any app's changes call a unit by its id
    register_field(field, UNIT)
register_field("parent", UNIT, scope="orgunits")
register_field("kind", choices(Designation.Kind), scope="orgunits.designation_record")
