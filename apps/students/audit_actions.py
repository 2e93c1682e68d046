"""The students' audit actions (writes and reads of children's personal data) and how the change log shows their
values (`apps.core.audit`)."""

from django.utils.translation import gettext_lazy as _

from apps.core.audit import register_actions
from apps.core.audit_display import Ref, choices, register_field
from apps.students.models import DropoutReason, EnrolmentEvent, Grade

register_actions(
    "students",
    {
        "students.child_create": _("Thêm trẻ"),
        "students.enrolment_create": _("Nhập học"),
        "students.enrolment_event": _("Ghi diễn biến học sinh"),
        "students.roster_import": _("Nhập danh sách học sinh"),
        "students.census_import": _("Nhập điều tra phổ cập"),
        "students.seed_demo": _("Tạo dữ liệu mẫu học sinh"),
        "students.class_create": _("Thêm lớp"),
        "students.teacher_assign": _("Phân công giáo viên dạy lớp"),
        "students.teacher_unassign": _("Thôi phân công giáo viên dạy lớp"),
        "students.absences_record": _("Ghi ngày nghỉ học của lớp"),
        "students.results_record": _("Ghi kết quả học kỳ của lớp"),
        "students.absence_import": _("Nhập ngày nghỉ học"),
        # Reads of personal data (`apps.students.selectors`)
        "students.list_read": _("Xem danh sách học sinh"),
        "students.child_read": _("Xem hồ sơ trẻ"),
        "students.list_export": _("Xuất danh sách học sinh"),
        "students.api_list_read": _("Đọc danh sách học sinh qua API"),
        "students.census_read": _("Xem điều tra phổ cập của thôn"),
        "students.census_export": _("Xuất điều tra phổ cập của thôn"),
        "students.absences_read": _("Xem sổ điểm danh của lớp"),
        "students.results_read": _("Xem kết quả học kỳ của lớp"),
    },
)

# The import benchmark (bench/import_students.py, not an app) measures the students' tables with one event of
# its own per step, next to the import's: the app whose writes it measures declares them.
register_actions(
    "bench",
    {
        "bench.floor": _("Đo hiệu năng: ghi thẳng vào bảng (mức sàn)"),
        "bench.orm": _("Đo hiệu năng: ghi qua ORM"),
    },
)

register_field("child", Ref("students.Child"))
register_field("grade", choices(Grade), scope="students")
register_field("kind", choices(EnrolmentEvent.Kind), scope="students")
register_field("reason", choices(DropoutReason), scope="students")

register_actions("students", {"students.child_merge": _("Gộp hai hồ sơ của cùng một trẻ")})
