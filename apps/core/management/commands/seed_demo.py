"""Demo data: part of one real province (real commune codes from vietnam-provinces), with hamlets, schools
across levels with satellite sites, partner organisations, a school year and one user per role.

Idempotent: everything is looked up by its natural key first, so a second run adds nothing. Schools'
names, codes and people are made up for the demo.
"""

import datetime
import random

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.accounts import services as accounts
from apps.accounts.models import Role, RoleAssignment, User
from apps.orgunits import services as orgunits
from apps.orgunits.models import OrgUnit
from apps.orgunits.names import hamlet_key
from apps.schools import services as schools
from apps.schools.models import Level, Organisation, School, SchoolSite, SchoolYear

L = Level
FAMILY = ["Nguyễn", "Trần", "Lê", "Hồ", "Phạm", "Võ", "Đinh", "Hoàng", "Bùi", "Đặng"]
MIDDLE = {"M": ["Văn", "Minh", "Đức", "Quốc", "Hữu"], "F": ["Thị", "Ngọc", "Thu", "Kim", "Mỹ"]}
GIVEN = {
    "M": ["An", "Bình", "Dũng", "Hải", "Nam", "Phúc", "Quân", "Tâm", "Tuấn", "Sơn"],
    "F": ["Ân", "Chi", "Hà", "Lan", "Linh", "Nga", "Trang", "Vy", "Yến", "Hoa"],
}
LEVEL_GRADES = {
    L.CRECHE: ["NT3"],
    L.KINDERGARTEN: ["MG3", "MG4", "MG5"],
    L.PRIMARY: ["1", "2", "3", "4", "5"],
    L.LOWER_SECONDARY: ["6", "7", "8", "9"],
    L.UPPER_SECONDARY: ["10", "11", "12"],
    L.CONTINUING: ["10", "11", "12"],
}


def grades_of(levels: int) -> list[str]:
    grades = []
    for level, names in LEVEL_GRADES.items():
        if levels & level:
            grades += [g for g in names if g not in grades]
    return grades


def age_of(grade: str) -> int:
    return {"NT3": 2, "MG3": 3, "MG4": 4, "MG5": 5}.get(grade) or int(grade) + 5


def class_name_of(grade: str) -> str:
    return {"NT3": "Nhà trẻ 1", "MG3": "Mầm 1", "MG4": "Chồi 1", "MG5": "Lá 1"}.get(grade) or f"{grade}A"


# Per province code: the communes to fill, their hamlets (name, qualifier) and schools.
DEMO = {
    "48": {
        "communes": {
            # Xã Trà Linh was formed on 1/7/2025 from the old communes Trà Linh and Trà Nam (Nam Trà My):
            # both had a "Thôn 1", so the merged commune tells them apart by the former commune's name.
            "20950": [
                ("Thôn 1", "xã Trà Linh cũ"),
                ("Thôn 2", "xã Trà Linh cũ"),
                ("Thôn 3", "xã Trà Linh cũ"),
                ("Thôn 1", "xã Trà Nam cũ"),
                ("Thôn 2", "xã Trà Nam cũ"),
                ("Thôn 3", "xã Trà Nam cũ"),
            ],
            "20242": [(f"Tổ dân phố {n}", "") for n in range(1, 7)],
            "20410": [("Khối phố Cẩm Phô", ""), ("Khối phố Minh An", ""), ("Thôn Thanh Nhứt", "")],
        },
        "schools": [
            # moet_code, name, levels, commune, [(site, hamlet index or None, main)]
            (
                "48095001",
                "Trường Mẫu giáo Trà Linh",
                L.KINDERGARTEN | L.CRECHE,
                "20950",
                [("Điểm chính", 0, True), ("Điểm Thôn 2", 1, False), ("Điểm Thôn 1 (Trà Nam)", 3, False)],
            ),
            (
                "48095002",
                "Trường PTDTBT Tiểu học Trà Nam",
                L.PRIMARY,
                "20950",
                [("Điểm chính", 3, True), ("Điểm Thôn 2", 4, False), ("Điểm Thôn 3", 5, False)],
            ),
            (
                "48095003",
                "Trường PTDTBT TH&THCS Trà Linh",
                L.PRIMARY | L.LOWER_SECONDARY,
                "20950",
                [("Điểm chính", 0, True), ("Điểm Thôn 3", 2, False)],
            ),
            ("48095004", "Trường THPT Nam Trà My", L.UPPER_SECONDARY, "20950", [("Điểm chính", 1, True)]),
            (
                "48010001",
                "Trường Mầm non Hoa Hồng",
                L.KINDERGARTEN | L.CRECHE,
                "20242",
                [("Điểm chính", 0, True), ("Điểm Tổ dân phố 4", 3, False)],
            ),
            ("48010002", "Trường Tiểu học Phù Đổng", L.PRIMARY, "20242", [("Điểm chính", 1, True)]),
            ("48010003", "Trường THCS Nguyễn Huệ", L.LOWER_SECONDARY, "20242", [("Điểm chính", 2, True)]),
            ("48010004", "Trường THPT Phan Châu Trinh", L.UPPER_SECONDARY, "20242", [("Điểm chính", 4, True)]),
            ("48010005", "Trung tâm GDNN-GDTX Hải Châu", L.CONTINUING, "20242", [("Điểm chính", 5, True)]),
            ("48050001", "Trường Tiểu học Cẩm Phô", L.PRIMARY, "20410", [("Điểm chính", 0, True)]),
            ("48050002", "Trường THCS Kim Đồng", L.LOWER_SECONDARY, "20410", [("Điểm chính", 1, True)]),
        ],
        "organisations": [
            ("20950", None, Organisation.Kind.STUDY_PROMOTION, "Hội Khuyến học xã Trà Linh"),
            ("20950", None, Organisation.Kind.WOMEN, "Hội Liên hiệp Phụ nữ xã Trà Linh"),
            ("20950", None, Organisation.Kind.FATHERLAND_FRONT, "Ủy ban MTTQ Việt Nam xã Trà Linh"),
            (None, "48095002", Organisation.Kind.PARENTS, "Ban đại diện CMHS Trường PTDTBT TH Trà Nam"),
            (None, "48095002", Organisation.Kind.YOUTH_UNION, "Liên đội Trường PTDTBT TH Trà Nam"),
            (None, "48095002", Organisation.Kind.TRADE_UNION, "Công đoàn Trường PTDTBT TH Trà Nam"),
            ("20242", None, Organisation.Kind.STUDY_PROMOTION, "Hội Khuyến học phường Hải Châu"),
            (None, "48010002", Organisation.Kind.PARENTS, "Ban đại diện CMHS Trường TH Phù Đổng"),
            ("20242", None, Organisation.Kind.BUSINESS, "Công ty TNHH Sách và Thiết bị Hải Châu"),
        ],
        # username, full name, role, target kind, target key
        "users": [
            ("so.gddt", "Lê Thị Thu Hà", Role.PROVINCE_OFFICER, "unit", "48"),
            ("xa.tralinh", "Hồ Văn Thanh", Role.COMMUNE_OFFICER, "unit", "20950"),
            ("phuong.haichau", "Nguyễn Minh Tâm", Role.COMMUNE_OFFICER, "unit", "20242"),
            ("hieutruong.tranam", "Trần Văn Bình", Role.PRINCIPAL, "school", "48095002"),
            ("giaovien.tranam", "Hồ Thị Lan", Role.TEACHER, "school", "48095002"),
            ("giaovien.phudong", "Phạm Quốc Việt", Role.TEACHER, "school", "48010002"),
            ("khuyenhoc.tralinh", "Đinh Văn Sơn", Role.PARTNER_OFFICER, "org", "Hội Khuyến học xã Trà Linh"),
        ],
    }
}


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (một phần một tỉnh thật) và một tài khoản cho mỗi vai trò. Chạy lại không tạo trùng."

    def add_arguments(self, parser):
        parser.add_argument("--province", default="48", help="mã tỉnh hiện hành (mặc định 48, Đà Nẵng)")

    def handle(self, *args, province, **options):
        if province not in DEMO:
            raise CommandError(f"Chưa có dữ liệu mẫu cho tỉnh {province}; có: {', '.join(DEMO)}.")
        if not OrgUnit.objects.current().filter(level=OrgUnit.Level.PROVINCE, code=province).exists():
            call_command("load_admin_units", province=province, stdout=self.stdout)
        spec = DEMO[province]
        password = settings.DEMO_PASSWORD
        with transaction.atomic():
            admin = self._admin(password)
            province_unit = OrgUnit.objects.current().get(level=OrgUnit.Level.PROVINCE, code=province)
            hamlets = {code: self._hamlets(admin, code, names) for code, names in spec["communes"].items()}
            for moet, name, levels, commune, sites in spec["schools"]:
                self._school(admin, moet, name, levels, commune, hamlets[commune], sites)
            for commune, moet, kind, name in spec["organisations"]:
                self._organisation(admin, commune, moet, kind, name)
            for start in (2024, 2025, 2026):
                if not SchoolYear.objects.filter(province=province_unit, start_year=start).exists():
                    schools.school_year_create(actor=admin, province=province_unit, start_year=start)
            for username, full_name, role, kind, key in spec["users"]:
                self._user(admin, username, full_name, role, kind, key, password)
            year = SchoolYear.objects.get(province=province_unit, start_year=2025)
            self._students(admin, year, spec)
        self.stdout.write(self.style.SUCCESS("Dữ liệu mẫu đã sẵn sàng. Tài khoản (mật khẩu chung: %s):" % password))
        for username, _name, role, _kind, key in [("admin", "", Role.SYSTEM_ADMIN, "", "")] + spec["users"]:
            self.stdout.write(f"  {username:<20} {Role(role).label}")

    def _admin(self, password) -> User:
        admin = User.objects.filter(username="admin").first()
        if admin is None:
            admin = User.objects.create_superuser("admin", "", password, full_name="Quản trị hệ thống")
        if not RoleAssignment.objects.active().filter(user=admin, role=Role.SYSTEM_ADMIN).exists():
            accounts.role_grant(actor=admin, user=admin, role=Role.SYSTEM_ADMIN)
        return admin

    def _hamlets(self, admin, code, names) -> list[OrgUnit]:
        commune = OrgUnit.objects.current().get(level=OrgUnit.Level.COMMUNE, code=code)
        result = []
        for name, qualifier in names:
            hamlet = (
                OrgUnit.objects.current()
                .filter(parent=commune, type=OrgUnit.Type.HAMLET, name_folded=hamlet_key(name), qualifier=qualifier)
                .first()
            )
            result.append(
                hamlet or orgunits.hamlet_create(actor=admin, commune=commune, name=name, qualifier=qualifier)
            )
        return result

    def _school(self, admin, moet, name, levels, commune, hamlets, sites) -> None:
        school = School.objects.filter(moet_code=moet).first()
        if school is None:
            location = OrgUnit.objects.current().get(level=OrgUnit.Level.COMMUNE, code=commune)
            school = schools.school_create(
                actor=admin,
                moet_code=moet,
                name=name,
                levels=int(levels),
                location=location,
                address=f"{hamlets[sites[0][1]].display_name}",
            )
        for site_name, hamlet_index, main in sites:
            if not SchoolSite.objects.filter(school=school, name=site_name).exists():
                schools.site_create(
                    actor=admin, school=school, name=site_name, hamlet=hamlets[hamlet_index], is_main=main
                )

    def _organisation(self, admin, commune, moet, kind, name) -> None:
        if Organisation.objects.filter(name=name).exists():
            return
        owner = (
            {"school": School.objects.get(moet_code=moet)}
            if moet
            else {"org_unit": OrgUnit.objects.current().get(level=OrgUnit.Level.COMMUNE, code=commune)}
        )
        schools.organisation_create(actor=admin, kind=kind, name=name, **owner)

    def _students(self, admin, year, spec) -> None:
        """A class per grade in every school, a few children in each, the teachers' classes, and some
        dropouts with their reasons (one came back). Made up, deterministic, written once."""
        from apps.accounts.models import User as UserModel
        from apps.core.audit import audit_record
        from apps.core.models import AuditEvent
        from apps.students import services as students
        from apps.students.models import ClassGroup, DropoutReason, Enrolment, EnrolmentEvent, TeacherAssignment

        if Enrolment.objects.filter(year=year).exists():
            return
        rng = random.Random(48)
        created = 0
        for moet, _name, levels, commune_code, _sites in spec["schools"]:
            school = School.objects.get(moet_code=moet)
            hamlets = list(OrgUnit.objects.current().filter(parent=school.location, type=OrgUnit.Type.HAMLET))
            minority = commune_code == "20950"  # Trà Linh: mostly Xơ-đăng (Ca Dong)
            for grade in grades_of(int(levels)):
                group = ClassGroup.objects.create(school=school, year=year, grade=grade, name=class_name_of(grade))
                for n in range(4):
                    sex = rng.choice("MF")
                    name = " ".join([rng.choice(FAMILY), rng.choice(MIDDLE[sex]), rng.choice(GIVEN[sex])])
                    age = age_of(grade)
                    child = students.child_create(
                        actor=admin,
                        full_name=name,
                        birth_year=2025 - age,
                        sex=sex,
                        commune=school.location,
                        birth_date=datetime.date(2025 - age, rng.randint(1, 12), rng.randint(1, 28)),
                        hamlet=rng.choice(hamlets),
                        ethnicity="14" if minority and rng.random() < 0.8 else "01",
                        poor=minority and rng.random() < 0.4,
                        near_poor=rng.random() < 0.1,
                        audit=False,
                    )
                    enrolment = students.enrolment_create(
                        actor=admin,
                        child=child,
                        school=school,
                        year=year,
                        grade=grade,
                        class_group=group,
                        student_code=f"{moet[-4:]}{grade}{n:02d}",
                        on=year.opening_day,
                        health_insurance=rng.random() < 0.93,
                        audit=False,
                    )
                    created += 1
                    if grade in ("7", "8", "9") and n == 3:
                        EnrolmentEvent.objects.create(
                            enrolment=enrolment,
                            kind=EnrolmentEvent.Kind.DROPPED_OUT,
                            on=datetime.date(2025, 11, 10),
                            reason=rng.choice(
                                [DropoutReason.ECONOMIC, DropoutReason.DISTANCE, DropoutReason.LABOUR_MIGRATION]
                            ),
                            recorded_by=admin,
                        )
                        if grade == "8":
                            EnrolmentEvent.objects.create(
                                enrolment=enrolment,
                                kind=EnrolmentEvent.Kind.RETURNED,
                                on=datetime.date(2025, 11, 24),
                                recorded_by=admin,
                            )
        for username, moet, class_name in (
            ("giaovien.tranam", "48095002", "1A"),
            ("giaovien.phudong", "48010002", "2A"),
        ):
            group = ClassGroup.objects.get(school__moet_code=moet, year=year, name=class_name)
            TeacherAssignment.objects.create(teacher=UserModel.objects.get(username=username), class_group=group)
        audit_record(
            actor=admin,
            action="students.seed_demo",
            kind=AuditEvent.Kind.BULK,
            object_type="students.enrolment",
            object_repr="Dữ liệu mẫu học sinh",
            changes={"children": created},
        )

    def _user(self, admin, username, full_name, role, kind, key, password) -> None:
        if User.objects.filter(username=username).exists():
            return
        if kind == "unit":
            level = OrgUnit.Level.PROVINCE if len(key) == 2 else OrgUnit.Level.COMMUNE
            target = {"org_unit": OrgUnit.objects.current().get(level=level, code=key)}
        elif kind == "school":
            target = {"school": School.objects.get(moet_code=key)}
        else:
            target = {"organisation": Organisation.objects.get(name=key)}
        accounts.user_create(
            actor=admin, username=username, password=password, full_name=full_name, role=role, **target
        )
