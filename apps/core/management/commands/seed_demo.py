"""Demo data: part of one real province (real commune codes from vietnam-provinces), with hamlets, schools
across levels with satellite sites, partner organisations, a school year and one user per role, and that
year's children: the census (điều tra phổ cập) of every hamlet, the schools' rosters in classes, and what
happened during the year (dropouts, one return, repeaters, transfers).

Idempotent: everything is looked up by its natural key first, so a second run adds nothing; the children are
written once, when the year has no enrolment yet. Schools' names, codes and people are made up for the demo;
the children come from a seeded random generator (`plan_population`, pure, so the same every time) and are
written with bulk_create: the services would take minutes, so the planner keeps their rules itself (NFC names
and their folded form, birth date in the birth year, hamlet in the commune, grades the school teaches,
classes of the school and year, events in the order `apps.students.services.FOLLOWS` allows) and
`apps/core/tests/test_seed_demo.py` checks them on the written data.
"""

import datetime
import math
import random
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.accounts import services as accounts
from apps.accounts.models import Role, RoleAssignment, User
from apps.core.text import fold, nfc
from apps.orgunits import services as orgunits
from apps.orgunits.models import Designation, OrgUnit
from apps.orgunits.names import hamlet_key
from apps.schools import services as schools
from apps.schools.models import Level, Organisation, School, SchoolSite, SchoolYear
from apps.students.models import CensusStatus, DropoutReason, EnrolmentEvent, Grade

L = Level
S = CensusStatus
R = DropoutReason
Kind = EnrolmentEvent.Kind

YEAR = 2025  # the demo's school year is 2025-2026; a child's age is 2025 − birth year
# The domain notes give no survey window: each hamlet is surveyed in the first fortnight of September.
SURVEY_FROM = datetime.date(2025, 9, 3)
SEMESTER_1 = (datetime.date(2025, 10, 1), datetime.date(2026, 1, 16))
AFTER_TET = (datetime.date(2026, 2, 23), datetime.date(2026, 4, 30))  # Tết 2026 is 17 February
RETURN_ON = datetime.date(2026, 3, 2)  # brought back after Tết (seeds 000, 002)
# Largest class per grade (Circulars 28/2020, 32/2020, 52/2020, rounded): bigger groups are split.
CLASS_SIZE = {"NT2": 20, "NT3": 25, "MG3": 25, "MG4": 30, "MG5": 35, "primary": 35, "secondary": 45}
# The cast's classes: tests take their first child, so they hold plain enrolments (no event after the first)
# of children living in the school's commune.
PLAIN = {("48095002", "1A"), ("48095002", "2A"), ("48010002", "2A")}
# Names the tests create and then look up by name: the demo leaves them free.
RESERVED_NAMES = {
    "ho van trong",
    "dinh thi hanh",
    "nguyen van long",
    "bui thi mai",
    "bui van nam",
    "ho van trung",
    "nguyen van an",
    "ho thi ngoc anh",
    "tran van binh",
}
VOCATIONAL = "Trường Cao đẳng Nghề Đà Nẵng"


@dataclass(frozen=True)
class Profile:
    """How the children of one demo commune live and go to school. Shares are of the children of that age."""

    minority: float  # households of the Xơ-đăng (Ca Dong), ethnicity code 14; the others are Kinh
    cohort: tuple[int, int]  # children born in one year in one hamlet
    children: dict[int, int]  # children per household → weight
    poor: float
    near_poor: float
    remote: bool  # hamlets of an especially difficult commune
    moved_away: float  # households that left before the census
    creche: dict[int, float]  # age → attending (13–24 months at 1, 25–36 months at 2)
    kinder: dict[int, float]  # age → attending kindergarten
    out: tuple[float, float]  # out of school at 6–11, at 12–14
    behind: float  # a grade behind (late entry or repeated) from age 7
    teen: dict[str, float]  # 15–17: on_time, behind (a grade lower), diploma (stopped after grade 9), no_diploma,
    adult: dict[str, float]  # 18: the same without on_time               primary (stopped after grade 5)
    schools: dict[str, tuple[tuple[float, str], ...]]  # level → (share, MOET code or a school outside the demo)
    dropout: dict[str, float]  # level or MOET code → share of its enrolments dropping out during the year
    insured: float  # students from six with health insurance (younger children are insured by law)
    primary_by_hamlet: tuple[str, ...] = ()  # the primary school of each hamlet, when the commune has several
    disabled: float = 0.012
    claimed: int = 0  # out-of-school children whose family told the census they are in school


TRA_LINH = Profile(
    minority=0.88,
    cohort=(6, 10),
    children={1: 10, 2: 28, 3: 30, 4: 19, 5: 13},
    poor=0.42,
    near_poor=0.18,
    remote=True,
    moved_away=0.02,
    creche={2: 0.22},
    kinder={3: 0.82, 4: 0.9, 5: 0.97},
    out=(0.01, 0.05),
    behind=0.1,
    teen={"on_time": 0.45, "behind": 0.12, "diploma": 0.3, "no_diploma": 0.06, "primary": 0.07},
    adult={"behind": 0.12, "diploma": 0.66, "no_diploma": 0.1, "primary": 0.12},
    schools={"pre": ((1, "48095001"),), "lower": ((1, "48095003"),), "upper": ((1, "48095004"),)},
    primary_by_hamlet=("48095003", "48095003", "48095003", "48095002", "48095002", "48095002"),
    dropout={"pre": 0.02, "primary": 0.01, "lower": 0.06, "upper": 0.08},
    insured=0.99,  # poor households and especially difficult communes are insured by the state
    disabled=0.02,
    claimed=2,
)
HAI_CHAU = Profile(
    minority=0.0,
    cohort=(6, 9),
    children={1: 35, 2: 50, 3: 15},
    poor=0.01,
    near_poor=0.03,
    remote=False,
    moved_away=0.015,
    creche={1: 0.15, 2: 0.5},
    kinder={3: 0.93, 4: 0.97, 5: 0.995},
    out=(0.002, 0.006),
    behind=0.02,
    teen={"on_time": 0.86, "behind": 0.05, "diploma": 0.06, "no_diploma": 0.03},
    adult={"behind": 0.06, "diploma": 0.9, "no_diploma": 0.04},
    schools={
        "pre": ((1, "48010001"),),
        "primary": ((1, "48010002"),),
        "lower": ((1, "48010003"),),
        "upper": ((0.85, "48010004"), (0.1, "48010005"), (0.05, VOCATIONAL)),
    },
    dropout={"pre": 0.003, "primary": 0.002, "lower": 0.01, "upper": 0.012, "48010005": 0.1},
    insured=0.93,
)
HOI_AN = Profile(
    minority=0.0,
    cohort=(5, 8),
    children={1: 30, 2: 52, 3: 18},
    poor=0.02,
    near_poor=0.04,
    remote=False,
    moved_away=0.01,
    creche={1: 0.1, 2: 0.4},
    kinder={3: 0.9, 4: 0.95, 5: 0.99},
    out=(0.003, 0.01),
    behind=0.03,
    teen={"on_time": 0.82, "behind": 0.05, "diploma": 0.09, "no_diploma": 0.04},
    adult={"behind": 0.05, "diploma": 0.89, "no_diploma": 0.04, "primary": 0.02},
    schools={  # a few children go to school in Hải Châu, where their parents work
        "pre": ((0.06, "48010001"), (0.94, "Trường Mẫu giáo Minh An")),
        "primary": ((0.03, "48010002"), (0.97, "48050001")),
        "lower": ((0.04, "48010003"), (0.96, "48050002")),
        "upper": ((0.08, "48010004"), (0.05, "48010005"), (0.87, "Trường THPT Trần Quý Cáp")),
    },
    dropout={"pre": 0.003, "primary": 0.003, "lower": 0.012, "upper": 0.012},
    insured=0.9,
)
# A child transferred between two demo schools: (from, grade, to, out on, in on, the commune the family moved to).
TRANSFERS = [
    ("48095002", "4", "48095003", datetime.date(2025, 10, 20), datetime.date(2025, 10, 22), None),  # to boarding
    ("48010002", "4", "48050001", datetime.date(2025, 12, 15), datetime.date(2025, 12, 18), "20410"),
    ("48050002", "7", "48010003", datetime.date(2026, 2, 23), datetime.date(2026, 2, 26), "20242"),
]
# Children who came over the summer from a school outside the demo, and one who left for one during the year.
TRANSFERS_IN = [
    ("48010002", "3", "Trường Tiểu học Trần Quốc Toản, tỉnh Quảng Ngãi"),
    ("48095003", "6", "Trường PTDTBT THCS Trà Cang"),
]
TRANSFER_OUT = ("48010003", "8", datetime.date(2026, 1, 12), "Trường THCS Nguyễn Du, thành phố Huế")


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
        # commune, kind, from, decision: Trà Linh is an especially difficult commune (its Profile is `remote`).
        "designations": [
            ("20950", Designation.Kind.DBKK, datetime.date(2021, 1, 1), "QĐ 861/QĐ-TTg ngày 04/6/2021"),
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
        # How each commune's children live and go to school (see Profile), and children enrolled at a demo
        # school from a commune outside the demo: (school, their commune, how many, share of Xơ-đăng).
        "population": {"20950": TRA_LINH, "20242": HAI_CHAU, "20410": HOI_AN},
        "outsiders": [
            ("48095004", "20941", 4, 0.9),  # the upper secondary school of the old Nam Trà My district
            ("48095004", "20944", 3, 0.9),
            ("48010004", "20209", 4, 0.0),
            ("48010004", "20257", 3, 0.0),
            ("48010005", "20257", 2, 0.0),
        ],
    }
}


# --- The population: planned in memory (no database), then written in bulk ---------------------------------


@dataclass
class Stay:
    """A planned enrolment: a school, a grade, a class and the year's events (kind, on, reason, words, other
    school), the first on the opening day (or the day of a transfer between demo schools)."""

    moet: str
    grade: str
    events: list[tuple]
    insured: bool
    resident: bool = True  # the child lives in the school's commune
    class_name: str = ""


@dataclass
class Kid:
    """A planned child: who, where they live, their parents, their census record and their enrolments."""

    full_name: str
    sex: str
    birth_date: datetime.date
    ethnicity: str
    commune: str
    hamlet: int | None  # index in the commune's hamlets
    flags: dict[str, bool]
    guardians: list[tuple[str, str, int, str]]  # full name, relation, birth year, occupation
    census: dict | None = None  # commune, hamlet, status, school (MOET code or name as written), grade, surveyed_on
    stays: list[Stay] = field(default_factory=list)


@cache
def words() -> dict:
    return tomllib.loads(Path(__file__).with_name("seed_demo.toml").read_text("utf-8"))


def pick(weights: dict, rng: random.Random):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def level_key(grade: str) -> str:
    if grade[0] in "NM":
        return "pre"
    return "primary" if int(grade) <= 5 else "lower" if int(grade) <= 9 else "upper"


def a_name(rng: random.Random, people: str, sex: str, family: str | None = None) -> str:
    pool = words()[people]
    middle = [rng.choice(pool["middle"][sex])]
    if people == "kinh" and middle[0] != "Văn" and rng.random() < (0.25 if sex == "F" else 0.1):
        second = rng.choice(pool["middle"][sex])  # "Nguyễn Thị Minh Khánh", "Trần Hoàng Gia Bảo"
        middle += [second] if second not in (middle[0], "Văn", "Thị") else []
    family = family or pick(pool["family"], rng)
    return " ".join([family, *(m for m in middle if m != family), rng.choice(pool["given"][sex])])


def schooling(age: int, p: Profile, rng: random.Random) -> tuple[str, str]:
    """What a child of `age` does this year, by the commune's shares: a census status and the grade."""
    r = rng.random()
    if age <= 2:
        grade = {1: "NT2", 2: "NT3"}.get(age, "")
        return (S.IN_SCHOOL, grade) if grade and r < p.creche.get(age, 0) else (S.NOT_IN_SCHOOL, "")
    if age <= 5:
        return (S.IN_SCHOOL, f"MG{age}") if r < p.kinder[age] else (S.NOT_IN_SCHOOL, "")
    if age <= 14:
        if r < p.out[age >= 12]:
            stopped = age >= 12 and rng.random() < 0.5
            return (S.COMPLETED_PRIMARY if stopped else S.NOT_IN_SCHOOL), ""
        return S.IN_SCHOOL, str(age - 5 - (age >= 7 and rng.random() < p.behind))
    outcome = pick(p.teen if age <= 17 else p.adult, rng)
    if outcome in ("on_time", "behind"):
        return S.IN_SCHOOL, str(age - 5 - (outcome == "behind"))
    return STOPPED[outcome], ""


STOPPED = {"diploma": S.COMPLETED_LOWER_SECONDARY, "no_diploma": S.NOT_IN_SCHOOL, "primary": S.COMPLETED_PRIMARY}


class Planner:
    """Plans the demo's children for school year 2025-2026 from a seeded random generator."""

    def __init__(self, spec: dict, opening: datetime.date, seed: int = 48):
        self.spec = spec
        self.opening = opening
        self.rng = random.Random(seed)
        self.kids: list[Kid] = []
        self.taken: set = set()  # (folded name, birth date, commune): the import's match key stays unambiguous
        self.school_commune = {moet: commune for moet, _n, _l, commune, _s in spec["schools"]}
        self.school_name = {moet: name for moet, name, *_rest in spec["schools"]}
        self.classes: dict[tuple[str, str], Counter] = {}
        self.claimed: Counter = Counter()

    def plan(self) -> list[Kid]:
        for code, profile in self.spec["population"].items():
            for hamlet in range(len(self.spec["communes"][code])):
                self.hamlet(code, hamlet, profile)
        for moet, commune, count, minority in self.spec["outsiders"]:
            for _ in range(count):
                self.outsider(moet, commune, minority)
        self.assign_classes()
        self.transfers()
        self.events()
        return self.kids

    # Families and their children, hamlet by hamlet.

    def hamlet(self, code: str, hamlet: int, p: Profile) -> None:
        rng = self.rng
        surveyed_from = SURVEY_FROM + datetime.timedelta(days=rng.randint(0, 7))
        target = rng.randint(*p.cohort) * 19  # ages 0–18
        counted = 0
        while counted < target:
            minority = rng.random() < p.minority
            people = "xodang" if minority else "kinh"
            first = rng.randint(YEAR - 27, YEAR)  # the eldest child's birth year; only those aged 0–18 count
            years, size = [first], pick(p.children, rng)
            while len(years) < size and years[-1] + 4 <= YEAR:
                years.append(years[-1] + rng.randint(2, 4))
            years = [y for y in years if y >= YEAR - 18]
            if not years:
                continue
            family = pick(words()[people]["family"], rng)
            guardians = self.parents(code, people, family, first, orphaned=rng.random() < 0.01)
            poor = rng.random() < p.poor
            flags = {
                "poor": poor,
                "near_poor": not poor and rng.random() < p.near_poor,
                "orphan": guardians[0][1] != "Cha",
                "remote_area": p.remote,
            }
            moved = rng.random() < p.moved_away
            for birth_year in years:
                kid = self.child(code, hamlet, people, family, birth_year, flags, guardians)
                kid.flags["disability"] = rng.random() < p.disabled
                kid.census = self.census(kid, p, moved, surveyed_from)
                self.kids.append(kid)
                counted += 1

    def parents(self, code: str, people: str, family: str, first: int, orphaned: bool) -> list[tuple]:
        rng, jobs = self.rng, words()["occupations"][code]
        father_born = first - rng.randint(22, 34)
        if orphaned:  # brought up by a grandmother
            return [(a_name(rng, people, "F"), "Bà nội", father_born - rng.randint(22, 30), pick(jobs, rng))]
        return [
            (a_name(rng, people, "M", family), "Cha", father_born, pick(jobs, rng)),
            (a_name(rng, people, "F"), "Mẹ", father_born + rng.randint(0, 6), pick(jobs, rng)),
        ]

    def child(self, code, hamlet, people, family, birth_year, flags, guardians) -> Kid:
        rng = self.rng
        sex = "M" if rng.random() < 0.53 else "F"  # Vietnam's sex ratio at birth is about 112 boys to 100 girls
        days = 243 if birth_year == YEAR else 365  # born before the census
        while True:
            name = a_name(rng, people, sex, family)
            born = datetime.date(birth_year, 1, 1) + datetime.timedelta(days=rng.randrange(days))
            key = (fold(name), born, code)
            if key[0] not in RESERVED_NAMES and key not in self.taken:
                self.taken.add(key)
                break
        ethnicity = "14" if people == "xodang" else "01"
        return Kid(name, sex, born, ethnicity, code, hamlet, dict(flags), guardians)

    def census(self, kid: Kid, p: Profile, moved: bool, surveyed_from: datetime.date) -> dict:
        rng = self.rng
        age = YEAR - kid.birth_date.year
        grade, school = "", ""
        if moved:
            status = S.MOVED_AWAY
        elif rng.random() < 0.002:
            status = S.DECEASED
        elif kid.flags["disability"] and age >= 6 and rng.random() < 0.4:
            status = S.EXEMPT_DISABILITY
        else:
            status, grade = schooling(age, p, rng)
        if status == S.NOT_IN_SCHOOL and 12 <= age <= 14 and self.claimed[kid.commune] < p.claimed:
            # Told the census "in school"; no roster has them: what linking the census to enrolment finds.
            self.claimed[kid.commune] += 1
            status, grade = S.IN_SCHOOL, str(age - 5)
            school = self.school_for(p, kid, grade)
            return self.record(kid, status, school, grade, surveyed_from, claimed=True)
        if status == S.IN_SCHOOL:
            school = self.school_for(p, kid, grade)
            if school.isdigit():
                kid.stays.append(self.stay(kid, school, grade, p))
            elif school == VOCATIONAL:
                grade = ""
        return self.record(kid, status, school, grade, surveyed_from)

    def record(self, kid, status, school, grade, surveyed_from, claimed=False) -> dict:
        surveyed_on = surveyed_from + datetime.timedelta(days=self.rng.randint(0, 2))
        record = {"commune": kid.commune, "hamlet": kid.hamlet, "status": str(status), "school": school}
        record.update(grade=grade, surveyed_on=surveyed_on)
        return record | ({"claimed": True} if claimed else {})

    def school_for(self, p: Profile, kid: Kid, grade: str) -> str:
        """Where a child of the commune studies that grade: a MOET code, or the name of a school outside the demo."""
        level = level_key(grade)
        if level == "primary" and p.primary_by_hamlet:
            return p.primary_by_hamlet[kid.hamlet]
        options = p.schools[level]
        if grade in ("1", "2"):  # the youngest pupils go to school where they live
            options = [o for o in options if self.school_commune.get(o[1]) == kid.commune]
        return self.rng.choices([school for _, school in options], weights=[share for share, _ in options])[0]

    def stay(self, kid: Kid, moet: str, grade: str, p: Profile) -> Stay:
        insured = YEAR - kid.birth_date.year < 6 or self.rng.random() < p.insured
        resident = self.school_commune[moet] == kid.commune
        return Stay(moet, grade, [(Kind.ENROLLED, self.opening, "", "", "")], insured, resident)

    def outsider(self, moet: str, commune: str, minority: float) -> None:
        """A student of a demo school living in a commune outside the demo: enrolled, not in its census."""
        rng = self.rng
        people = "xodang" if rng.random() < minority else "kinh"
        family = pick(words()[people]["family"], rng)
        birth_year = rng.randint(YEAR - 17, YEAR - 15)
        jobs_of = self.school_commune[moet]
        guardians = self.parents(jobs_of, people, family, birth_year - rng.randint(0, 4), orphaned=False)
        flags = {"poor": minority > 0 and rng.random() < 0.3, "near_poor": False, "orphan": False}
        kid = self.child(commune, None, people, family, birth_year, flags | {"remote_area": minority > 0}, guardians)
        kid.flags["disability"] = False
        profile = self.spec["population"][self.school_commune[moet]]
        kid.stays.append(self.stay(kid, moet, str(YEAR - birth_year - 5), profile))
        self.kids.append(kid)

    # Classes and what happened during the year.

    def assign_classes(self) -> None:
        """Split each school's grade into classes no bigger than the rules allow; residents fill the first."""
        groups = defaultdict(list)
        for kid in self.kids:
            for stay in kid.stays:
                groups[stay.moet, stay.grade].append(stay)
        for (moet, grade), stays in sorted(groups.items(), key=lambda item: (item[0][0], grade_order(item[0][1]))):
            self.rng.shuffle(stays)
            stays.sort(key=lambda s: not s.resident)
            size = CLASS_SIZE.get(grade) or CLASS_SIZE["primary" if level_key(grade) == "primary" else "secondary"]
            names = class_names(moet, grade, math.ceil(len(stays) / size))
            for i, stay in enumerate(stays):
                stay.class_name = names[i * len(names) // len(stays)]
            self.classes[moet, grade] = Counter(s.class_name for s in stays)

    def plain(self, stay: Stay, moet: str = "", grade: str = "") -> bool:
        """An enrolment nothing has happened to yet, outside the cast's classes."""
        return (
            (stay.moet, stay.grade) == (moet or stay.moet, grade or stay.grade)
            and len(stay.events) == 1
            and stay.events[0][0] == Kind.ENROLLED
            and (stay.moet, stay.class_name) not in PLAIN
        )

    def first(self, moet: str, grade: str) -> tuple[Kid, Stay]:
        return next((k, s) for k in self.kids for s in k.stays if s.resident and self.plain(s, moet, grade))

    def transfers(self) -> None:
        rng = self.rng
        for source, grade, target, out_on, in_on, moved_to in TRANSFERS:
            kid, stay = self.first(source, grade)
            stay.events.append((Kind.TRANSFERRED_OUT, out_on, "", "", self.school_name[target]))
            if moved_to:  # the family moved after the census: the census keeps the hamlet it was taken in
                kid.commune, kid.hamlet = moved_to, rng.randrange(len(self.spec["communes"][moved_to]))
            classes = self.classes[target, grade]
            class_name = min(classes, key=lambda name: (classes[name], name))
            classes[class_name] += 1
            event = (Kind.TRANSFERRED_IN, in_on, "", "", self.school_name[source])
            kid.stays.append(Stay(target, grade, [event], stay.insured, self.school_commune[target] == kid.commune))
            kid.stays[-1].class_name = class_name
        for moet, grade, other in TRANSFERS_IN:
            _kid, stay = self.first(moet, grade)
            stay.events[0] = (Kind.TRANSFERRED_IN, self.opening, "", "", other)
        moet, grade, on, other = TRANSFER_OUT
        _kid, stay = self.first(moet, grade)
        stay.events.append((Kind.TRANSFERRED_OUT, on, "", "", other))

    def events(self) -> None:
        """A few repeaters (recorded on the opening day), dropouts by the school's commune's shares, one return."""
        rng, returned = self.rng, False
        for kid in self.kids:
            age = YEAR - kid.birth_date.year
            for stay in kid.stays:
                if not self.plain(stay):
                    continue
                level = level_key(stay.grade)
                if level in ("primary", "lower") and age > int(stay.grade) + 5 and rng.random() < 0.3:
                    stay.events.append((Kind.REPEATING, self.opening, "", "", ""))
                p = self.spec["population"][self.school_commune[stay.moet]]
                if rng.random() < p.dropout.get(stay.moet, p.dropout[level]):
                    on = self.day(*(SEMESTER_1 if rng.random() < 0.6 else AFTER_TET))
                    reason = self.reason(kid, level, p.remote)
                    text = rng.choice(words()["dropout"]["other"]) if reason == R.OTHER else ""
                    stay.events.append((Kind.DROPPED_OUT, on, reason, text, ""))
                    if not returned and p.remote and level == "lower" and on < SEMESTER_1[1]:
                        stay.events.append((Kind.RETURNED, RETURN_ON, "", "", ""))
                        returned = True

    def reason(self, kid: Kid, level: str, remote: bool) -> str:
        age = YEAR - kid.birth_date.year
        if level == "pre":
            weights = {R.FAMILY: 3, R.HEALTH: 2} | ({R.DISTANCE: 4} if remote else {R.OTHER: 1})
        elif remote:
            weights = {R.ECONOMIC: 30, R.DISTANCE: 18, R.LABOUR_MIGRATION: 14, R.FAMILY: 10, R.LEARNING: 15}
            weights |= {R.EARLY_MARRIAGE: 10, R.HEALTH: 3}
        else:
            weights = {R.LEARNING: 35, R.FAMILY: 25, R.HEALTH: 10, R.ECONOMIC: 10, R.OTHER: 15, R.LABOUR_MIGRATION: 5}
        if age < 13:
            weights.pop(R.LABOUR_MIGRATION, None)
        if age < 14 or kid.sex == "M":
            weights.pop(R.EARLY_MARRIAGE, None)
        return str(pick(weights, self.rng))

    def day(self, first: datetime.date, last: datetime.date) -> datetime.date:
        return first + datetime.timedelta(days=self.rng.randint(0, (last - first).days))


def grade_order(grade: str) -> int:
    return list(Grade.values).index(grade)


KINDER_CLASS = {"MG3": "Mầm", "MG4": "Chồi", "MG5": "Lá"}


def class_names(moet: str, grade: str, count: int) -> list[str]:
    """Classes as schools name them: "Lá 1" in kindergarten, "1A" in primary and in Trà Linh, "6/1" in the
    secondary schools of Hải Châu and Hội An."""
    if grade in ("NT2", "NT3"):
        group = {"NT2": "Nhóm 13-24 tháng", "NT3": "Nhóm 25-36 tháng"}[grade]
        return [group] if count == 1 else [f"{group} {chr(65 + i)}" for i in range(count)]
    if grade.startswith("MG"):
        return [f"{KINDER_CLASS[grade]} {i + 1}" for i in range(count)]
    if int(grade) >= 6 and not moet.startswith("4809"):
        return [f"{grade}/{i + 1}" for i in range(count)]
    return [f"{grade}{chr(65 + i)}" for i in range(count)]


def plan_population(spec: dict, opening: datetime.date) -> list[Kid]:
    """The demo's children for school year 2025-2026: the same list every time (seeded)."""
    return Planner(spec, opening).plan()


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
            for commune, kind, valid_from, decision_ref in spec["designations"]:
                self._designation(admin, commune, kind, valid_from, decision_ref)
            for moet, name, levels, commune, sites in spec["schools"]:
                self._school(admin, moet, name, levels, commune, hamlets[commune], sites)
            for commune, moet, kind, name in spec["organisations"]:
                self._organisation(admin, commune, moet, kind, name)
            for start in (2024, 2025, 2026):
                if not SchoolYear.objects.filter(province=province_unit, start_year=start).exists():
                    schools.school_year_create(actor=admin, province=province_unit, start_year=start)
            for username, full_name, role, kind, key in spec["users"]:
                self._user(admin, username, full_name, role, kind, key, password)
            year = SchoolYear.objects.get(province=province_unit, start_year=YEAR)
            self._students(admin, year, spec, hamlets)
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

    def _designation(self, admin, commune, kind, valid_from, decision_ref) -> None:
        unit = OrgUnit.objects.current().get(level=OrgUnit.Level.COMMUNE, code=commune)
        if not Designation.objects.filter(unit=unit, kind=kind, valid_from=valid_from).exists():
            orgunits.designation_record(
                actor=admin, unit=unit, kind=kind, valid_from=valid_from, decision_ref=decision_ref
            )

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

    def _students(self, admin, year, spec, hamlets) -> None:
        """The year's children (see `plan_population`), written in bulk once, the teachers' classes and one audit
        event for the lot."""
        from apps.core.audit import audit_record
        from apps.core.models import AuditEvent
        from apps.students.hooks import census_written, enrolments_written
        from apps.students.models import CensusRecord, Child, ClassGroup, Enrolment, Guardian, TeacherAssignment
        from apps.students.rules import is_ongoing

        if Enrolment.objects.filter(year=year).exists():
            return
        kids = plan_population(spec, year.opening_day)
        order = {moet: i for i, (moet, *_rest) in enumerate(spec["schools"])}
        school = {s.moet_code: s for s in School.objects.filter(moet_code__in=order)}
        codes = {kid.commune for kid in kids} | {kid.census["commune"] for kid in kids if kid.census}
        commune = {u.code: u for u in OrgUnit.objects.current().filter(level=OrgUnit.Level.COMMUNE, code__in=codes)}
        stays = sorted(
            ((kid, stay) for kid in kids for stay in kid.stays),
            key=lambda ks: (order[ks[1].moet], grade_order(ks[1].grade), ks[1].class_name, fold(ks[0].full_name)),
        )
        groups = ClassGroup.objects.bulk_create(
            ClassGroup(school=school[moet], year=year, grade=grade, name=name)
            for moet, grade, name in dict.fromkeys((s.moet, s.grade, s.class_name) for _kid, s in stays)
        )
        group = {(g.school.moet_code, g.name): g for g in groups}
        children = Child.objects.bulk_create(
            Child(
                full_name=nfc(kid.full_name),
                name_folded=fold(kid.full_name),
                birth_date=kid.birth_date,
                birth_year=kid.birth_date.year,
                sex=kid.sex,
                ethnicity=kid.ethnicity,
                commune=commune[kid.commune],
                hamlet=hamlets[kid.commune][kid.hamlet] if kid.hamlet is not None else None,
                **kid.flags,
            )
            for kid in kids
        )
        child = {id(kid): c for kid, c in zip(kids, children, strict=True)}
        Guardian.objects.bulk_create(
            Guardian(child=child[id(kid)], full_name=nfc(name), relation=relation, birth_year=born, occupation=job)
            for kid in kids
            for name, relation, born, job in kid.guardians
        )
        numbers = Counter()
        enrolments = []
        for kid, stay in stays:
            numbers[stay.moet] += 1
            enrolments.append(
                Enrolment(
                    child=child[id(kid)],
                    school=school[stay.moet],
                    year=year,
                    grade=stay.grade,
                    class_group=group[stay.moet, stay.class_name],
                    student_code=f"{stay.moet[-4:]}{numbers[stay.moet]:04d}",
                    health_insurance=stay.insured,
                    start_year=year.start_year,
                    ongoing=is_ongoing(stay.events[-1][0]),
                )
            )
        enrolments = Enrolment.objects.bulk_create(enrolments)
        EnrolmentEvent.objects.bulk_create(
            EnrolmentEvent(
                enrolment=enrolment,
                kind=kind,
                on=on,
                reason=reason,
                reason_text=text,
                other_school=other,
                recorded_by=admin,
            )
            for enrolment, (_kid, stay) in zip(enrolments, stays, strict=True)
            for kind, on, reason, text, other in stay.events
        )
        enrolments_written([e.pk for e in enrolments])  # as every write path does (`students.hooks`)
        census = [kid for kid in kids if kid.census]
        records = CensusRecord.objects.bulk_create(
            CensusRecord(
                child=child[id(kid)],
                year=year,
                hamlet=hamlets[kid.census["commune"]][kid.census["hamlet"]],
                status=kid.census["status"],
                school=school.get(kid.census["school"]),
                school_as_written="" if kid.census["school"] in school else kid.census["school"],
                grade=kid.census["grade"],
                surveyed_on=kid.census["surveyed_on"],
            )
            for kid in census
        )
        census_written([r.pk for r in records])
        for username, moet, class_name in (
            ("giaovien.tranam", "48095002", "1A"),
            ("giaovien.phudong", "48010002", "2A"),
        ):
            TeacherAssignment.objects.create(
                teacher=User.objects.get(username=username), class_group=group[moet, class_name]
            )
        audit_record(
            actor=admin,
            action="students.seed_demo",
            kind=AuditEvent.Kind.BULK,
            object_type="students.enrolment",
            object_repr="Dữ liệu mẫu học sinh",
            changes={"children": len(kids), "enrolments": len(enrolments), "census": len(census)},
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
