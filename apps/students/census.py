"""Importing a commune's census (điều tra phổ cập): every child aged 0–18 living in its hamlets, in school or not,
for a school year. The census is the denominator of every enrolment rate; its children are matched to the known
ones by the same four rules as rosters, so that children in neither list are found.

Same two passes as the roster import (`importers.py`, whose reading it shares): `plan_census` writes nothing;
`apply_census` writes everything in one short transaction, or nothing.
"""

import datetime
from dataclasses import dataclass
from itertools import batched

from django.utils.translation import gettext as _

from apps.core.bulk import analyze_written
from apps.core.scoping import CHANGE, get_scoped_or_404
from apps.core.spreadsheets import RowError
from apps.core.text import fold
from apps.imports.plan import check_file
from apps.orgunits.models import OrgUnit
from apps.schools.models import School, SchoolYear
from apps.students import parsing
from apps.students.hooks import census_written
from apps.students.importers import (
    FIELD_LABELS,
    Person,
    Plan,
    Reader,
    match,
    write_plan,
)
from apps.students.models import CensusRecord, CensusStatus, Child

MAX_AGE = 18
CENSUS_STATUS = {
    "dang hoc": CensusStatus.IN_SCHOOL,
    "di hoc": CensusStatus.IN_SCHOOL,
    "dang di hoc": CensusStatus.IN_SCHOOL,
    "co di hoc": CensusStatus.IN_SCHOOL,
    "khong di hoc": CensusStatus.NOT_IN_SCHOOL,
    "chua di hoc": CensusStatus.NOT_IN_SCHOOL,
    "bo hoc": CensusStatus.NOT_IN_SCHOOL,
    "thoi hoc": CensusStatus.NOT_IN_SCHOOL,
    "o nha": CensusStatus.NOT_IN_SCHOOL,
    "hoan thanh tieu hoc": CensusStatus.COMPLETED_PRIMARY,
    "hoan thanh chuong trinh tieu hoc": CensusStatus.COMPLETED_PRIMARY,
    "htctth": CensusStatus.COMPLETED_PRIMARY,
    "tot nghiep thcs": CensusStatus.COMPLETED_LOWER_SECONDARY,
    "tn thcs": CensusStatus.COMPLETED_LOWER_SECONDARY,
    "tnthcs": CensusStatus.COMPLETED_LOWER_SECONDARY,
    "chuyen di": CensusStatus.MOVED_AWAY,
    "chuyen di noi khac": CensusStatus.MOVED_AWAY,
    "da chet": CensusStatus.DECEASED,
    "chet": CensusStatus.DECEASED,
    "da mat": CensusStatus.DECEASED,
    "tu vong": CensusStatus.DECEASED,
    "khuyet tat": CensusStatus.EXEMPT_DISABILITY,
    "khuyet tat nang": CensusStatus.EXEMPT_DISABILITY,
    "mien": CensusStatus.EXEMPT_DISABILITY,
    "mien pho cap": CensusStatus.EXEMPT_DISABILITY,
}


@dataclass(slots=True)
class CensusRow(Person):
    """A valid row of a census."""

    census_status: str = CensusStatus.NOT_IN_SCHOOL
    school: School | None = None
    school_as_written: str = ""
    grade: str = ""
    surveyed_on: datetime.date | None = None


class Schools:
    """The school a census row names, by MOET code or by its name written more or less fully ("TH Trà Nam",
    "Trường PTDTBT Tiểu học Trà Nam"): linked when exactly one school of the province fits; the text is kept."""

    WORDS = {"truong": "", "tieu hoc": "th", "trung hoc co so": "thcs", "trung hoc pho thong": "thpt", "mam non": "mn"}

    def __init__(self, province: OrgUnit):
        schools = School.objects.filter(location__path__startswith=province.path)
        self.by_code = {s.moet_code: s for s in schools}
        self.by_name: dict[str, list[School]] = {}
        for school in self.by_code.values():
            self.by_name.setdefault(self._key(school.name), []).append(school)

    def _key(self, text: str) -> str:
        key = f" {fold(text)} "
        for word, short in self.WORDS.items():
            key = key.replace(f" {word} ", f" {short} " if short else " ")
        return " ".join(w for w in key.split() if w not in {"ptdtbt", "ptdtnt", "ptcs", "&"})

    def find(self, text: str) -> School | None:
        if not text:
            return None
        if school := self.by_code.get(parsing.code(text)):
            return school
        found = self.by_name.get(self._key(text), [])
        return found[0] if len(found) == 1 else None


class CensusReader(Reader):
    """A census's reader: the person fields (`Reader`), within the commune surveyed; the hamlet of the whole file
    when one is given; the province's schools, to link the school a row names."""

    def __init__(self, plan: Plan, *, decisions: dict, actor, commune: OrgUnit, hamlet: OrgUnit | None, on=None):
        super().__init__(plan, decisions=decisions, actor=actor, within=commune, on=on)
        self.commune, self.hamlet = commune, hamlet
        self.schools = Schools(commune.parent)
        self.status_field = "status"

    def ready(self) -> bool:
        plan = self.plan
        if self.hamlet is None and "hamlet" not in self.columns:
            message = _("Tệp %(file)s không có cột “Thôn”: hãy chọn thôn của cả tệp.")
            plan.errors.append(message % {"file": plan.filename})
            return False
        self.status_field = "census_status" if "census_status" in self.columns else "status"
        return True


def census_row(run, number: int, row: list[str], error) -> CensusRow | None:
    """One row of a census: the child (`Reader.person`), within the survey's ages; the hamlet (asked among
    namesakes); the schooling status, school and grade; the day of the survey."""
    reader: CensusReader = run.reader
    if not reader.name(row):
        return None
    commune, hamlet, year = reader.commune, reader.hamlet, run.plan.year
    target = CensusRow(row=number, commune=commune, commune_id=commune.pk)
    reader.person(target, row, error)
    if target.birth_year and not 0 <= year.start_year - target.birth_year <= MAX_AGE:
        name = "birth_date" if "birth_date" in reader.columns else "birth_year"
        error(name, reader.cell(row, name), _("ngoài độ tuổi điều tra (0–%(n)s tuổi)") % {"n": MAX_AGE})
    written = reader.cell(row, "hamlet")
    found = reader.hamlets_named(commune, written) if written else ([hamlet] if hamlet else [])
    target.hamlet, pending = reader.choose_hamlet(commune, written, found)
    if not written and not hamlet:
        error("hamlet", "", _("thiếu thôn, tổ dân phố nơi trẻ ở"))
    elif not found:
        error("hamlet", written, _("không có thôn, tổ dân phố này trong %(c)s") % {"c": commune.display_name})
    elif pending:
        target.rule = "address"  # namesake hamlets: asked once per name
    target.address = written
    status_field = reader.status_field
    status = fold(reader.cell(row, status_field))
    target.school_as_written = reader.cell(row, "school_name")[:255]
    if status:
        if status not in CENSUS_STATUS:
            error(status_field, reader.cell(row, status_field), _("tình trạng không có trong danh mục"))
        target.census_status = CENSUS_STATUS.get(status, CensusStatus.NOT_IN_SCHOOL)
    elif target.school_as_written:
        target.census_status = CensusStatus.IN_SCHOOL
    target.school = reader.schools.find(target.school_as_written)
    if (class_name := reader.cell(row, "class_name")) or reader.cell(row, "grade"):
        try:
            target.grade = parsing.grade(class_name, reader.cell(row, "grade"))
        except ValueError as exc:
            error("class_name", class_name, str(exc))
    try:
        surveyed = reader.cell(row, "surveyed_on")
        target.surveyed_on = parsing.day(surveyed, today=reader.today) if surveyed else reader.today
    except ValueError as exc:
        error("surveyed_on", surveyed, str(exc))
    return target


def check_census(run) -> None:
    """Across the rows: who each child is (`match`), and whether another commune counted them this year."""
    match(run.plan.rows, run.decisions, run.actor)
    _counted_elsewhere(run.plan, run.reader.commune)


def plan_census(
    *,
    actor,
    filename: str,
    data: bytes,
    year: SchoolYear,
    commune: OrgUnit,
    hamlet: OrgUnit | None = None,
    progress=None,
    decisions: dict | None = None,
    columns: dict | None = None,
    on=None,
) -> Plan:
    """Read, validate and match every row of a commune's census (the census kind through
    `apps.imports.plan.check_file`); write nothing. Each row names its hamlet (a "Thôn" column) unless `hamlet` is
    given for the whole file. Birth dates and the survey's default day are reckoned on `on` (today)."""
    from apps.imports.registry import get

    commune = get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, pk=commune.pk)
    return check_file(
        get("students.census"),
        actor=actor,
        filename=filename,
        data=data,
        params={"year": year, "commune": commune, "hamlet": hamlet, "on": on},
        decisions=decisions,
        columns=columns,
        progress=progress,
    )


def _counted_elsewhere(plan: Plan, commune: OrgUnit) -> None:
    """A child counted this year in another commune's census (or twice in this file) is an error on the row."""
    seen: dict[int, int] = {}
    others = {}
    known = [r.child_id for r in plan.rows if r.child_id]
    for chunk in batched(known, 900):
        others.update(
            CensusRecord.objects.filter(year=plan.year, child_id__in=chunk)
            .exclude(hamlet__parent=commune)
            .values_list("child_id", "hamlet__parent_id")
        )
    valid = []
    for r in plan.rows:
        message = None
        if r.child_id in others:
            message = _("trẻ này đã có trong điều tra của một xã, phường khác năm học này")
        elif r.child_id and r.child_id in seen:
            message = _("trùng với dòng %(r)s trong cùng tệp") % {"r": seen[r.child_id]}
        if message:
            plan.reject(r.row, None, [RowError(r.row, str(FIELD_LABELS["full_name"]), r.full_name, message)])
            continue
        if r.child_id:
            seen[r.child_id] = r.row
        valid.append(r)
    plan.rows = valid


@dataclass
class CensusResult:
    created_children: int = 0
    created_records: int = 0
    updated: int = 0
    skipped: int = 0

    @property
    def changed(self) -> bool:
        return any((self.created_children, self.created_records, self.updated))


CENSUS_FIELDS = ("hamlet_id", "status", "school_id", "school_as_written", "grade", "surveyed_on")


def apply_census(*, actor, plan: Plan, only_valid: bool = False) -> CensusResult:
    """Write the census in one transaction: new children, each child's record for the year (created or brought
    up to date), the hamlet of children who moved within the commune, and one audit event."""

    def write(rows, known, result):
        _write_records(plan.year, rows, result)
        _relocate(actor, known, result)

    return write_plan(
        actor=actor,
        plan=plan,
        only_valid=only_valid,
        result=CensusResult(),
        write=write,
        action="students.census_import",
        object_type="students.censusrecord",
        org_unit=lambda rows: rows[0].commune,
    )


def _write_records(year, rows, result: CensusResult) -> None:
    current = {}
    for chunk in batched([r.child_id for r in rows], 900):
        records = CensusRecord.objects.filter(year=year, child_id__in=chunk).values_list(
            "child_id", "pk", *CENSUS_FIELDS
        )
        current.update((record[0], record[1:]) for record in records)
    created, changed = [], []
    for r in rows:
        values = (
            r.hamlet.pk,
            r.census_status,
            r.school.pk if r.school else None,
            r.school_as_written,
            r.grade,
            r.surveyed_on,
        )
        now = current.get(r.child_id)
        if now is None:
            created.append(
                CensusRecord(child_id=r.child_id, year=year, **dict(zip(CENSUS_FIELDS, values, strict=True)))
            )
        elif now[1:] != values:
            changed.append(CensusRecord(pk=now[0], **dict(zip(CENSUS_FIELDS, values, strict=True))))
    CensusRecord.objects.bulk_create(created, batch_size=1000)
    CensusRecord.objects.bulk_update(changed, CENSUS_FIELDS, batch_size=1000)
    analyze_written({Child: result.created_children, CensusRecord: len(created)})  # before the hooks read them
    census_written([record.pk for record in (*created, *changed)])  # bulk_create gives the new keys back
    result.created_records += len(created)
    result.updated += len(changed)


def _relocate(actor, known, result: CensusResult) -> None:
    """Known children of the commune counted in another of its hamlets now live there (children the actor may
    not change are counted, never updated)."""
    homes = {}
    changeable = Child.objects.restrict(actor, CHANGE)
    for chunk in batched([r.child_id for r in known], 900):
        homes.update(
            (pk, (c, h)) for pk, c, h in changeable.filter(pk__in=chunk).values_list("pk", "commune_id", "hamlet_id")
        )
    relocated = [
        Child(pk=r.child_id, hamlet_id=r.hamlet.pk)
        for r in known
        if r.child_id in homes and homes[r.child_id][0] == r.commune_id and homes[r.child_id][1] != r.hamlet.pk
    ]
    Child.objects.bulk_update(relocated, ["hamlet_id"], batch_size=1000)
    result.updated += len(relocated)
