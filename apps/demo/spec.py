"""What the demo holds, per province: the communes to fill and their hamlets, the schools with their sites,
partner organisations, designations, one user per role, and how each commune's children live and go to
school (a `Profile`, read by the planner in `apps.demo.population`). Schools' names, codes and people are made
up for the demo; the commune codes are real (vietnam-provinces)."""

import datetime
from dataclasses import dataclass

from apps.accounts.models import Role
from apps.orgunits.models import Designation
from apps.schools.models import Level, Organisation

L = Level

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
