"""What `import_students` and `import_census` share: the actor, the school year, the decisions file, the report of
errors and open questions, and the exit codes (1 errors, 3 open questions; nothing written in either case)."""

import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from apps.accounts.models import User
from apps.orgunits.models import OrgUnit
from apps.schools.models import SchoolYear
from apps.students.importers import Plan, decisions_csv, hamlet_label, read_decisions


class ImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--year", required=True, help="năm học, ví dụ 2025-2026")
        parser.add_argument("--user", help="tài khoản thực hiện (mặc định: quản trị hệ thống đầu tiên)")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
        parser.add_argument(
            "--only-valid", action="store_true", help="ghi các dòng hợp lệ, bỏ qua dòng lỗi và dòng cần quyết định"
        )
        parser.add_argument("--decisions", metavar="FILE", help="tệp CSV đã điền cột choice (xem --write-decisions)")
        parser.add_argument(
            "--write-decisions", metavar="FILE", help="ghi bản nháp các câu hỏi cần quyết định ra tệp CSV để điền"
        )

    def plan(self, *, actor, path: Path, year: SchoolYear, decisions: dict, options: dict) -> Plan:
        raise NotImplementedError

    def apply(self, *, actor, plan: Plan, only_valid: bool):
        raise NotImplementedError

    def province(self, options: dict) -> OrgUnit | None:
        """The province whose school year the file belongs to."""
        raise NotImplementedError

    def handle(self, *args, file, user=None, dry_run=False, only_valid=False, decisions=None, **options):
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
        year = self.school_year(options["year"], self.province(options))
        answers = read_decisions(Path(decisions).read_text(encoding="utf-8-sig")) if decisions else {}
        try:
            plan = self.plan(actor=actor, path=path, year=year, decisions=answers, options=options)
        except (Http404, PermissionDenied):
            raise CommandError(f"Tài khoản {actor.username} không có quyền nhập tệp này.") from None
        self.report(path.name, plan, options.get("write_decisions"))
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
            result = self.apply(actor=actor, plan=plan, only_valid=only_valid)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.done(result))
        if plan.questions:
            self.stderr.write(f"{len(plan.questions)} dòng chưa ghi vì cần người quyết định (xem trên).")

    def report(self, name: str, plan: Plan, write_decisions: str | None) -> None:
        if plan.legacy_encoding:
            self.stdout.write(
                f"{name}: chữ trong tệp dùng bảng mã {plan.legacy_encoding.upper()}, đã chuyển sang Unicode."
            )
        for error in plan.errors:
            self.stderr.write(f"{name}: {error}")
        for written, communes in plan.address_questions.items():
            self.stdout.write(
                f"{name}: địa chỉ “{written}” thuộc một trong: " + "; ".join(f"{u.code} {u.name}" for u in communes)
            )
        for _key, (commune, written, hamlets) in plan.hamlet_questions.items():
            self.stdout.write(
                f"{name}: “{written}” ở {commune.name} có nhiều thôn cùng tên: "
                + "; ".join(f"{h.pk} {hamlet_label(h)}" for h in hamlets)
            )
        for row in plan.questions:
            if row.rule == "ambiguous":
                names = "; ".join(f"#{c.pk} {c.full_name} {c.birth_date or c.birth_year}" for c in row.candidates)
                self.stdout.write(f"{name}: dòng {row.row}: “{row.full_name}” trùng với: {names}")
        if write_decisions:
            Path(write_decisions).write_text(decisions_csv(plan), encoding="utf-8")
            self.stdout.write(
                f"Đã ghi bản nháp các quyết định vào {write_decisions}: điền cột choice rồi chạy lại với --decisions."
            )
        for enrolment in plan.missing:
            self.stdout.write(
                f"{name}: không còn trong danh sách: {enrolment.student_code} "
                f"{enrolment.child.full_name} ({enrolment.school.name})"
            )
        self.stdout.write(
            f"{len(plan.rows)} dòng hợp lệ, {len(plan.errors)} lỗi, {len(plan.questions)} dòng cần quyết "
            f"định, {len(plan.missing)} học sinh không còn trong danh sách."
        )

    def done(self, result) -> str:
        raise NotImplementedError

    def school_year(self, name: str, province: OrgUnit | None) -> SchoolYear:
        try:
            start = int(name.split("-")[0])
        except ValueError:
            raise CommandError(f"Năm học “{name}” phải có dạng 2025-2026.") from None
        if province is None:
            provinces = SchoolYear.objects.filter(start_year=start).values_list("province", flat=True).distinct()
            province = OrgUnit.objects.get(pk=provinces[0]) if len(provinces) == 1 else None
        year = SchoolYear.objects.filter(province=province, start_year=start).first()
        if year is None:
            raise CommandError(f"Chưa khai báo năm học {name} cho tỉnh này (ghi --province nếu cần).")
        return year
