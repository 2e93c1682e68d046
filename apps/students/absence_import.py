"""Importing a class's absences (the import kind `students.absences`) from the register a school's software exports:
either the month grid (a column per day, 1…31, under a heading such as "Ngày trong tháng", marks P / K) or a list
with one row per absent day ("Ngày nghỉ", "Có phép/Không phép"). Rows are matched within the chosen class by the
school's student code, then the learner ID, then the folded name; nothing is written by the check, and the write is
one transaction through the same service as the grid (`attendance.absences_record`).

A month grid is the whole month for the students it lists: a day left blank is a day present (an absence recorded
before on it is removed, in the log). A list adds or changes the days it names and removes none."""

import datetime
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.scoping import CHANGE
from apps.core.spreadsheets import RowError
from apps.core.text import fold
from apps.imports.forms import UploadForm
from apps.imports.plan import MAX_LISTED, Plan, TableReader, read_vocabulary
from apps.imports.registry import Importer
from apps.students import parsing
from apps.students.attendance import absences_record, class_for_records, may_mark, month_days
from apps.students.models import ClassGroup, Enrolment
from apps.students.records import record_classes, record_classes_within

HEADERS_FILE = Path(__file__).parent / "data" / "absence_headers.csv"
DAYS = [f"day_{d}" for d in range(1, 32)]
LABELS = {
    "row_number": gettext_lazy("Số thứ tự"),
    "student_code": gettext_lazy("Mã học sinh"),
    "learner_id": gettext_lazy("Mã định danh CSDL ngành"),
    "full_name": gettext_lazy("Họ và tên"),
    "birth_date": gettext_lazy("Ngày sinh"),
    "on": gettext_lazy("Ngày nghỉ"),
    "mark": gettext_lazy("Có phép/Không phép"),
    **{f"day_{d}": gettext_lazy("Ngày %(d)s") % {"d": d} for d in range(1, 32)},
}
# A register's marks, folded: excused (có phép) or not. "x" and "v" (vắng) without a kind count as unexcused.
EXCUSED = {"p", "cp", "co phep", "phep", "nghi co phep"}
UNEXCUSED = {"k", "kp", "ko", "x", "v", "khong phep", "nghi khong phep", "khong"}
MONTH = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")


@cache
def vocabulary() -> dict[str, set[str]]:
    return read_vocabulary(HEADERS_FILE)


def read_mark(text: str) -> str:
    """ "P" or "K" for a register's mark, "" for none; ValueError for anything else."""
    key = fold(text)
    if not key:
        return ""
    if key in EXCUSED:
        return "P"
    if key in UNEXCUSED:
        return "K"
    raise ValueError(_("“%(v)s” không phải ký hiệu nghỉ học (P: có phép, K: không phép)") % {"v": text})


@dataclass
class AbsenceRow:
    row: int
    full_name: str
    enrolment_id: int | None = None
    rule: str = ""  # student_code, learner_id or name: how the row found its student
    days: dict[datetime.date, str] = field(default_factory=dict)  # day → "P" | "K" | "" (present)


@dataclass
class AbsencePlan(Plan):
    month: datetime.date | None = None
    grid: bool = False  # a month grid (a column per day) rather than a list of absent days


class AbsenceReader(TableReader):
    """Knows the class's students (to match rows to) and the students already read (one row each in a grid)."""

    def __init__(self, plan, *, group: ClassGroup, words=None, labels=None):
        super().__init__(plan, vocabulary=words or vocabulary(), labels=labels or LABELS)
        self.group = group
        self.by_code, self.by_learner, self.by_name = {}, {}, {}
        for pk, code, learner, name in Enrolment.objects.filter(class_group=group).values_list(
            "pk", "student_code", "child__learner_id", "child__name_folded"
        ):
            if code:
                self.by_code[code] = pk
            if learner:
                self.by_learner[learner] = pk
            self.by_name.setdefault(name, []).append(pk)
        self.seen: dict[int, int] = {}  # enrolment → the grid row that listed it


MATCHED_BY = {
    "student_code": gettext_lazy("mã học sinh"),
    "learner_id": gettext_lazy("mã định danh"),
    "name": gettext_lazy("họ tên"),
}


def match_row(reader: AbsenceReader, row, error) -> tuple[int | None, str]:
    code = parsing.code(reader.cell(row, "student_code"))
    learner = parsing.code(reader.cell(row, "learner_id"))
    name = reader.cell(row, "full_name")
    if code and code in reader.by_code:
        return reader.by_code[code], "student_code"
    if learner and learner in reader.by_learner:
        return reader.by_learner[learner], "learner_id"
    found = reader.by_name.get(fold(name), []) if name else []
    if len(found) == 1:
        return found[0], "name"
    if len(found) > 1:
        error("full_name", name, _("lớp có %(n)s học sinh cùng họ tên: hãy ghi mã học sinh") % {"n": len(found)})
    elif name or code or learner:
        value = name or code or learner
        column = "full_name" if name else "student_code" if code else "learner_id"
        error(column, value, _("không có học sinh này trong lớp %(c)s") % {"c": reader.group.name})
    return None, ""


def absence_row(run, number: int, row: list[str], error):
    reader: AbsenceReader = run.reader
    plan: AbsencePlan = run.plan
    name = reader.cell(row, "full_name")
    if not (name or reader.cell(row, "student_code") or reader.cell(row, "learner_id")):
        return None  # a note under the table
    enrolment_id, rule = match_row(reader, row, error)
    if enrolment_id is None:
        return None
    today, year = timezone.localdate(), reader.group.year
    record = AbsenceRow(row=number, full_name=name, enrolment_id=enrolment_id, rule=rule)
    if plan.grid:
        if enrolment_id in reader.seen:
            error("full_name", name, _("đã có ở dòng %(r)s") % {"r": reader.seen[enrolment_id]})
            return None
        reader.seen[enrolment_id] = number
        for day in month_days(plan.month):
            text = reader.cell(row, f"day_{day.day}")
            try:
                mark = read_mark(text)
            except ValueError as exc:
                error(f"day_{day.day}", text, str(exc))
                continue
            if may_mark(year, day, today):
                record.days[day] = mark
            elif mark:
                error(
                    f"day_{day.day}",
                    text,
                    _("ngày %(d)s không ghi nghỉ học được (Chủ nhật, ngoài năm học hoặc chưa tới)")
                    % {"d": day.strftime("%d/%m/%Y")},
                )
        return record
    text = reader.cell(row, "on")
    try:
        day = parsing.day(text, today=today)
    except ValueError as exc:
        error("on", text, str(exc))
        return None
    try:
        mark = read_mark(reader.cell(row, "mark")) or "K"  # an absent day of unknown kind: not excused
    except ValueError as exc:
        error("mark", reader.cell(row, "mark"), str(exc))
        return None
    if not may_mark(year, day, today):
        error(
            "on",
            text,
            _("ngày %(d)s không ghi nghỉ học được (Chủ nhật, ngoài năm học hoặc chưa tới)")
            % {"d": day.strftime("%d/%m/%Y")},
        )
        return None
    record.days[day] = mark
    return record


def check_absences(run) -> None:
    """A list naming the same student and day twice keeps the first and refuses the second."""
    plan: AbsencePlan = run.plan
    if plan.grid:
        return
    seen: dict[tuple[int, datetime.date], int] = {}
    kept = []
    for record in plan.rows:
        ((day, _mark),) = record.days.items()
        key = (record.enrolment_id, day)
        if key in seen:
            column = run.reader.column("on")
            message = _("trùng ngày với dòng %(r)s") % {"r": seen[key]}
            plan.reject(record.row, [], [RowError(record.row, column, day.strftime("%d/%m/%Y"), message)])
            continue
        seen[key] = record.row
        kept.append(record)
    plan.rows = kept


class AbsenceUploadForm(UploadForm):
    class_group = forms.ModelChoiceField(label=gettext_lazy("Lớp"), queryset=None, empty_label=gettext_lazy("— Chọn —"))
    month = forms.CharField(
        label=gettext_lazy("Tháng (tháng/năm)"),
        max_length=7,
        required=False,
        help_text=gettext_lazy("Cho sổ điểm danh theo tháng (mỗi ngày một cột), ví dụ 10/2025."),
    )
    field_order = ["class_group", "month", "file"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        classes = record_classes(user, CHANGE).select_related("school", "year").order_by("-year__start_year", "name")
        self.offer("class_group", classes, preselect=True)
        self.fields["class_group"].label_from_instance = lambda g: f"{g.name} — {g.school.name} ({g.year.name})"

    def clean_month(self):
        text = self.cleaned_data["month"]
        if not text:
            return ""
        if not (m := MONTH.match(text)) or not 1 <= int(m[1]) <= 12:
            raise forms.ValidationError(_("Tháng ghi theo dạng tháng/năm, ví dụ 10/2025."))
        return f"{int(m[2]):04d}-{int(m[1]):02d}"


class AbsenceImporter(Importer):
    """A class's absences, by the month grid or a list of absent days."""

    name = "students.absences"
    label = gettext_lazy("Ngày nghỉ học")
    upload_label = gettext_lazy("Nhập ngày nghỉ học của lớp")
    upload_help = gettext_lazy(
        "Sổ điểm danh theo tháng (cột Họ và tên, mỗi ngày một cột 1…31, ký hiệu P/K) hoặc danh sách ngày nghỉ (cột "
        "Họ và tên, Ngày nghỉ, Có phép/Không phép). Học sinh được đối chiếu trong lớp đã chọn theo mã học sinh, mã "
        "định danh, rồi họ tên."
    )
    upload_form = AbsenceUploadForm
    fields = LABELS
    preview_template = "students/partials/absence_preview.html"
    required = ({"full_name"}, {"student_code"}, {"learner_id"})

    def scope_q(self, scope, action):
        classes = record_classes_within(scope, CHANGE).values("pk")
        return Q(target_id__in=Subquery(classes))

    def may_start(self, user) -> bool:
        return record_classes(user, CHANGE).exists()

    def start(self, *, actor, cleaned):
        group = class_for_records(actor, cleaned["class_group"].pk, CHANGE)
        month = cleaned.get("month") or ""
        if month:
            first = datetime.date.fromisoformat(f"{month}-01")
            if not group.year.starts_on.replace(day=1) <= first <= group.year.ends_on:
                raise ValidationError({"month": _("Tháng không thuộc năm học %(y)s.") % {"y": group.year.name}})
        return group.school.managed_by, group.pk, {"month": month}

    def authorise(self, *, actor, job, plan=None):
        class_for_records(actor, job.target_id, CHANGE)

    def params(self, *, job, actor):
        return {"group": class_for_records(actor, job.target_id, CHANGE), "month": job.params.get("month", "")}

    def new_plan(self, *, filename, params):
        month = params.get("month")
        return AbsencePlan(filename=filename, month=datetime.date.fromisoformat(f"{month}-01") if month else None)

    def vocabulary(self):
        return vocabulary()

    def reader(self, run):
        return AbsenceReader(run.plan, group=run.params["group"])

    def ready(self, run) -> bool:
        plan: AbsencePlan = run.plan
        columns = run.reader.columns
        plan.grid = any(d in columns for d in DAYS)
        if plan.grid and plan.month is None:
            plan.errors.append(
                _("Tệp %(f)s là sổ điểm danh theo tháng: hãy ghi tháng khi tải lên (ví dụ 10/2025).")
                % {"f": plan.filename}
            )
            return False
        if not plan.grid and "on" not in columns:
            plan.errors.append(
                _("Tệp %(f)s: cần các cột ngày 1…31 (sổ điểm danh theo tháng) hoặc cột “Ngày nghỉ”.")
                % {"f": plan.filename}
            )
            return False
        return True

    def parse_row(self, run, number, row, error):
        return absence_row(run, number, row, error)

    def check(self, run):
        check_absences(run)

    def write(self, *, job, actor, plan):
        group = ClassGroup.objects.get(pk=job.target_id)
        marks = {}
        for record in plan.rows:
            for day, mark in record.days.items():
                marks[(record.enrolment_id, day)] = mark
        counts = absences_record(actor=actor, class_group=group, marks=marks, via="import")
        return {**counts, "students": len({r.enrolment_id for r in plan.rows})}

    def summarise(self, plan) -> dict:
        absent = [
            (r, sum(m == "P" for m in r.days.values()), sum(m == "K" for m in r.days.values())) for r in plan.rows
        ]
        return {
            "grid": plan.grid,
            "month": plan.month.strftime("%m/%Y") if plan.month else "",
            "excused": sum(p for _r, p, _k in absent),
            "unexcused": sum(k for _r, _p, k in absent),
            "first_rows": [
                {"row": r.row, "name": r.full_name, "match": str(MATCHED_BY.get(r.rule, r.rule)), "p": p, "k": k}
                for r, p, k in absent[:MAX_LISTED]
            ],
        }

    def result_text(self, result):
        return _("Đã ghi %(c)s ngày nghỉ mới, sửa %(u)s, bỏ %(r)s ngày (của %(s)s học sinh).") % {
            "c": result["created"],
            "u": result["changed"],
            "r": result["removed"],
            "s": result["students"],
        }

    def describe_many(self, jobs):
        groups = ClassGroup.objects.select_related("school", "year").in_bulk({job.target_id for job in jobs})
        labels = {}
        for job in jobs:
            group = groups.get(job.target_id)
            where = f"{group.name} — {group.school.name} ({group.year.name})" if group else job.org_unit.display_name
            month = job.params.get("month")
            labels[job.pk] = f"{where} · {month[5:]}/{month[:4]}" if month else where
        return labels
