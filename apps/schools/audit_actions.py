"""The schools' audit actions and how the change log shows their values (`apps.core.audit`)."""

from django.utils.translation import gettext_lazy as _

from apps.core.audit import register_actions
from apps.core.audit_display import Ref, choices, register_field
from apps.schools.models import Level, Organisation, School

register_actions(
    "schools",
    {
        "schools.catchment_set": _("Sửa địa bàn tuyển sinh"),
        "schools.organisation_create": _("Thêm tổ chức phối hợp"),
        "schools.school_create": _("Thêm trường"),
        "schools.school_update": _("Sửa thông tin trường"),
        "schools.school_year_create": _("Khai báo năm học"),
        "schools.school_year_update": _("Sửa lịch năm học"),
        "schools.site_create": _("Thêm điểm trường"),
    },
)


def level_names(mask) -> str:
    """A school's levels, kept as a bit mask, as their names: 12 → "Tiểu học, Trung học cơ sở"."""
    if not isinstance(mask, int) or isinstance(mask, bool):
        return str(mask)
    return ", ".join(str(level.label) for level in Level if mask & level) or "—"


register_field("school", Ref("schools.School"))
register_field("levels", level_names)
register_field("ownership", choices(School.Ownership), scope="schools")
register_field("kind", choices(Organisation.Kind), scope="schools.organisation_create")
for field in ("location", "managed_by"):
    register_field(field, Ref("orgunits.OrgUnit"), scope="schools")
