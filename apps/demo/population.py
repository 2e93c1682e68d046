"""The demo's children, planned in memory (no database) from a seeded random generator, so the same every time:
school year 2025-2026 — every hamlet's census (điều tra phổ cập), the schools' rosters in classes and what
happened during the year (dropouts, one return, repeaters, transfers) — and, when asked, the year before,
2024-2025, for the same children: they sat one grade lower (or the same grade, for those repeating now), the
last grades of a level ended in completions (MG5, 5, 9, 12), and some of the children out of school now
dropped out then, with a reason; a few transferred between schools, came from outside or left for elsewhere.

The seed (`apps.demo.seeds.students`) writes the plan with bulk_create, since the services would take
minutes, so the planner keeps their rules itself: NFC names and their folded form, birth date in the birth
year, hamlet in the commune, grades the school teaches, classes of the school and year, events in the order
`apps.students.rules.FOLLOWS` allows, at most one ongoing enrolment per child and year.
`apps/demo/tests/test_seed_demo.py` checks them on the written data."""

import datetime
import math
import random
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from apps.core.text import fold
from apps.demo.spec import VOCATIONAL, Profile
from apps.students.models import CensusStatus, DropoutReason, EnrolmentEvent, Grade
from apps.students.rules import is_ongoing

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

# The year before, 2024-2025 (planned from a generator of its own, so 2025-2026 is the same with it or without).
LAST = YEAR - 1
SEMESTER_1_LAST = (datetime.date(2024, 10, 1), datetime.date(2025, 1, 17))
AFTER_TET_LAST = (datetime.date(2025, 2, 10), datetime.date(2025, 4, 30))  # Tết 2025 is 29 January
# The grade a child sat the year before, when they moved up.
PREVIOUS = {"NT3": "NT2", "MG3": "NT3", "MG4": "MG3", "MG5": "MG4", "1": "MG5"} | {
    str(g): str(g - 1) for g in range(2, 13)
}
# The last grade of each level: a year there ends in a completion (of kindergarten, primary, lower and upper
# secondary) unless the child repeats it.
COMPLETING = {"MG5", "5", "9", "12"}
# Transfers between demo schools during 2024-2025: (from, grade, to, out on, in on); the child is at `to`, one
# grade up, in 2025-2026.
TRANSFERS_LAST = [
    ("48095003", "3", "48095002", datetime.date(2024, 11, 4), datetime.date(2024, 11, 6)),  # back to the hamlet's
    ("48010002", "3", "48050001", datetime.date(2025, 3, 10), datetime.date(2025, 3, 12)),  # moved to Hội An
]
# Came over the summer of 2024 from a school outside the demo.
TRANSFERS_IN_LAST = [
    ("48010003", "6", "Trường THCS Lý Tự Trọng, tỉnh Quảng Nam"),
    ("48095002", "3", "Trường PTDTBT Tiểu học Trà Vân"),
]
# Where the families who moved away before the 2025 census took their children: most went south for work.
MOVED_TO = {
    "primary": "Trường Tiểu học Lê Quý Đôn, tỉnh Bình Dương",
    "lower": "Trường THCS Nguyễn Văn Trỗi, tỉnh Bình Dương",
    "upper": "Trường THPT Dĩ An, tỉnh Bình Dương",
}

# --- The population: planned in memory (no database), then written in bulk ---------------------------------


@dataclass
class Stay:
    """A planned enrolment: a school, a grade, a class (none in 2024-2025) and the year's events (kind, on, reason,
    words, other school), the first on the opening day (or the day of a transfer between demo schools)."""

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
    last_year: list[Stay] = field(default_factory=list)  # their enrolments of 2024-2025, when planned


WORDS = Path(__file__).parent / "management" / "commands" / "seed_demo.toml"  # beside the command, as before


@cache
def words() -> dict:
    return tomllib.loads(WORDS.read_text("utf-8"))


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
    """Plans the demo's children for school year 2025-2026 from a seeded random generator, and with `last` (the
    opening day and end of teaching of 2024-2025) their year before from another."""

    def __init__(self, spec: dict, opening: datetime.date, last: tuple | None = None, seed: int = 48):
        self.spec = spec
        self.opening = opening
        self.last = last
        self.rng = random.Random(seed)
        self.last_rng = random.Random(seed * 10_000 + LAST)
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
        if self.last:
            self.history()
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

    def school_for(self, p: Profile, kid: Kid, grade: str, rng: random.Random | None = None) -> str:
        """Where a child of the commune studies that grade: a MOET code, or the name of a school outside the demo."""
        level = level_key(grade)
        if level == "primary" and p.primary_by_hamlet:
            return p.primary_by_hamlet[kid.hamlet]
        options = p.schools[level]
        if grade in ("1", "2"):  # the youngest pupils go to school where they live
            options = [o for o in options if self.school_commune.get(o[1]) == kid.commune]
        return (rng or self.rng).choices([school for _, school in options], weights=[share for share, _ in options])[0]

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

    def reason(self, kid: Kid, level: str, remote: bool, rng: random.Random | None = None, year: int = YEAR) -> str:
        age = year - kid.birth_date.year
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
        return str(pick(weights, rng or self.rng))

    def day(self, first: datetime.date, last: datetime.date, rng: random.Random | None = None) -> datetime.date:
        return first + datetime.timedelta(days=(rng or self.rng).randint(0, (last - first).days))

    # The year before, 2024-2025, for the same children.

    def history(self) -> None:
        """Where each child was in 2024-2025 (see `before`), with that year's transfers, a few repeaters and the
        completions of the last grade of each level. No classes: the tests of the other apps find the cast's
        classes by school and name alone, so a second "1A" per school would be ambiguous to them."""
        rng = self.last_rng
        for kid in self.kids:
            if stay := self.before(kid):
                kid.last_year.append(stay)
        for source, grade, target, out_on, in_on in TRANSFERS_LAST:
            kid, stay = self.first_last(target, grade)
            stay.events[0] = (Kind.TRANSFERRED_IN, in_on, "", "", self.school_name[source])
            events = [
                (Kind.ENROLLED, self.last[0], "", "", ""),
                (Kind.TRANSFERRED_OUT, out_on, "", "", self.school_name[target]),
            ]
            kid.last_year.insert(
                0, Stay(source, grade, events, stay.insured, self.school_commune[source] == kid.commune)
            )
        for moet, grade, other in TRANSFERS_IN_LAST:
            _kid, stay = self.first_last(moet, grade)
            stay.events[0] = (Kind.TRANSFERRED_IN, self.last[0], "", "", other)
        for kid in self.kids:
            age = LAST - kid.birth_date.year
            for stay in kid.last_year:
                repeats_now = any(now.grade == stay.grade for now in kid.stays)
                behind = level_key(stay.grade) in ("primary", "lower") and age > int(stay.grade) + 5
                if behind and not repeats_now and self.plain(stay) and rng.random() < 0.3:
                    stay.events.append((Kind.REPEATING, self.last[0], "", "", ""))
                if stay.grade in COMPLETING and is_ongoing(stay.events[-1][0]) and not repeats_now:
                    stay.events.append((Kind.COMPLETED, self.last[1], "", "", ""))

    def first_last(self, moet: str, grade: str) -> tuple[Kid, Stay]:
        """The first continuing child with a plain 2024-2025 enrolment at that school and grade."""
        return next(
            (k, s) for k in self.kids if k.stays for s in k.last_year if s.resident and self.plain(s, moet, grade)
        )

    def before(self, kid: Kid) -> Stay | None:
        """A child's enrolment of 2024-2025 at a demo school, if they had one. At a demo school now: one grade lower
        (the same grade if repeating it), at the same school while in the same level, else where their commune
        sends that grade; none if they came from outside over the summer. Not at one now: some were, and left —
        those out of school dropped out, some of those whose family moved away transferred out, and those who
        finished a level (or study outside the demo now) completed it there."""
        rng, age = self.last_rng, LAST - kid.birth_date.year
        p = self.spec["population"].get(kid.census["commune"]) if kid.census else None
        if kid.stays:
            now = kid.stays[0]  # the enrolment the year started with
            if now.events[0][0] == Kind.TRANSFERRED_IN:
                return None
            repeating = any(event[0] == Kind.REPEATING for event in now.events)
            grade = now.grade if repeating else PREVIOUS.get(now.grade)
            if grade is None:
                return None
            if p is not None and not self.attended(p, grade, now.grade):
                return None
            if level_key(grade) == level_key(now.grade) and (now.resident or grade not in ("1", "2")):
                moet = now.moet
            elif p is None:  # lives outside the demo: where they were before is not known here
                return None
            else:
                moet = self.school_for(p, kid, grade, rng)
            return self.was(kid, moet, grade, now.insured) if moet.isdigit() else None
        if p is None:
            return None
        census = kid.census
        if census["status"] == S.IN_SCHOOL and not census.get("claimed"):
            # At a school outside the demo now: at a demo school before only if they moved up a level since.
            now_grade = census["grade"] or ("10" if age == 14 else "")  # a vocational course after grade 9
            grade = PREVIOUS.get(now_grade)
            if grade is None or level_key(grade) == level_key(now_grade) or not self.attended(p, grade, now_grade):
                return None
            return self.left(kid, p, grade, None)
        if census["status"] in (S.IN_SCHOOL, S.NOT_IN_SCHOOL) and 6 <= age <= 15:
            # Out of school now (or only told the census otherwise), with no lower secondary diploma: more than
            # half of them dropped out during the year.
            grade = str(min(age - 5, 9))
            return self.left(kid, p, grade, Kind.DROPPED_OUT) if census.get("claimed") or rng.random() < 0.6 else None
        if census["status"] == S.COMPLETED_PRIMARY and 11 <= age <= 14 and rng.random() < 0.5:
            return self.left(kid, p, str(age - 5), Kind.DROPPED_OUT)
        if census["status"] == S.COMPLETED_LOWER_SECONDARY:
            if age == 14 and rng.random() < 0.9:
                return self.left(kid, p, "9", None)
            if age in (15, 16) and rng.random() < 0.4:
                return self.left(kid, p, str(age - 5), Kind.DROPPED_OUT)
            if age == 17 and rng.random() < min(1, p.teen["on_time"] / p.adult["diploma"]):
                return self.left(kid, p, "12", None)
        if census["status"] == S.MOVED_AWAY and 6 <= age <= 17 and rng.random() < 0.5:
            return self.left(kid, p, str(age - 5), Kind.TRANSFERRED_OUT)
        return None

    def attended(self, p: Profile, grade: str, now_grade: str) -> bool:
        """Whether a child at `now_grade` this year was at school last year, in `grade`: creche and kindergarten
        are not for every child, the later grades are."""
        share = {"NT2": p.creche.get(1, 0), "NT3": p.creche.get(2, 0)} | {f"MG{a}": p.kinder[a] for a in (3, 4, 5)}
        if grade not in share:
            return True
        return self.last_rng.random() < min(1, share[grade] / share.get(now_grade, 1))

    def was(self, kid: Kid, moet: str, grade: str, insured: bool) -> Stay:
        resident = self.school_commune[moet] == kid.commune
        insured = LAST - kid.birth_date.year < 6 or insured
        return Stay(moet, grade, [(Kind.ENROLLED, self.last[0], "", "", "")], insured, resident)

    def left(self, kid: Kid, p: Profile, grade: str, end: str | None) -> Stay | None:
        """A 2024-2025 enrolment at the school the child's commune sends `grade` to, ending with `end` (a dropout
        or a transfer out; a completion is added with the others)."""
        rng = self.last_rng
        moet = self.school_for(p, kid, grade, rng)
        if not moet.isdigit():
            return None
        stay = self.was(kid, moet, grade, rng.random() < p.insured)
        level = level_key(grade)
        if end == Kind.DROPPED_OUT:
            on = self.day(*(SEMESTER_1_LAST if rng.random() < 0.6 else AFTER_TET_LAST), rng=rng)
            reason = self.reason(kid, level, p.remote, rng, LAST)
            text = rng.choice(words()["dropout"]["other"]) if reason == R.OTHER else ""
            stay.events.append((Kind.DROPPED_OUT, on, reason, text, ""))
        elif end == Kind.TRANSFERRED_OUT:  # the family left in spring or over the summer, before the census
            on = self.day(AFTER_TET_LAST[0], datetime.date(LAST + 1, 6, 20), rng)
            stay.events.append((Kind.TRANSFERRED_OUT, on, "", "", MOVED_TO[level]))
        return stay


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


def plan_population(spec: dict, opening: datetime.date, last: tuple | None = None) -> list[Kid]:
    """The demo's children for school year 2025-2026 and, with `last` (2024-2025's opening day and end of
    teaching), their year before: the same lists every time (seeded)."""
    return Planner(spec, opening, last).plan()
