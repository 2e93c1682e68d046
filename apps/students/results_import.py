"""Importing a class's semester results (the import kind `students.results`) from the summary a school's software
exports at the end of a semester: a title, a header often of two rows ("Kết quả đánh giá" merged over "Học tập" and
"Rèn luyện", or "Kết quả giáo dục" and "Phẩm chất" for a primary class), a row per student, the signatures.

Rows are matched within the chosen class the way absences are (`absence_import.match_row`: the school's student
code, then the learner ID, then the folded name). Marks are read on the class's scale: primary per Circular 27/2020
(Hoàn thành tốt / Hoàn thành / Chưa hoàn thành; qualities Tốt / Đạt / Cần cố gắng), secondary per Circular 22/2021
(Tốt / Khá / Đạt / Chưa đạt), written out or as the registers abbreviate them (HTT, HT, CHT, T, K, Đ, CĐ, CCG); a
primary "Hoàn thành xuất sắc" is kept as Hoàn thành tốt, the scale's highest. Nothing is written by the check; the
write is one transaction through the results page's service (`attendance.results_record`). A blank learning cell
leaves the student's result as it was; a blank conduct cell keeps the conduct recorded before."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.scoping import CHANGE
from apps.core.text import fold
from apps.imports.forms import UploadForm
from apps.imports.plan import MAX_LISTED, Plan, read_vocabulary
from apps.imports.registry import Importer
from apps.students.absence_import import MATCHED_BY, AbsenceReader, match_row
from apps.students.attendance import class_for_records, results_record
from apps.students.models import ClassGroup
from apps.students.records import Mark, SemesterResult, record_classes, record_classes_within, scale_for

HEADERS_FILE = Path(__file__).parent / "data" / "result_headers.csv"
LABELS = {
    "row_number": gettext_lazy("Số thứ tự"),
    "student_code": gettext_lazy("Mã học sinh"),
    "learner_id": gettext_lazy("Mã định danh CSDL ngành"),
    "full_name": gettext_lazy("Họ và tên"),
    "birth_date": gettext_lazy("Ngày sinh"),
    "learning": gettext_lazy("Học tập"),
    "conduct": gettext_lazy("Rèn luyện"),
}
# A register's words and abbreviations for each mark, folded. "T" and "Đ" mean Tốt and Đạt on both scales; "K" is
# Khá (secondary only: a primary class refuses it through its scale).
WORDS = {
    Mark.EXCELLENT_PRIMARY: {"hoan thanh tot", "htt", "hoan thanh xuat sac", "htxs"},
    Mark.COMPLETED_PRIMARY: {"hoan thanh", "ht"},
    Mark.NOT_COMPLETED: {"chua hoan thanh", "cht"},
    Mark.NEEDS_EFFORT: {"can co gang", "ccg", "cn co gang"},
    Mark.GOOD: {"tot", "t"},
    Mark.FAIR: {"kha", "k"},
    Mark.PASS: {"dat", "d"},
    Mark.NOT_PASSED: {"chua dat", "cd"},
}
BY_WORD = {word: mark for mark, words in WORDS.items() for word in words}


@cache
def vocabulary() -> dict[str, set[str]]:
    return read_vocabulary(HEADERS_FILE)


def read_result(text: str, allowed) -> str:
    """The mark (`Mark` value) a cell names on the scale `allowed`, "" for a blank cell; ValueError naming the
    scale's marks for anything else."""
    key = fold(text)
    if not key:
        return ""
    mark = BY_WORD.get(key)
    if mark is None or mark not in allowed:
        raise ValueError(
            _("“%(v)s” không thuộc thang đánh giá của lớp (%(marks)s)")
            % {"v": text, "marks": ", ".join(str(m.label) for m in allowed)}
        )
    return mark.value


@dataclass
class ResultRow:
    row: int
    full_name: str
    enrolment_id: int
    rule: str
    learning: str
    conduct: str


@dataclass
class ResultPlan(Plan):
    semester: int = 1


def result_row(run, number: int, row: list[str], error):
    reader: AbsenceReader = run.reader
    name = reader.cell(row, "full_name")
    if not (name or reader.cell(row, "student_code") or reader.cell(row, "learner_id")):
        return None  # a note under the table
    enrolment_id, rule = match_row(reader, row, error)
    if enrolment_id is None:
        return None
    scale = run.params["scale"]
    marks = {}
    for name_ in ("learning", "conduct"):
        text = reader.cell(row, name_)
        try:
            marks[name_] = read_result(text, scale[name_])
        except ValueError as exc:
            error(name_, text, str(exc))
    if len(marks) < 2:
        return None
    if marks["conduct"] and not marks["learning"]:
        error("learning", "", _("có đánh giá rèn luyện nhưng thiếu đánh giá học tập"))
        return None
    if not marks["learning"]:
        return None  # nothing for this student this semester: their result stays as it was
    if enrolment_id in reader.seen:
        error("full_name", name, _("đã có ở dòng %(r)s") % {"r": reader.seen[enrolment_id]})
        return None
    reader.seen[enrolment_id] = number
    return ResultRow(number, name, enrolment_id, rule, marks["learning"], marks["conduct"])


class ResultUploadForm(UploadForm):
    class_group = forms.ModelChoiceField(label=gettext_lazy("Lớp"), queryset=None, empty_label=gettext_lazy("— Chọn —"))
    semester = forms.TypedChoiceField(
        label=gettext_lazy("Học kỳ"), choices=SemesterResult.Semester.choices, coerce=int, initial=1
    )
    field_order = ["class_group", "semester", "file"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        classes = (
            record_classes(user, CHANGE)
            .exclude(grade__in=_preschool_grades())
            .select_related("school", "year")
            .order_by("-year__start_year", "name")
        )
        self.offer("class_group", classes, preselect=True)
        self.fields["class_group"].label_from_instance = lambda g: f"{g.name} — {g.school.name} ({g.year.name})"


def _preschool_grades() -> list[str]:
    return [value for value, _label in ClassGroup._meta.get_field("grade").choices if scale_for(value) is None]


class ResultImporter(Importer):
    """A class's results of one semester."""

    name = "students.results"
    label = gettext_lazy("Kết quả học kỳ")
    upload_label = gettext_lazy("Nhập kết quả học kỳ của lớp")
    upload_help = gettext_lazy(
        "Bảng tổng hợp kết quả học kỳ (cột Họ và tên, Học tập hoặc Kết quả giáo dục, Rèn luyện hoặc Phẩm chất). "
        "Tiểu học theo Thông tư 27/2020 (Hoàn thành tốt, Hoàn thành, Chưa hoàn thành), THCS và THPT theo Thông tư "
        "22/2021 (Tốt, Khá, Đạt, Chưa đạt). Học sinh được đối chiếu trong lớp đã chọn theo mã học sinh, mã định "
        "danh, rồi họ tên."
    )
    upload_form = ResultUploadForm
    fields = LABELS
    preview_template = "students/partials/result_preview.html"
    required = ({"full_name"}, {"student_code"}, {"learner_id"})  # the learning column: `ready` (a two-row header
    # names it on its second row, under "Kết quả đánh giá": the header is found by the columns on its first)

    def scope_q(self, scope, action):
        classes = record_classes_within(scope, CHANGE).values("pk")
        return Q(target_id__in=Subquery(classes))

    def may_start(self, user) -> bool:
        return record_classes(user, CHANGE).exclude(grade__in=_preschool_grades()).exists()

    def start(self, *, actor, cleaned):
        group = class_for_records(actor, cleaned["class_group"].pk, CHANGE)
        if scale_for(group.grade) is None:
            raise ValidationError({"class_group": _("Trẻ mầm non không có kết quả học kỳ.")})
        return group.school.managed_by, group.pk, {"semester": int(cleaned["semester"])}

    def authorise(self, *, actor, job, plan=None):
        class_for_records(actor, job.target_id, CHANGE)

    def params(self, *, job, actor):
        group = class_for_records(actor, job.target_id, CHANGE)
        return {"group": group, "scale": scale_for(group.grade), "semester": int(job.params.get("semester", 1))}

    def new_plan(self, *, filename, params):
        return ResultPlan(filename=filename, semester=params.get("semester", 1))

    def vocabulary(self):
        return vocabulary()

    def reader(self, run):
        return AbsenceReader(run.plan, group=run.params["group"], words=vocabulary(), labels=LABELS)

    def ready(self, run) -> bool:
        if "learning" not in run.reader.columns:
            run.plan.errors.append(
                _("Tệp %(f)s: cần có cột “Học tập” (hoặc “Kết quả học tập”, “Kết quả giáo dục”).")
                % {"f": run.plan.filename}
            )
            return False
        return True

    def parse_row(self, run, number, row, error):
        return result_row(run, number, row, error)

    def check(self, run):
        """A blank conduct cell keeps the conduct already recorded (the write would otherwise clear it)."""
        plan: ResultPlan = run.plan
        blank = [r.enrolment_id for r in plan.rows if not r.conduct]
        if not blank:
            return
        kept = dict(
            SemesterResult.objects.filter(enrolment__in=blank, semester=plan.semester).values_list(
                "enrolment_id", "conduct"
            )
        )
        for record in plan.rows:
            if not record.conduct:
                record.conduct = kept.get(record.enrolment_id, "")

    def write(self, *, job, actor, plan):
        group = ClassGroup.objects.get(pk=job.target_id)
        results = {r.enrolment_id: (r.learning, r.conduct) for r in plan.rows}
        try:
            counts = results_record(actor=actor, class_group=group, semester=plan.semester, results=results)
        except ValidationError as exc:  # the class changed since the check: said with the file's name
            raise ValidationError([_("Tệp %(f)s: %(m)s") % {"f": plan.filename, "m": m} for m in exc.messages]) from exc
        return {**counts, "students": len(results)}

    def summarise(self, plan) -> dict:
        labels = dict(Mark.choices)
        poor = {Mark.NOT_COMPLETED, Mark.NOT_PASSED, Mark.NEEDS_EFFORT}
        return {
            "semester": plan.semester,
            "poor": sum(r.learning in poor or r.conduct in poor for r in plan.rows),
            "first_rows": [
                {
                    "row": r.row,
                    "name": r.full_name,
                    "match": str(MATCHED_BY.get(r.rule, r.rule)),
                    "learning": str(labels.get(r.learning, "")),
                    "conduct": str(labels.get(r.conduct, "")),
                }
                for r in plan.rows[:MAX_LISTED]
            ],
        }

    def result_text(self, result):
        return _("Đã ghi %(c)s kết quả mới, sửa %(u)s (trong %(s)s học sinh của tệp).") % {
            "c": result["created"],
            "u": result["changed"],
            "s": result["students"],
        }

    def describe_many(self, jobs):
        groups = ClassGroup.objects.select_related("school", "year").in_bulk({job.target_id for job in jobs})
        labels = {}
        for job in jobs:
            group = groups.get(job.target_id)
            where = f"{group.name} — {group.school.name} ({group.year.name})" if group else job.org_unit.display_name
            semester = "I" if job.params.get("semester", 1) == 1 else "II"
            labels[job.pk] = _("%(w)s · học kỳ %(s)s") % {"w": where, "s": semester}
        return labels
