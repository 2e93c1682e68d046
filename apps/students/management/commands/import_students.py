import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import User
from apps.orgunits.models import OrgUnit
from apps.schools.models import School, SchoolYear
from apps.students.importers import apply_roster, decisions_csv, plan_roster, read_decisions


class Command(BaseCommand):
    help = (
        "Nhập danh sách học sinh từ tệp xuất của phần mềm quản lý trường (.xlsx, .xls, .ods, .csv). Cả tệp hoặc "
        "không gì: có lỗi thì không ghi gì (trừ khi --only-valid). Mã thoát 1 khi có lỗi, 3 khi cần người quyết định."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--year", required=True, help="năm học, ví dụ 2025-2026")
        parser.add_argument("--school", help="mã trường, khi tệp không có cột mã trường")
        parser.add_argument("--province", help="mã tỉnh của năm học (mặc định: tỉnh của trường)")
        parser.add_argument("--user", help="tài khoản thực hiện (mặc định: quản trị hệ thống đầu tiên)")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
        parser.add_argument(
            "--only-valid", action="store_true", help="ghi các dòng hợp lệ, bỏ qua dòng lỗi và dòng cần quyết định"
        )
        parser.add_argument("--decisions", metavar="FILE", help="tệp CSV đã điền cột choice (xem --write-decisions)")
        parser.add_argument(
            "--write-decisions", metavar="FILE", help="ghi bản nháp các câu hỏi cần quyết định ra tệp CSV để điền"
        )

    def handle(
        self,
        *args,
        file,
        year,
        school=None,
        province=None,
        user=None,
        dry_run=False,
        only_valid=False,
        decisions=None,
        write_decisions=None,
        **o,
    ):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không có tệp {file}.")
        actor = (
            User.objects.filter(username=user).first()
            if user
            else User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        )
        if actor is None:
            raise CommandError("Không có tài khoản thực hiện: hãy ghi --user.")
        target = School.objects.filter(moet_code=school).first() if school else None
        if school and target is None:
            raise CommandError(f"Không có trường mang mã {school}.")
        school_year = self._year(year, province, target)
        answers = read_decisions(Path(decisions).read_text(encoding="utf-8-sig")) if decisions else {}
        plan = plan_roster(
            actor=actor, filename=path.name, data=path.read_bytes(), year=school_year, school=target, decisions=answers
        )
        for error in plan.errors:
            self.stderr.write(f"{path.name}: {error}")
        for written, communes in plan.address_questions.items():
            self.stdout.write(
                f"{path.name}: địa chỉ “{written}” thuộc một trong: "
                + "; ".join(f"{u.code} {u.name}" for u in communes)
            )
        for row in plan.questions:
            if row.rule == "ambiguous":
                names = "; ".join(f"#{c.pk} {c.full_name} {c.birth_date or c.birth_year}" for c in row.candidates)
                self.stdout.write(f"{path.name}: dòng {row.row}: “{row.data['full_name']}” trùng với: {names}")
        if write_decisions:
            Path(write_decisions).write_text(decisions_csv(plan), encoding="utf-8")
            self.stdout.write(
                f"Đã ghi bản nháp các quyết định vào {write_decisions}: điền cột choice rồi chạy lại với --decisions."
            )
        for enrolment in plan.missing:
            self.stdout.write(
                f"{path.name}: không còn trong danh sách: {enrolment.student_code} "
                f"{enrolment.child.full_name} ({enrolment.school.name})"
            )
        self.stdout.write(
            f"{len(plan.rows)} dòng hợp lệ, {len(plan.errors)} lỗi, {len(plan.questions)} dòng cần quyết "
            f"định, {len(plan.missing)} học sinh không còn trong danh sách."
        )
        if plan.errors and not only_valid:
            self.stderr.write("Không có gì được ghi. Sửa các lỗi trên, hoặc chạy lại với --only-valid.")
            sys.exit(1)
        if plan.questions and not only_valid:
            self.stderr.write(
                "Không có gì được ghi: còn dòng cần quyết định (--write-decisions, --decisions), "
                "hoặc chạy lại với --only-valid để bỏ qua các dòng đó."
            )
            sys.exit(3)
        if dry_run:
            self.stdout.write("Chạy thử: không có gì được ghi.")
            return
        try:
            result = apply_roster(actor=actor, plan=plan, only_valid=only_valid)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"Đã thêm {result.created_children} trẻ, {result.created_enrolments} hồ sơ; cập nhật "
            f"{result.updated} hồ sơ; ghi {result.events} diễn biến."
        )
        if plan.questions:
            self.stderr.write(f"{len(plan.questions)} dòng chưa ghi vì cần người quyết định (xem trên).")

    def _year(self, name: str, province_code: str | None, school: School | None) -> SchoolYear:
        try:
            start = int(name.split("-")[0])
        except ValueError:
            raise CommandError(f"Năm học “{name}” phải có dạng 2025-2026.") from None
        if province_code:
            province = OrgUnit.objects.current().filter(level=OrgUnit.Level.PROVINCE, code=province_code).first()
        elif school:
            province = school.location.province()
        else:
            provinces = SchoolYear.objects.filter(start_year=start).values_list("province", flat=True).distinct()
            province = OrgUnit.objects.get(pk=provinces[0]) if len(provinces) == 1 else None
        year = SchoolYear.objects.filter(province=province, start_year=start).first()
        if year is None:
            raise CommandError(f"Chưa khai báo năm học {name} cho tỉnh này (ghi --province nếu cần).")
        return year
