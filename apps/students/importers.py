"""Importing a roster exported from a school-management system (SMAS, vnEdu, the sector database) or typed by
hand. The same code serves the command line and the web; the census import (`census.py`) shares its reading.

Two passes: `plan_roster` reads, validates and matches every row without writing; `apply_roster` writes all of
it in one short transaction (or only the valid rows, when asked), in batches. A file with any error writes
nothing; a file imported twice changes nothing the second time; students missing from a newer roster are listed,
not changed.
"""

import csv
import dataclasses
import io
import logging
from dataclasses import dataclass, field
from functools import cache
from itertools import batched
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import audit_record
from apps.core.bulk import analyze_written, insert
from apps.core.models import AuditEvent
from apps.core.scoping import CHANGE, MANAGE, VIEW, get_scoped_or_404
from apps.core.spreadsheets import RowError
from apps.core.text import fold, nfc
from apps.imports.plan import Plan as BasePlan
from apps.imports.plan import Question, TableReader, check_file, read_vocabulary
from apps.orgunits import resolver
from apps.orgunits.models import OrgUnit
from apps.orgunits.names import by_qualifier, hamlet_key, split_qualifier
from apps.schools.models import School, SchoolYear
from apps.students import parsing
from apps.students.hooks import enrolments_written
from apps.students.identity import clean_personal_id
from apps.students.matching import CHUNK, Record, match_records
from apps.students.models import Child, ClassGroup, Enrolment, EnrolmentEvent, Guardian, levels_teaching
from apps.students.rules import CIRCUMSTANCES, ONGOING, OPENING, elsewhere_message, is_ongoing, roster_transition
from apps.students.selectors import enrolled_anywhere

logger = logging.getLogger(__name__)
HEADERS = Path(__file__).parent / "data" / "headers.csv"
BATCH = 1000  # rows per INSERT/UPDATE statement
Kind = EnrolmentEvent.Kind
STATUS = {
    "dang hoc": Kind.ENROLLED,
    "chuyen den": Kind.TRANSFERRED_IN,
    "chuyen di": Kind.TRANSFERRED_OUT,
    "thoi hoc": Kind.DROPPED_OUT,
    "bo hoc": Kind.DROPPED_OUT,
    "luu ban": Kind.REPEATING,
    "hoan thanh": Kind.COMPLETED,
    "tot nghiep": Kind.COMPLETED,
}
MATCHED_BY = {
    "": gettext_lazy("trẻ mới"),
    "personal_id": gettext_lazy("số định danh"),
    "learner_id": gettext_lazy("mã định danh CSDL ngành"),
    "student_code": gettext_lazy("mã học sinh của trường"),
    "name_birth_commune": gettext_lazy("họ tên, ngày sinh và xã"),
    "ambiguous": gettext_lazy("cần quyết định"),
    "address": gettext_lazy("cần chọn xã, thôn"),
    "decided": gettext_lazy("theo quyết định của bạn"),
}
FLAGS = tuple(CIRCUMSTANCES)  # every household circumstance a file may mark
# The cells `Reader.person` reads from every row, in the order it unpacks them.
PERSON_FIELDS = (
    "full_name",
    "last_middle_name",
    "given_name",
    "birth_date",
    "birth_day",
    "birth_month",
    "birth_year",
    "sex",
    "female_mark",
    "ethnicity",
    "learner_id",
    "personal_id",
    "health_insurance_number",
)
# Every field a column may hold, named for the user (the preview's mapping lists them in this order).
FIELD_LABELS = {
    "row_number": gettext_lazy("Số thứ tự (bỏ qua)"),
    "full_name": gettext_lazy("Họ và tên"),
    "last_middle_name": gettext_lazy("Họ và đệm"),
    "given_name": gettext_lazy("Tên"),
    "birth_date": gettext_lazy("Ngày sinh"),
    "birth_day": gettext_lazy("Ngày (sinh)"),
    "birth_month": gettext_lazy("Tháng (sinh)"),
    "birth_year": gettext_lazy("Năm sinh"),
    "sex": gettext_lazy("Giới tính"),
    "female_mark": gettext_lazy("Nữ"),
    "minority_girl": gettext_lazy("Nữ dân tộc"),
    "ethnicity": gettext_lazy("Dân tộc"),
    "nationality": gettext_lazy("Quốc tịch"),
    "personal_id": gettext_lazy("Số định danh cá nhân"),
    "learner_id": gettext_lazy("Mã định danh CSDL ngành"),
    "student_code": gettext_lazy("Mã học sinh (trường)"),
    "school_code": gettext_lazy("Mã trường"),
    "school_name": gettext_lazy("Tên trường"),
    "class_name": gettext_lazy("Lớp"),
    "grade": gettext_lazy("Khối"),
    "status": gettext_lazy("Trạng thái"),
    "census_status": gettext_lazy("Tình trạng đi học"),
    "surveyed_on": gettext_lazy("Ngày điều tra"),
    "province": gettext_lazy("Tỉnh"),
    "district": gettext_lazy("Huyện"),
    "commune": gettext_lazy("Xã"),
    "hamlet": gettext_lazy("Thôn, tổ dân phố"),
    "address": gettext_lazy("Địa chỉ"),
    "birth_place": gettext_lazy("Nơi sinh"),
    "father_name": gettext_lazy("Họ tên cha"),
    "father_birth_year": gettext_lazy("Năm sinh cha"),
    "father_job": gettext_lazy("Nghề nghiệp cha"),
    "mother_name": gettext_lazy("Họ tên mẹ"),
    "mother_birth_year": gettext_lazy("Năm sinh mẹ"),
    "mother_job": gettext_lazy("Nghề nghiệp mẹ"),
    "guardian_name": gettext_lazy("Họ tên người giám hộ"),
    "phone": gettext_lazy("Điện thoại"),
    "poor": gettext_lazy("Hộ nghèo"),
    "near_poor": gettext_lazy("Hộ cận nghèo"),
    "orphan": gettext_lazy("Mồ côi"),
    "disability": gettext_lazy("Khuyết tật"),
    "remote_area": CIRCUMSTANCES["remote_area"],
    "policy": gettext_lazy("Diện chính sách"),
    "health_insurance": gettext_lazy("Tham gia BHYT"),
    "health_insurance_number": gettext_lazy("Số thẻ BHYT"),
}


@cache
def vocabulary() -> dict[str, set[str]]:
    """The header vocabulary of rosters and censuses (shared/domain/headers.md), kept as data."""
    return read_vocabulary(HEADERS)


@dataclass(slots=True)
class Person(Record):
    """A valid row of a file, as far as the child is concerned; (from `Record`) which known child it is."""

    row: int = 0
    full_name: str = ""
    sex: str = ""
    ethnicity: str = "01"
    commune: OrgUnit | None = None
    hamlet: OrgUnit | None = None
    address: str = ""
    guardians: tuple = ()
    poor: bool = False
    near_poor: bool = False
    orphan: bool = False
    disability: bool = False
    remote_area: bool = False
    health_insurance: bool = False
    same_as: "Person | None" = None  # an earlier row of the file describing the same new child


@dataclass(slots=True)
class RowPlan(Person):
    """A valid row of a roster."""

    school: School | None = None
    class_name: str = ""
    grade: str = ""
    status: str = Kind.ENROLLED
    ongoing: bool = True  # the enrolment is ongoing once the row is written (`rules.is_ongoing`)


@dataclass
class Plan(BasePlan):
    """A roster's or a census's plan: the rows (typed `RowPlan`/`CensusRow`), for a school year; the students of
    the roster's schools missing from it; the addresses that need a commune chosen."""

    year: SchoolYear | None = None
    missing: list[Enrolment] = field(default_factory=list)
    address_questions: dict[str, list[OrgUnit]] = field(default_factory=dict)  # written address → candidates
    hamlet_questions: dict[str, tuple] = field(default_factory=dict)  # "code|name" → (commune, name, hamlets)

    @property
    def questions(self) -> list:
        """Rows that need a person's decision: a name + birth + commune match that is not unique, or an address
        naming a commune that was split between several of today's communes."""
        return [r for r in self.rows if r.rule in ("ambiguous", "address")]

    def typed_questions(self) -> list[Question]:
        """The questions in the import layer's one shape: each split address once, then each doubtful match."""
        asked = [
            Question(
                key=f"address:{written}",
                prompt=_("Địa chỉ “%(a)s” thuộc xã đã chia tách: chọn xã, phường hiện nay") % {"a": written},
                candidates=[(u.code, u.display_name) for u in communes],
            )
            for written, communes in self.address_questions.items()
        ]
        asked += [
            Question(
                key=f"hamlet:{key}",
                prompt=_("“%(h)s” ở %(c)s: có nhiều thôn mang tên này, chọn đúng thôn")
                % {"h": written, "c": commune.display_name},
                candidates=[(str(h.pk), hamlet_label(h)) for h in hamlets],
            )
            for key, (commune, written, hamlets) in self.hamlet_questions.items()
        ]
        asked += [
            Question(
                key=f"match:{r.row}",
                prompt=_("Dòng %(row)s: %(name)s (%(birth)s) có thể là trẻ đã có: chọn đúng trẻ, hoặc trẻ mới")
                % {"row": r.row, "name": r.full_name, "birth": birth_text(r)},
                candidates=[(str(c.pk), f"{c.full_name} ({birth_text(c)})") for c in r.candidates],
                allow_new=True,
            )
            for r in self.rows
            if r.rule == "ambiguous"
        ]
        return asked


def hamlet_label(hamlet: OrgUnit) -> str:
    return f"{hamlet.name} ({hamlet.qualifier})" if hamlet.qualifier else hamlet.name


def birth_text(record) -> str:
    return record.birth_date.strftime("%d/%m/%Y") if record.birth_date else str(record.birth_year or "")


@dataclass(frozen=True, slots=True)
class _Refused:
    message: str


class Reader(TableReader):
    """Reads one roster's or census's rows: the table (`TableReader`), then the person fields every kind of file
    shares (name, birth, sex, ethnicity, identifiers, residence, guardians). Addresses and hamlets are resolved
    once per distinct value."""

    def __init__(self, plan: Plan, *, decisions: dict, actor, within: OrgUnit | None = None, on=None):
        super().__init__(plan, vocabulary=vocabulary(), labels=FIELD_LABELS)
        self.decisions = decisions
        self.within = within
        # Only hamlets the actor may see name, decide or are offered (nobody learns of a hamlet through a file).
        self.hamlets = OrgUnit.objects.restrict(actor, VIEW).filter(type=OrgUnit.Type.HAMLET)
        self._resolved: dict[str, object] = {}  # address text → Resolution
        self._memo = resolver.Memo()
        self._hamlets: dict[int, dict[str, list[OrgUnit]]] = {}  # commune id → {hamlet key: hamlets}
        self.relations = {"father_name": _("Cha"), "mother_name": _("Mẹ"), "guardian_name": _("Người giám hộ")}
        self.guardian_fields = tuple(self.relations)
        self._present: dict[tuple, tuple] = {}
        self._chosen: dict[tuple, tuple] = {}  # (commune id, hamlet as written) → (hamlet, pending)
        self._person = None  # the person fields' cells of a row, in one call (`TableReader.getter`)
        self._guardians = None  # the guardians' cells and the phone, likewise
        self._read: dict[tuple, object] = {}  # (reader, text) → value or ValueError: each distinct text read once
        self.today = on or timezone.localdate()  # the day the file is read on (a birth date after it is refused)
        self._places = None  # the address cells of a row, in one call
        self._residences: dict[tuple, tuple] = {}  # address cells → (residence, problems)

    def present(self, *names: str) -> tuple[str, ...]:
        """Those of the fields that the file has a column for (remembered per set of names)."""
        if names not in self._present:
            self._present[names] = tuple(n for n in names if n in self.columns)
        return self._present[names]

    def name(self, row) -> str:
        return self.cell(row, "full_name") or " ".join(
            p for p in (self.cell(row, "last_middle_name"), self.cell(row, "given_name")) if p
        )

    def read(self, reader, text: str):
        """`reader(text)` (a `parsing` function), worked out once per distinct text of the file: a roster repeats a
        few thousand birth dates, two sexes and a handful of ethnic groups over its rows. Raises its ValueError."""
        key = (reader, text)
        value = self._read.get(key)
        if value is None:
            try:
                value = reader(text)
            except ValueError as exc:
                value = _Refused(str(exc))
            self._read[key] = value
        if type(value) is _Refused:
            raise ValueError(value.message)  # a new exception each time: one raised again would grow its traceback
        return value

    def _birth(self, text: str):
        return parsing.birth(text, today=self.today)

    def person(self, target: Person, row: list[str], error) -> None:
        """Name, birth, sex, ethnicity, identifiers, circumstances and guardians, into `target`. The cells come as
        `read_sheet` gives them: NFC text with single spaces."""
        if self._person is None:
            self._person = self.getter(PERSON_FIELDS)
        full, last, given, born, day, month, year, sex, female, ethnic, lid, pid, card = self._person(row)
        target.full_name = full or " ".join(p for p in (last, given) if p)
        target.full_name_folded = fold(target.full_name)
        columns, read = self.columns, self.read
        try:
            if born and "birth_date" in columns:
                target.birth_date, target.birth_year = read(self._birth, born)
            elif day and month:
                target.birth_date, target.birth_year = read(self._birth, f"{day}/{month}/{year}")
            else:
                target.birth_date, target.birth_year = read(self._birth, year)
        except ValueError as exc:
            name = "birth_date" if "birth_date" in columns else "birth_year"
            error(name, self.cell(row, name), str(exc))
        try:
            if "sex" in columns:
                target.sex = read(parsing.sex, sex)
            else:
                target.sex = "F" if read(parsing.flag, female) else "M"
        except ValueError as exc:
            error("sex" if "sex" in columns else "female_mark", sex if "sex" in columns else female, str(exc))
        try:
            target.ethnicity = read(parsing.ethnicity, ethnic)
        except ValueError as exc:
            error("ethnicity", ethnic, str(exc))
        cell = self.cell
        for name in self.present(*FLAGS, "health_insurance", "minority_girl"):  # absent columns cost nothing
            try:
                value = read(parsing.flag, cell(row, name))
            except ValueError as exc:
                error(name, cell(row, name), str(exc))
                continue
            if name == "minority_girl":
                if value and (target.sex == "M" or target.ethnicity == "01"):
                    error(name, cell(row, name), _("đánh dấu nữ dân tộc thiểu số nhưng giới tính hoặc dân tộc khác"))
            else:
                setattr(target, name, value)
        if not target.health_insurance and card:
            target.health_insurance = True  # a card number is participation
        target.learner_id = parsing.code(lid) if lid else ""
        if pid and target.birth_year and target.sex:
            try:
                target.personal_id = clean_personal_id(pid, birth_year=target.birth_year, sex=target.sex) or ""
            except ValidationError as exc:
                error("personal_id", pid, " ".join(exc.messages))
        if self.present(*self.guardian_fields):
            if self._guardians is None:
                self._guardians = self.getter((*self.guardian_fields, "phone"))
            father, mother, other, phone = self._guardians(row)
            relations = self.relations
            target.guardians = tuple(  # the phone goes to the mother, or to the first guardian when there is none
                (name, relations[f], phone if f == "mother_name" or not mother else "")
                for f, name in (("father_name", father), ("mother_name", mother), ("guardian_name", other))
                if name
            )

    def hamlets_named(self, commune: OrgUnit, written: str) -> list[OrgUnit]:
        """The commune's current hamlets a name fits ("Thôn 1", "TDP 01"); namesakes in a merged commune are told
        apart by the former commune in brackets ("Thôn 1 (xã Trà Nam cũ)")."""
        if commune.pk not in self._hamlets:
            index: dict[str, list[OrgUnit]] = {}
            for unit in self.hamlets.filter(parent=commune, valid_to__isnull=True):
                index.setdefault(unit.name_folded, []).append(unit)
            self._hamlets[commune.pk] = index
        name, qualifier = split_qualifier(written)
        return by_qualifier(self._hamlets[commune.pk].get(hamlet_key(name), []), qualifier)

    def _resolve(self, text: str):
        if text not in self._resolved:
            with resolver.batch(self._memo):  # units and successions read once per file
                self._resolved[text] = resolver.resolve(text, within=self.within, hamlets=self.hamlets)
        return self._resolved[text]

    def choose_hamlet(self, commune: OrgUnit, written: str, found: list[OrgUnit]) -> tuple[OrgUnit | None, bool]:
        """(hamlet, whether a person must choose it): the one hamlet a name fits, the user's answer among namesakes,
        else a question (asked once per commune and written name, never left blank)."""
        if len(found) < 2:
            return (found[0] if found else None), False
        key = f"{commune.code}|{written}"
        chosen = [h for h in found if str(h.pk) == self.decisions.get(("hamlet", key))]
        if chosen:
            return chosen[0], False
        found = sorted(found, key=lambda h: (h.name_folded, fold(h.qualifier)))
        self.plan.hamlet_questions.setdefault(key, (commune, written, found))
        return None, True

    def residence(self, row, fallback: OrgUnit | None, error):
        """(commune, hamlet, address as written, pending) where the child lives, resolved to today's units;
        `pending` when the address needs a decision: an old commune split between several of today's (commune
        None; asked once per distinct value, the hamlet deciding first where it can), or namesake hamlets of a
        merged commune that nothing in the text tells apart. Without address columns: `fallback`. Worked out once
        per distinct set of address cells (a school's rows repeat a few hundred addresses)."""
        if self._places is None:
            self._places = self.getter(("commune", "district", "province", "hamlet", "address"))
        cells = self._places(row)
        if not any(cells):
            return fallback, None, "", False
        known = self._residences.get(cells)
        if known is None:
            problems = []
            known = self._residences[cells] = (self._residence(*cells, lambda *a: problems.append(a)), problems)
        for problem in known[1]:
            error(*problem)
        return known[0]

    def _residence(self, commune_text, district, province, hamlet_name, address, error):
        units = [p for p in (commune_text, district, province) if p]
        written = ", ".join([hamlet_name, *units] if hamlet_name else units) or address
        # Resolved once per distinct commune, district and province; with the hamlet only when that commune was
        # split (the hamlet may tell which of today's communes the child lives in).
        result = self._resolve(", ".join(units)) if units and hamlet_name else None
        if result is None or len([u for u in result.units if u.is_commune_level]) > 1:
            result = self._resolve(written)
        communes = [u for u in result.units if u.is_commune_level]
        if len(communes) > 1:
            chosen = [u for u in communes if u.code == self.decisions.get(("address", written))]
            if not chosen:
                self.plan.address_questions.setdefault(written, communes)
                return None, None, written, True
            communes = chosen
        if not communes:
            name = "commune" if "commune" in self.columns else ("hamlet" if "hamlet" in self.columns else "address")
            error(name, written, _("không tìm thấy xã, phường nào"))
            return None, None, written, False
        commune = communes[0]
        hamlet, pending = result.hamlet, False
        if hamlet is None:
            key = (commune.pk, hamlet_name or written)
            if key not in self._chosen:  # once per commune and hamlet name
                found = self.hamlets_named(commune, hamlet_name) if hamlet_name else []
                found = found or [h for h in getattr(result, "hamlet_candidates", []) if h.parent_id == commune.pk]
                self._chosen[key] = self.choose_hamlet(commune, hamlet_name or written, found)
            hamlet, pending = self._chosen[key]
        if pending:
            return commune, None, written, True
        return commune, hamlet, written, False


def match(rows: list, decisions: dict, actor) -> None:
    """Match the rows to known children (`matching.match_records`: by personal or learner ID anywhere, by name and
    birth only among the children the actor may see), apply the user's answers to doubtful matches ("new" or one
    of the candidates), and make rows of the file that name the same new child one child."""
    match_records([r for r in rows if r.rule != "address"], visible=Child.objects.restrict(actor, VIEW))
    for r in rows:
        choice = decisions.get(("match", r.row), "")
        if r.rule == "ambiguous" and choice:
            chosen = next((c for c in r.candidates if str(c.pk) == choice), None)
            if choice == "new" or chosen is not None:
                r.child_id, r.rule = (chosen.pk if chosen else None), "decided"
    same_children(rows)


def same_children(rows: list) -> None:
    """Rows of one file that name the same child not known yet (same personal or learner ID) become one child:
    a later row points at the first (`same_as`)."""
    first: dict[tuple[str, str], object] = {}
    for r in rows:
        if r.child_id is not None or r.rule in ("ambiguous", "address"):
            continue
        for key in (("p", r.personal_id), ("l", r.learner_id)):
            if key[1]:
                if key in first:
                    r.same_as = first[key]
                    break
        else:
            for key in (("p", r.personal_id), ("l", r.learner_id)):
                if key[1]:
                    first[key] = r


PERSON_REQUIRED = ({"full_name"}, {"last_middle_name", "given_name"})  # a name, whole or in two columns


class RosterReader(Reader):
    """A roster's reader: the person fields (`Reader`), and what is remembered from row to row: each school code's
    school, the student codes and identifiers seen (a duplicate within the file is an error)."""

    def __init__(self, plan: Plan, *, decisions: dict, actor, school: School | None, on=None):
        super().__init__(plan, decisions=decisions, actor=actor, on=on)
        self.actor, self.school = actor, school
        self.schools: dict[str, School | None] = {}  # school code → the school, when the actor manages it
        self.codes_seen: dict[tuple[int, str], int] = {}  # (school, student code) → row
        self.ids_seen: dict[tuple[str, str], tuple[int, int]] = {}  # (field, identifier) → (school, row)
        self._cells = None

    def school_of(self, code: str) -> School | None:
        if code not in self.schools:
            self.schools[code] = _school(self.actor, code)
        return self.schools[code]

    def ready(self) -> bool:
        """A file for no one school must say each row's school."""
        if self.school is None and "school_code" not in self.columns:
            plan = self.plan
            plan.errors.append(
                _("Tệp %(file)s không có cột “Mã trường”: hãy chọn trường nhập vào.") % {"file": plan.filename}
            )
            plan.target_missing = True
            return False
        return True


def roster_row(run, number: int, row: list[str], error) -> RowPlan | None:
    """One row of a roster: the school (the file's, or its school code's), the child (`Reader.person`), the class
    and grade, the status, where the child lives; duplicates of an earlier row's student code or identifiers."""
    reader: RosterReader = run.reader
    if reader._cells is None:
        fields = ("full_name", "last_middle_name", "given_name", "student_code", "school_code", "class_name", "grade")
        reader._cells = reader.getter((*fields, "status"))
    full, last, given, code, moet, class_name, grade, status_text = reader._cells(row)
    if not (full or last or given or code):
        return None  # notes and signatures under the table ("Người lập biểu", "HIỆU TRƯỞNG")
    target = RowPlan(row=number)
    row_school = reader.school
    if row_school is None:
        moet = parsing.code(moet)
        row_school = reader.school_of(moet)
        if row_school is None:
            error("school_code", moet, _("không có trường nào mang mã này, hoặc bạn không quản lý trường này"))
    target.school = row_school
    target.school_id = row_school.pk if row_school else None
    reader.person(target, row, error)
    target.student_code = parsing.code(code) if code else ""
    target.class_name = class_name
    try:
        target.grade, levels = reader.read(_grade, (class_name, grade))
        if row_school is not None and not row_school.levels & levels:
            error("class_name", target.class_name, _("%(school)s không dạy khối này") % {"school": row_school.name})
    except ValueError as exc:
        error("class_name", target.class_name, str(exc))
    status = fold(status_text) if status_text else ""
    target.status = STATUS.get(status, Kind.ENROLLED)
    if status and status not in STATUS:
        error("status", status_text, _("trạng thái không có trong danh mục"))
    fallback = row_school.location if row_school else None
    target.commune, target.hamlet, target.address, pending = reader.residence(row, fallback, error)
    target.commune_id = target.commune.pk if target.commune else None
    if row_school is not None:
        if target.student_code:
            key = (row_school.pk, target.student_code)
            if key in reader.codes_seen:
                message = _("trùng với dòng %(r)s trong cùng tệp") % {"r": reader.codes_seen[key]}
                error("student_code", target.student_code, message)
            reader.codes_seen.setdefault(key, number)
        for name, value in (("personal_id", target.personal_id), ("learner_id", target.learner_id)):
            seen = reader.ids_seen.setdefault((name, value), (row_school.pk, number)) if value else None
            if seen and seen != (row_school.pk, number) and seen[0] == row_school.pk:
                error(name, value, _("trùng với dòng %(r)s trong cùng tệp") % {"r": seen[1]})
    if pending:  # an address that needs a decision
        target.rule = "address"
    return target


def check_roster(run) -> None:
    """Across the rows: who each child is (`match`), then whether each status may follow the enrolment's."""
    match(run.plan.rows, run.decisions, run.actor)
    _check_statuses(run.plan)


def plan_roster(
    *,
    actor,
    filename: str,
    data: bytes,
    year: SchoolYear,
    school: School | None = None,
    progress=None,
    decisions: dict | None = None,
    columns: dict | None = None,
    on=None,
) -> Plan:
    """Read, validate and match every row (the roster kind through `apps.imports.plan.check_file`) as on day `on`
    (today); write nothing.
    `progress(done, total)` is called now and then. `decisions` answers the questions of an earlier run (see
    `decisions_csv`); `columns` ({field: column number or None}) overrides the mapping found from the headers."""
    from apps.imports.registry import get

    return check_file(
        get("students.roster"),
        actor=actor,
        filename=filename,
        data=data,
        params={"year": year, "school": school, "on": on},
        decisions=decisions,
        columns=columns,
        progress=progress,
    )


def _grade(cells: tuple[str, str]) -> tuple[str, int]:
    """(grade, the levels teaching it) from a row's class name and grade cells."""
    grade = parsing.grade(*cells)
    return grade, levels_teaching(grade)


def _school(actor, moet: str) -> School | None:
    school = School.objects.filter(moet_code=moet).first()
    if school is None:
        return None
    try:
        return get_scoped_or_404(School.objects.all(), actor, MANAGE, pk=school.pk)
    except (Http404, PermissionDenied):
        return None


def current_enrolments(schools, year) -> dict[tuple[int, int], tuple]:
    """{(child id, school id): (enrolment id, grade, class id, student code, health insurance, status, date of the
    latest event)} for the schools' enrolments of the year: two plain queries, no model instances (the latest
    event of each enrolment is taken while reading them in order, not by a subquery per enrolment)."""
    latest = {}
    events = (
        EnrolmentEvent.objects.filter(enrolment__school__in=schools, enrolment__year=year)
        .order_by("enrolment_id", "on", "pk")
        .values_list("enrolment_id", "kind", "on")
    )
    for enrolment_id, kind, on in events.iterator(chunk_size=10_000):
        latest[enrolment_id] = (kind, on)
    rows = Enrolment.objects.filter(school__in=schools, year=year).values_list(
        "child_id", "school_id", "pk", "grade", "class_group_id", "student_code", "health_insurance"
    )
    return {(r[0], r[1]): (*r[2:], *latest.get(r[2], (None, None))) for r in rows.iterator(chunk_size=10_000)}


def _check_statuses(plan: Plan) -> None:
    """A status the file gives that cannot follow the enrolment's current one is an error on that row; students
    of the roster's schools missing from the file are listed (and stay as they are)."""
    schools = {r.school_id for r in plan.rows}  # ids: a set of 200,000 model instances hashes each
    if not schools:
        return
    current = current_enrolments(schools, plan.year)
    listed = set()
    valid = []
    for r in plan.rows:
        now = current.get((r.child_id, r.school_id)) if r.child_id else None
        r.ongoing = is_ongoing(r.status)
        if now is not None:
            listed.add(now[0])
            try:
                kind = roster_transition(now[5], r.status)
            except ValueError as exc:
                status = RowError(r.row, str(FIELD_LABELS["status"]), str(Kind(r.status).label), str(exc))
                plan.reject(r.row, None, [status])
                continue
            r.ongoing = is_ongoing(kind or now[5])
        valid.append(r)
    plan.rows = _not_ongoing_elsewhere(plan, valid, current)
    gone = [v[0] for v in current.values() if v[0] not in listed and is_ongoing(v[5])]
    codes = {(r.school_id, r.student_code) for r in plan.rows if r.student_code}
    for chunk in batched(gone, CHUNK):
        for e in (
            Enrolment.objects.with_status()
            .filter(pk__in=chunk)
            .select_related("child", "school")
            .order_by("student_code")
        ):
            if (e.school_id, e.student_code) not in codes:
                plan.missing.append(e)


def _not_ongoing_elsewhere(plan: Plan, rows: list, current: dict) -> list:
    """The rows left once those that would give a child a second ongoing enrolment this school year are refused:
    ongoing at another school (unless this file records the child leaving it), or twice in this file. The message
    names nothing of the other school (`rules.elsewhere_message`)."""
    leaving = {(r.child_id, r.school_id) for r in rows if r.child_id and not r.ongoing}
    # A child ongoing at the row's own school has no other ongoing enrolment (the database says so): not asked.
    here = {key for key, now in current.items() if is_ongoing(now[5])}
    known = [r.child_id for r in rows if r.child_id and r.ongoing and (r.child_id, r.school_id) not in here]
    elsewhere = enrolled_anywhere(known, plan.year.start_year) if known else {}
    kept, claimed, here = [], {}, {}
    for r in rows:
        person = r.child_id or id(r.same_as or r)
        if r.rule not in ("ambiguous", "address"):
            if (person, r.school_id) in here:  # one child, one school, twice in the file
                message = _("trùng với dòng %(r)s trong cùng tệp") % {"r": here[(person, r.school_id)]}
                plan.reject(r.row, None, [RowError(r.row, str(FIELD_LABELS["full_name"]), r.full_name, message)])
                continue
            here[(person, r.school_id)] = r.row
        if r.ongoing and r.rule not in ("ambiguous", "address"):
            other = elsewhere.get(r.child_id)
            if (other and other[1] != r.school_id and (r.child_id, other[1]) not in leaving) or (
                claimed.get(person, r.school_id) != r.school_id
            ):
                plan.reject(
                    r.row, None, [RowError(r.row, str(FIELD_LABELS["full_name"]), r.full_name, elsewhere_message())]
                )
                continue
            claimed[person] = r.school_id
        kept.append(r)
    return kept


@dataclass
class Result:
    created_children: int = 0
    created_enrolments: int = 0
    updated: int = 0
    events: int = 0
    skipped: int = 0

    @property
    def changed(self) -> bool:
        return any((self.created_children, self.created_enrolments, self.updated, self.events))


def refuse_unfinished(plan: Plan, only_valid: bool) -> None:
    """With errors or rows needing a decision, nothing is written unless only the valid rows are asked for."""
    if plan.errors and not only_valid:
        raise ValidationError(
            _("Tệp %(file)s có %(n)s lỗi; không có gì được ghi.") % {"file": plan.filename, "n": len(plan.errors)}
        )
    if plan.questions and not only_valid:
        raise ValidationError(
            _("Tệp %(file)s còn %(n)s dòng cần quyết định; không có gì được ghi.")
            % {"file": plan.filename, "n": len(plan.questions)}
        )


def apply_roster(*, actor, plan: Plan, only_valid: bool = False, on=None) -> Result:
    """Write the plan in one transaction, in batches: new children (and their guardians), classes, enrolments,
    the events that status changes make (dated `on`, today, within the school year), and one audit event."""
    return write_plan(
        actor=actor,
        plan=plan,
        only_valid=only_valid,
        result=Result(),
        write=lambda rows, known, result: _write_enrolments(actor, plan.year, rows, result, on),
        action="students.roster_import",
        object_type="students.enrolment",
        org_unit=lambda rows: rows[0].school.managed_by,
    )


def write_plan(*, actor, plan: Plan, only_valid: bool, result, write, action: str, object_type: str, org_unit):
    """The second pass of every import: refuse an unfinished plan (unless only the valid rows are asked for),
    then in one transaction create the new children, fill the identifiers known children lacked, let
    `write(rows, known, result)` write the rest (`known`: the rows of children known before), and record one
    audit event for the file. A clash with data written since the check writes nothing and says so."""
    refuse_unfinished(plan, only_valid)
    rows = [r for r in plan.rows if r.rule not in ("ambiguous", "address")]
    result.skipped = len(plan.rows) - len(rows)
    try:
        with transaction.atomic():
            known = [r for r in rows if r.child_id is not None]
            result.created_children = create_children(r for r in rows if r.child_id is None and r.same_as is None)
            for r in rows:
                if r.same_as is not None:
                    r.child_id = r.same_as.child_id
            fill_identifiers(rows, result, actor)
            write(rows, known, result)
            if result.changed:
                audit_record(
                    actor=actor,
                    action=action,
                    kind=AuditEvent.Kind.BULK,
                    object_type=object_type,
                    object_repr=plan.filename[:255],
                    org_unit=org_unit(rows),
                    changes={
                        "file": plan.filename,
                        "year": plan.year.name,
                        "rows": len(plan.rows),
                        **dataclasses.asdict(result),
                        "errors_skipped": len(plan.errors),
                    },
                )
    except IntegrityError as exc:  # someone wrote the same child, code or enrolment between the check and now
        logger.warning("import of %s: %s", plan.filename, exc)
        raise ValidationError(
            _("Dữ liệu đã thay đổi trong lúc nhập tệp %(file)s; không có gì được ghi, hãy kiểm tra lại tệp.")
            % {"file": plan.filename}
        ) from exc
    return result


CHILD_FIELDS = (
    "full_name",
    "name_folded",
    "birth_date",
    "birth_year",
    "sex",
    "ethnicity",
    "personal_id",
    "learner_id",
    "commune_id",
    "hamlet_id",
    "address_as_written",
    "poor",
    "near_poor",
    "orphan",
    "disability",
    "remote_area",
)


def create_children(rows) -> int:
    """New children (and guardians) for rows that matched nobody, in batches; each row gets its `child_id`.
    The values were checked row by row in the plan (`Reader.person`), as `services.child_create` checks them."""
    created = 0
    for chunk in batched(rows, BATCH * 10):
        ids = insert(
            Child,
            CHILD_FIELDS,
            (
                (
                    r.full_name,
                    r.full_name_folded,
                    r.birth_date,
                    r.birth_year,
                    r.sex,
                    r.ethnicity,
                    r.personal_id or None,
                    r.learner_id or None,
                    r.commune_id,
                    r.hamlet.pk if r.hamlet else None,
                    r.address[:255],
                    r.poor,
                    r.near_poor,
                    r.orphan,
                    r.disability,
                    r.remote_area,
                )
                for r in chunk
            ),
            ids=True,
        )
        guardians = []
        for r, child_id in zip(chunk, ids, strict=True):
            r.child_id = child_id
            guardians += [(child_id, n, rel, p) for n, rel, p in r.guardians]
        insert(Guardian, ("child_id", "full_name", "relation", "phone"), guardians)
        created += len(ids)
    return created


def fill_identifiers(rows, result: Result, actor) -> None:
    """Known children whose personal ID, learner ID or birth date was missing get it from the file, when the actor
    may change them (a child matched by an identifier outside the actor's reach is enrolled, never updated). What
    each matched child already holds was read while matching (`Record.known`); only the others are read here."""
    wanted = {r.child_id: r for r in rows if r.rule and (r.personal_id or r.learner_id or r.birth_date)}
    lacking = {}
    for pk, r in wanted.items():
        known = r.known
        if (
            known is None
            or (r.personal_id and not known[0])
            or (r.learner_id and not known[1])
            or (r.birth_date and not known[2])
        ):
            lacking[pk] = r
    changed = []
    changeable = Child.objects.restrict(actor, CHANGE)
    for chunk in batched(lacking, CHUNK):
        known = changeable.filter(pk__in=chunk).values_list(
            "pk", "personal_id", "learner_id", "birth_date", "birth_year"
        )
        for pk, personal_id, learner_id, birth_date, birth_year in known:
            r = lacking[pk]
            if (
                (r.personal_id and not personal_id)
                or (r.learner_id and not learner_id)
                or (r.birth_date and not birth_date and r.birth_year == birth_year)
            ):
                changed.append(
                    Child(
                        pk=pk,
                        personal_id=personal_id or r.personal_id or None,
                        learner_id=learner_id or r.learner_id or None,
                        birth_date=birth_date or r.birth_date,
                    )
                )
    Child.objects.bulk_update(changed, ["personal_id", "learner_id", "birth_date"], batch_size=BATCH)
    result.updated += len(changed)


def _classes(schools, year, rows) -> dict[tuple[int, str], int]:
    """{(school id, class name): class id}, creating the classes the file names that do not exist yet."""
    known = {
        (s, n): pk
        for s, n, pk in ClassGroup.objects.filter(school__in=schools, year=year).values_list("school_id", "name", "pk")
    }
    new = {}
    for r in rows:
        key = (r.school_id, r.class_name)
        if r.class_name and key not in known and key not in new:
            new[key] = ClassGroup(school_id=r.school_id, year_id=year.pk, name=r.class_name, grade=r.grade)
    ClassGroup.objects.bulk_create(new.values(), batch_size=BATCH)
    known.update({key: group.pk for key, group in new.items()})
    return known


def _write_enrolments(actor, year, rows, result: Result, on=None) -> None:
    """Classes, enrolments and events in batches. Enrolments a child leaves are marked so before the new ones are
    inserted, so that a transfer within one file never holds two ongoing enrolments at once (the database refuses
    that: `one_ongoing_enrolment_per_year`)."""
    schools = {r.school_id for r in rows}
    classes = _classes(schools, year, rows)
    current = current_enrolments(schools, year)
    today = on or timezone.localdate()
    changed_on = max(year.opening_day, min(today, year.ends_on))  # a status the file changes, on a new enrolment
    year_id, start_year, actor_id = year.pk, year.start_year, actor.pk
    created, changed, events = [], [], []
    leaving, returning = [], []  # existing enrolments whose `ongoing` changes with this file
    touched = []  # existing enrolments given an event
    for r in rows:
        status = r.status
        fields = (r.grade, classes.get((r.school_id, r.class_name)), r.student_code, r.health_insurance)
        now = current.get((r.child_id, r.school_id))
        if now is None:
            created.append(((r.child_id, r.school_id, year_id, *fields, start_year, status in ONGOING), status))
            continue
        pk, grade, class_id, code, insured, was, last_on = now
        if (grade, class_id, code, insured) != fields:
            grade, class_id, code, insured = fields
            changed.append(
                Enrolment(pk=pk, grade=grade, class_group_id=class_id, student_code=code, health_insurance=insured)
            )
        kind = roster_transition(was, status)
        if kind is not None:
            on = max(last_on, min(max(today, year.starts_on), year.ends_on))
            events.append(_event(actor_id, pk, kind, on))
            touched.append(pk)
            if is_ongoing(kind) != is_ongoing(was):
                (returning if is_ongoing(kind) else leaving).append(pk)
    for chunk in batched(leaving, BATCH):
        Enrolment.objects.filter(pk__in=chunk).update(ongoing=False)
    ids = insert(Enrolment, ENROLMENT_FIELDS, (values for values, _status in created), ids=True)
    for chunk in batched(returning, BATCH):
        Enrolment.objects.filter(pk__in=chunk).update(ongoing=True)
    opening, enrolled = year.opening_day, Kind.ENROLLED
    for enrolment_id, (_values, status) in zip(ids, created, strict=True):
        first = status if status in OPENING else enrolled  # how a new enrolment starts; then the file's status
        events.append((enrolment_id, first, opening, actor_id, "", ""))
        if status != first:
            events.append(_event(actor_id, enrolment_id, roster_transition(first, status), changed_on))
    Enrolment.objects.bulk_update(
        changed, ["grade", "class_group_id", "student_code", "health_insurance"], batch_size=BATCH
    )
    insert(EnrolmentEvent, EVENT_FIELDS, events)
    # The hooks below read what was just written (the count refresh joins enrolments, events and children)
    analyze_written({Child: result.created_children, Enrolment: len(ids), EnrolmentEvent: len(events)})
    enrolments_written([*ids, *(e.pk for e in changed), *touched])
    result.created_enrolments += len(created)
    result.updated += len(changed)
    result.events += len(events) - len(created)


ENROLMENT_FIELDS = (
    "child_id",
    "school_id",
    "year_id",
    "grade",
    "class_group_id",
    "student_code",
    "health_insurance",
    "start_year",
    "ongoing",
)
EVENT_FIELDS = ("enrolment_id", "kind", "on", "recorded_by_id", "reason", "reason_text")


def _event(actor_id, enrolment_id, kind, on) -> tuple:
    """An event's values (EVENT_FIELDS); a dropout read from a file has the reason "other", saying so."""
    dropped = kind == Kind.DROPPED_OUT
    return (
        enrolment_id,
        kind,
        on,
        actor_id,
        "other" if dropped else "",
        _("Theo danh sách nhập từ tệp") if dropped else "",
    )


DECISION_COLUMNS = ["kind", "row", "value", "candidates", "choice"]


def decisions_csv(plan: Plan) -> str:
    """A draft of the decisions the plan needs: fill the `choice` column and pass the file back."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(DECISION_COLUMNS)
    for written, communes in plan.address_questions.items():
        candidates = " | ".join(f"{u.code} {u.name}" for u in communes)
        writer.writerow(["address", "", written, candidates, ""])
    for key, (_commune, _written, hamlets) in plan.hamlet_questions.items():
        candidates = " | ".join(f"{h.pk} {hamlet_label(h)}" for h in hamlets)
        writer.writerow(["hamlet", "", key, candidates, ""])
    for row in plan.questions:
        if row.rule == "ambiguous":
            candidates = " | ".join(f"{c.pk} {c.full_name} {c.birth_date or c.birth_year}" for c in row.candidates)
            writer.writerow(["match", row.row, row.full_name, candidates + " | new", ""])
    return out.getvalue()


def read_decisions(text: str) -> dict:
    """{("address", written): commune code, ("hamlet", "code|name"): hamlet id, ("match", row): child id or "new"}
    from a filled-in draft."""
    decisions = {}
    for row in csv.DictReader(io.StringIO(text)):
        choice = (row.get("choice") or "").strip()
        if not choice:
            continue
        if row["kind"] == "address":
            decisions[("address", nfc(row["value"]))] = choice.split()[0].zfill(5)
        elif row["kind"] == "hamlet":
            decisions[("hamlet", nfc(row["value"]))] = choice.split()[0]
        elif row["kind"] == "match":
            decisions[("match", int(row["row"]))] = choice.split()[0]
    return decisions
