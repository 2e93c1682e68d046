from django.core.management.base import CommandError

from apps.orgunits.models import OrgUnit
from apps.schools.models import School
from apps.students.importers import apply_roster, plan_roster
from apps.students.management.importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Nhập danh sách học sinh từ tệp xuất của phần mềm quản lý trường (.xlsx, .xls, .ods, .csv). Cả tệp hoặc "
        "không gì: có lỗi thì không ghi gì (trừ khi --only-valid). Mã thoát 1 khi có lỗi, 3 khi cần người quyết định."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--school", help="mã trường, khi tệp không có cột mã trường")
        parser.add_argument("--province", help="mã tỉnh của năm học (mặc định: tỉnh của trường)")

    def target(self, options) -> School | None:
        if not options.get("school"):
            return None
        school = School.objects.filter(moet_code=options["school"]).first()
        if school is None:
            raise CommandError(f"Không có trường mang mã {options['school']}.")
        return school

    def province(self, options):
        if code := options.get("province"):
            return OrgUnit.objects.current().filter(level=OrgUnit.Level.PROVINCE, code=code).first()
        school = self.target(options)
        return school.location.province() if school else None

    def plan(self, *, actor, path, year, decisions, options):
        return plan_roster(
            actor=actor,
            filename=path.name,
            data=path.read_bytes(),
            year=year,
            school=self.target(options),
            decisions=decisions,
        )

    def apply(self, *, actor, plan, only_valid):
        return apply_roster(actor=actor, plan=plan, only_valid=only_valid)

    def done(self, result) -> str:
        return (
            f"Đã thêm {result.created_children} trẻ, {result.created_enrolments} hồ sơ; cập nhật "
            f"{result.updated} hồ sơ; ghi {result.events} diễn biến."
        )
