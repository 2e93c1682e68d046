"""Importing a roster exported from a school-management system (SMAS, vnEdu, the sector database) or typed by
hand. The same code serves the command line and (next) the web.

Two passes: `plan_roster` reads, validates and matches every row without writing; `apply_roster` writes all of
it in one short transaction (or only the valid rows, when asked). A file with any error writes nothing; a file
imported twice changes nothing the second time; students missing from a newer roster are listed, not changed.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import xlsxwriter
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import audit_record
from apps.core.models import AuditEvent
from apps.core.scoping import MANAGE, get_scoped_or_404
from apps.core.spreadsheets import SpreadsheetError, find_header, read_sheet
from apps.core.text import fold, nfc
from apps.orgunits.models import OrgUnit
from apps.orgunits.names import hamlet_key
from apps.orgunits.resolver import resolve
from apps.schools.models import School, SchoolYear
from apps.students import parsing
from apps.students.identity import clean_personal_id
from apps.students.models import Child, ClassGroup, Enrolment, EnrolmentEvent, levels_teaching
from apps.students.selectors import match_child

HEADERS = Path(__file__).parent / "data" / "headers.csv"
MAX_ROWS = 50_000
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
FLAGS = ("poor", "near_poor", "orphan", "disability")
# How a field is named to the user when the file has no column for it.
FIELD_LABELS = {
    "full_name": gettext_lazy("Họ và tên"),
    "last_middle_name": gettext_lazy("Họ và đệm"),
    "given_name": gettext_lazy("Tên"),
    "birth_date": gettext_lazy("Ngày sinh"),
    "birth_year": gettext_lazy("Năm sinh"),
    "sex": gettext_lazy("Giới tính"),
    "female_mark": gettext_lazy("Nữ"),
    "class_name": gettext_lazy("Lớp"),
    "commune": gettext_lazy("Xã"),
    "address": gettext_lazy("Địa chỉ"),
    "school_code": gettext_lazy("Mã trường"),
}


@cache
def vocabulary() -> dict[str, set[str]]:
    """The header vocabulary (shared/domain/headers.md), kept as data: field → folded headers."""
    words: dict[str, set[str]] = {}
    with HEADERS.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            words.setdefault(row["field"], set()).add(fold(row["header"].replace("(*)", "")))
    return words


@dataclass
class RowError:
    row: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        return _("Dòng %(row)s, cột “%(column)s”, giá trị “%(value)s”: %(message)s") % self.__dict__


@dataclass
class RowPlan:
    row: int
    school: School
    data: dict
    child: Child | None = None
    rule: str = ""
    candidates: list = field(default_factory=list)


@dataclass
class Plan:
    filename: str
    year: SchoolYear
    header_row: int = 0  # 1-based, as the user sees it in the sheet
    mapping: dict[str, str] = field(default_factory=dict)  # field → the header it was read from
    rows: list[RowPlan] = field(default_factory=list)
    errors: list = field(default_factory=list)
    header: list[str] = field(default_factory=list)  # the header row as written
    rejected: list[tuple[int, list[str], list[str]]] = field(default_factory=list)  # (row, cells, reasons)
    missing: list[Enrolment] = field(default_factory=list)

    address_questions: dict[str, list[OrgUnit]] = field(default_factory=dict)  # written address → candidates

    @property
    def questions(self) -> list[RowPlan]:
        """Rows that need a person's decision: a name + birth + commune match that is not unique, or an address
        naming a commune that was split between several of today's communes."""
        return [r for r in self.rows if r.rule in ("ambiguous", "address")]


def _cell(row: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return row[index].strip() if index is not None and index < len(row) else ""


def plan_roster(
    *,
    actor,
    filename: str,
    data: bytes,
    year: SchoolYear,
    school: School | None = None,
    progress=None,
    decisions: dict | None = None,
) -> Plan:
    """Read, validate and match every row; write nothing. `progress(done, total)` is called now and then.
    `decisions` answers the questions of an earlier run (see `decisions_csv`)."""
    decisions = decisions or {}
    plan = Plan(filename=filename, year=year)
    try:
        sheet = read_sheet(filename, data)
    except SpreadsheetError as exc:
        plan.errors.append(str(exc))
        return plan
    try:
        header, columns = find_header(sheet, vocabulary(), {"full_name"}, labels=FIELD_LABELS)
    except SpreadsheetError as exc:
        try:  # the name may come split in two columns: "Họ và đệm" + "Tên"
            header, columns = find_header(sheet, vocabulary(), {"last_middle_name", "given_name"}, labels=FIELD_LABELS)
        except SpreadsheetError:
            plan.errors.append(str(exc))
            return plan
    title = sheet.rows[header]
    plan.header = title
    plan.header_row = header + 1
    plan.mapping = {f: title[c] for f, c in sorted(columns.items(), key=lambda item: item[1]) if f != "row_number"}
    if school is None and "school_code" not in columns:
        plan.errors.append(_("Tệp %(file)s không có cột “Mã trường”: hãy chọn trường nhập vào.") % {"file": filename})
        return plan
    body = [(n, r) for n, r in enumerate(sheet.rows[header + 1 :], start=header + 2) if any(c.strip() for c in r)]
    if len(body) > MAX_ROWS:
        plan.errors.append(
            _("Tệp %(file)s có %(n)s dòng, quá giới hạn %(max)s dòng.")
            % {"file": filename, "n": len(body), "max": MAX_ROWS}
        )
        return plan
    schools: dict[str, School] = {}
    codes_seen: dict[tuple[int, str], int] = {}
    for index, (number, row) in enumerate(body):
        if progress is not None and index % 200 == 0:
            progress(index, len(body))
        name = _cell(row, columns, "full_name") or " ".join(
            p for p in (_cell(row, columns, "last_middle_name"), _cell(row, columns, "given_name")) if p
        )
        if not name and not _cell(row, columns, "student_code"):
            continue  # notes and signatures under the table ("Người lập biểu", "HIỆU TRƯỞNG")
        errors = []

        def error(field_name, value, message):
            column = (
                title[columns[field_name]] if field_name in columns else str(FIELD_LABELS.get(field_name, field_name))
            )
            errors.append(RowError(number, column, value, message))

        row_school = school
        if row_school is None:
            moet = parsing.code(_cell(row, columns, "school_code"))
            row_school = schools.get(moet) or _school(actor, moet, error)
            if row_school is not None:
                schools[moet] = row_school
        data = _row_data(row, columns, name, row_school, year, error, plan, decisions)
        if row_school is not None and data.get("student_code"):
            key = (row_school.pk, data["student_code"])
            if key in codes_seen:
                error(
                    "student_code",
                    data["student_code"],
                    _("trùng với dòng %(r)s trong cùng tệp") % {"r": codes_seen[key]},
                )
            codes_seen.setdefault(key, number)
        if errors:
            plan.errors.extend(errors)
            plan.rejected.append((number, row, [f"{e.column}: {e.message}" for e in errors]))
            continue
        if data["commune"] is None:  # an address that needs a decision
            plan.rows.append(RowPlan(number, row_school, data, None, "address"))
            continue
        match = match_child(
            personal_id=data["personal_id"] or "",
            learner_id=data["learner_id"] or "",
            school=row_school,
            student_code=data["student_code"],
            full_name=name,
            birth_date=data["birth_date"],
            birth_year=data["birth_year"],
            commune=data["commune"],
        )
        choice = decisions.get(("match", number), "")
        if match.rule == "ambiguous" and choice:
            chosen = next((c for c in match.candidates if str(c.pk) == choice), None)
            if choice == "new" or chosen is not None:
                match.child, match.rule = chosen, "decided"
        plan.rows.append(RowPlan(number, row_school, data, match.child, match.rule, match.candidates))
    seen_codes = {(r.school.pk, r.data["student_code"]) for r in plan.rows}
    for roster_school in {r.school for r in plan.rows}:
        current = Enrolment.objects.with_status().filter(school=roster_school, year=year).select_related("child")
        plan.missing += [
            e
            for e in current
            if (roster_school.pk, e.student_code) not in seen_codes
            and e.status not in (Kind.TRANSFERRED_OUT, Kind.DROPPED_OUT, Kind.COMPLETED)
        ]
    return plan


def _school(actor, moet: str, error) -> School | None:
    school = School.objects.filter(moet_code=moet).first()
    if school is None:
        error("school_code", moet, _("không có trường nào mang mã này"))
        return None
    try:
        return get_scoped_or_404(School.objects.all(), actor, MANAGE, pk=school.pk)
    except (Http404, PermissionDenied):
        error("school_code", moet, _("bạn không quản lý trường này"))
        return None


def _row_data(row, columns, name, school, year, error, plan, decisions) -> dict:
    data = {"full_name": nfc(name)}
    try:
        if columns.get("birth_date") is not None and _cell(row, columns, "birth_date"):
            data["birth_date"], data["birth_year"] = parsing.birth(_cell(row, columns, "birth_date"))
        elif _cell(row, columns, "birth_day") and _cell(row, columns, "birth_month"):
            text = "/".join(_cell(row, columns, f) for f in ("birth_day", "birth_month", "birth_year"))
            data["birth_date"], data["birth_year"] = parsing.birth(text)
        else:
            data["birth_date"], data["birth_year"] = parsing.birth(_cell(row, columns, "birth_year"))
    except ValueError as exc:
        field_name = "birth_date" if "birth_date" in columns else "birth_year"
        error(field_name, _cell(row, columns, field_name), str(exc))
        data["birth_date"], data["birth_year"] = None, None
    try:
        if "sex" in columns:
            data["sex"] = parsing.sex(_cell(row, columns, "sex"))
        else:
            data["sex"] = "F" if parsing.flag(_cell(row, columns, "female_mark")) else "M"
    except ValueError as exc:
        field_name = "sex" if "sex" in columns else "female_mark"
        error(field_name, _cell(row, columns, field_name), str(exc))
        data["sex"] = None
    for field_name, reader in (("ethnicity", parsing.ethnicity),):
        try:
            data[field_name] = reader(_cell(row, columns, field_name))
        except ValueError as exc:
            error(field_name, _cell(row, columns, field_name), str(exc))
    for field_name in (*FLAGS, "health_insurance"):
        try:
            data[field_name] = parsing.flag(_cell(row, columns, field_name))
        except ValueError as exc:
            error(field_name, _cell(row, columns, field_name), str(exc))
    data["student_code"] = parsing.code(_cell(row, columns, "student_code"))
    data["learner_id"] = parsing.code(_cell(row, columns, "learner_id")) or None
    data["personal_id"] = None
    if (pid := _cell(row, columns, "personal_id")) and data.get("birth_year") and data.get("sex"):
        try:
            data["personal_id"] = clean_personal_id(pid, birth_year=data["birth_year"], sex=data["sex"])
        except ValidationError as exc:
            error("personal_id", pid, " ".join(exc.messages))
    data["class_name"] = nfc(_cell(row, columns, "class_name"))
    try:
        data["grade"] = parsing.grade(data["class_name"], _cell(row, columns, "grade"))
        if school is not None and not school.levels & levels_teaching(data["grade"]):
            error("class_name", data["class_name"], _("%(school)s không dạy khối này") % {"school": school.name})
    except ValueError as exc:
        error("class_name", data["class_name"], str(exc))
    status = fold(_cell(row, columns, "status"))
    data["status"] = STATUS.get(status, Kind.ENROLLED) if status else Kind.ENROLLED
    if status and status not in STATUS:
        error("status", _cell(row, columns, "status"), _("trạng thái không có trong danh mục"))
    data["commune"], data["hamlet"], data["address"] = _residence(row, columns, school, error, plan, decisions)
    data["guardians"] = [
        {
            "full_name": nfc(_cell(row, columns, f"{who}_name")),
            "relation": relation,
            "phone": _cell(row, columns, "phone") if who == "mother" or not _cell(row, columns, "mother_name") else "",
        }
        for who, relation in (("father", _("Cha")), ("mother", _("Mẹ")), ("guardian", _("Người giám hộ")))
        if _cell(row, columns, f"{who}_name")
    ]
    return data


def _residence(row, columns, school, error, plan, decisions):
    """The commune (and hamlet) where the child lives, from the address columns, resolved to today's units;
    the address as written is kept. Without address columns: the school's commune. An old commune split between
    several of today's is asked once per distinct value (the hamlet decides first, where it can)."""
    written = ", ".join(
        p for p in (_cell(row, columns, f) for f in ("hamlet", "commune", "district", "province")) if p
    ) or _cell(row, columns, "address")
    if not written:
        return (school.location if school else None), None, ""
    result = resolve(written)
    communes = [u for u in result.units if u.is_commune_level]
    if len(communes) > 1:
        chosen = [u for u in communes if u.code == decisions.get(("address", written))]
        if not chosen:
            plan.address_questions.setdefault(written, communes)
            return None, None, written
        communes = chosen
    if not communes:
        field_name = "commune" if "commune" in columns else "address"
        error(field_name, written, _("không tìm thấy xã, phường nào"))
        return None, None, written
    commune = communes[0]
    hamlet = result.hamlet
    if hamlet is None and (name := _cell(row, columns, "hamlet")):
        hamlet = (
            OrgUnit.objects.current()
            .filter(parent=commune, type=OrgUnit.Type.HAMLET, name_folded=hamlet_key(name))
            .first()
        )
    return commune, hamlet, written


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


def apply_roster(*, actor, plan: Plan, only_valid: bool = False) -> Result:
    """Write the plan in one transaction. With errors or rows needing a decision, nothing is written unless
    `only_valid` is asked for, and then those rows are left out."""
    if plan.errors and not only_valid:
        raise ValidationError(
            _("Tệp %(file)s có %(n)s lỗi; không có gì được ghi.") % {"file": plan.filename, "n": len(plan.errors)}
        )
    if plan.questions and not only_valid:
        raise ValidationError(
            _("Tệp %(file)s còn %(n)s dòng cần quyết định; không có gì được ghi.")
            % {"file": plan.filename, "n": len(plan.questions)}
        )
    result = Result()
    with transaction.atomic():
        classes: dict[tuple[int, str], ClassGroup] = {}
        for row in plan.rows:
            if row.rule in ("ambiguous", "address"):
                result.skipped += 1
                continue
            child = row.child or _create_child(row)
            result.created_children += row.child is None
            _sync_enrolment(actor, plan.year, row, child, classes, result)
        if result.changed:
            audit_record(
                actor=actor,
                action="students.roster_import",
                kind=AuditEvent.Kind.BULK,
                object_type="students.enrolment",
                object_repr=plan.filename[:255],
                org_unit=plan.rows[0].school.managed_by if plan.rows else None,
                changes={
                    "file": plan.filename,
                    "year": plan.year.name,
                    "rows": len(plan.rows),
                    "children_created": result.created_children,
                    "enrolments_created": result.created_enrolments,
                    "updated": result.updated,
                    "events": result.events,
                    "errors_skipped": len(plan.errors),
                },
            )
    return result


def _create_child(row: RowPlan) -> Child:
    d = row.data
    child = Child.objects.create(
        full_name=d["full_name"],
        name_folded=fold(d["full_name"]),
        birth_date=d["birth_date"],
        birth_year=d["birth_year"],
        sex=d["sex"],
        ethnicity=d["ethnicity"],
        personal_id=d["personal_id"],
        learner_id=d["learner_id"],
        commune=d["commune"],
        hamlet=d["hamlet"],
        address_as_written=d["address"],
        **{f: d[f] for f in FLAGS},
    )
    for guardian in d["guardians"]:
        child.guardians.create(**guardian)
    return child


def _sync_enrolment(actor, year, row: RowPlan, child: Child, classes, result: Result) -> None:
    d = row.data
    group = None
    if d["class_name"]:
        key = (row.school.pk, d["class_name"])
        group = classes.get(key)
        if group is None:
            group, _created = ClassGroup.objects.get_or_create(
                school=row.school, year=year, name=d["class_name"], defaults={"grade": d["grade"]}
            )
            classes[key] = group
    enrolment = Enrolment.objects.with_status().filter(child=child, school=row.school, year=year).first()
    if enrolment is None:
        enrolment = Enrolment.objects.create(
            child=child,
            school=row.school,
            year=year,
            grade=d["grade"],
            class_group=group,
            student_code=d["student_code"],
            health_insurance=d["health_insurance"],
        )
        first = Kind.TRANSFERRED_IN if d["status"] == Kind.TRANSFERRED_IN else Kind.ENROLLED
        EnrolmentEvent.objects.create(enrolment=enrolment, kind=first, on=year.opening_day, recorded_by=actor)
        result.created_enrolments += 1
        enrolment.status = first
    else:
        fields = {
            "grade": d["grade"],
            "class_group": group,
            "student_code": d["student_code"],
            "health_insurance": d["health_insurance"],
        }
        changed = [f for f, v in fields.items() if getattr(enrolment, f) != v]
        if changed:
            for f in changed:
                setattr(enrolment, f, fields[f])
            enrolment.save(update_fields=changed)
            result.updated += 1
    if d["status"] not in (Kind.ENROLLED, Kind.TRANSFERRED_IN) and enrolment.status != d["status"]:
        EnrolmentEvent.objects.create(
            enrolment=enrolment,
            kind=d["status"],
            on=min(datetime.date.today(), year.ends_on),
            recorded_by=actor,
            reason="other" if d["status"] == Kind.DROPPED_OUT else "",
            reason_text=_("Theo danh sách nhập từ tệp") if d["status"] == Kind.DROPPED_OUT else "",
        )
        result.events += 1


def rejected_workbook(plan: Plan) -> bytes:
    """The rejected rows as they were written, under the file's own header, with a reason column: fix them
    there and import that workbook."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet()
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, [*plan.header, _("Lý do bị từ chối"), _("Dòng trong tệp gốc")], bold)
    for index, (number, cells, reasons) in enumerate(plan.rejected, start=1):
        cells = list(cells) + [""] * (len(plan.header) - len(cells))
        sheet.write_row(index, 0, [*cells[: len(plan.header)], "; ".join(reasons), number])
    book.close()
    return buffer.getvalue()


DECISION_COLUMNS = ["kind", "row", "value", "candidates", "choice"]


def decisions_csv(plan: Plan) -> str:
    """A draft of the decisions the plan needs: fill the `choice` column and pass the file back."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(DECISION_COLUMNS)
    for written, communes in plan.address_questions.items():
        candidates = " | ".join(f"{u.code} {u.name}" for u in communes)
        writer.writerow(["address", "", written, candidates, ""])
    for row in plan.questions:
        if row.rule == "ambiguous":
            candidates = " | ".join(f"{c.pk} {c.full_name} {c.birth_date or c.birth_year}" for c in row.candidates)
            writer.writerow(["match", row.row, row.data["full_name"], candidates + " | new", ""])
    return out.getvalue()


def read_decisions(text: str) -> dict:
    """{("address", written): commune code, ("match", row): child id or "new"} from a filled-in draft."""
    decisions = {}
    for row in csv.DictReader(io.StringIO(text)):
        choice = (row.get("choice") or "").strip()
        if not choice:
            continue
        if row["kind"] == "address":
            decisions[("address", nfc(row["value"]))] = choice.split()[0].zfill(5)
        elif row["kind"] == "match":
            decisions[("match", int(row["row"]))] = choice.split()[0]
    return decisions
