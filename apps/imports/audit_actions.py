"""The import layer's audit actions and how the change log shows their values (`apps.core.audit`)."""

from django.utils.translation import gettext_lazy as _

from apps.core.audit import register_actions
from apps.core.audit_display import Ref, register_field

register_actions(
    "imports",
    {
        "imports.start": _("Tải lên tệp để nhập"),
        "imports.revise": _("Kiểm tra lại tệp nhập"),
        "imports.confirm": _("Xác nhận nhập tệp"),
        "imports.discard": _("Hủy lượt nhập tệp"),
        "imports.fail_stale": _("Đánh dấu lỗi các lượt nhập quá thời gian xử lý"),
        "imports.preview_read": _("Xem bản xem trước tệp nhập"),
        "imports.rejected_read": _("Tải các dòng bị từ chối"),
    },
)


def kind_label(name: str) -> str:
    """An import kind's name ("students.roster") as its label; the kinds are registered after this module runs."""
    from apps.imports.registry import kinds

    return str({kind.name: kind.label for kind in kinds()}.get(name, name))


JOB = Ref("imports.ImportJob")  # by its file name
register_field("kind", kind_label, scope="imports")
register_field("job", JOB, scope="imports")
register_field("jobs", JOB, scope="imports", many=True)
