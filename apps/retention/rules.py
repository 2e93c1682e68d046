"""The early warning: what counts toward a student's risk of dropping out, with the weights and thresholds a province
sets (`models.RiskRules`; these defaults otherwise), and the reasons said in words. `signals` reads every signal of
many enrolments in a fixed number of grouped queries (the daily job runs it over a whole province); `assess` turns
one student's signals into a score, a level and the reasons."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.orgunits.models import Designation
from apps.retention.models import Level, RiskRules, TeacherNote
from apps.students.models import Enrolment, EnrolmentEvent
from apps.students.records import POOR, Absence, SemesterResult

SIGNALS = {
    "absences": gettext_lazy("Nghỉ không phép nhiều ngày gần đây"),
    "poor_result": gettext_lazy("Kết quả học kỳ chưa đạt (chưa hoàn thành)"),
    "earlier_dropout": gettext_lazy("Đã từng bỏ học"),
    "orphan": gettext_lazy("Mồ côi"),
    "over_age": gettext_lazy("Lớn tuổi so với lớp"),
    "family_note": gettext_lazy("Giáo viên ghi nhận gia đình khó khăn"),
    "poor_household": gettext_lazy("Hộ nghèo hoặc cận nghèo"),
    "disability": gettext_lazy("Khuyết tật"),
    "remote": gettext_lazy("Vùng đặc biệt khó khăn"),
}
# The defaults: ≥ 5 unexcused days in the last 30 (3), a poor semester result (3), an earlier dropout (3),
# orphan (2), over-age by two years or more (2), a teacher's note of family difficulty (2), poor or near-poor (1),
# disability (1), remote (1); medium from 3, high from 5.
DEFAULT_WEIGHTS = {
    "absences": 3,
    "poor_result": 3,
    "earlier_dropout": 3,
    "orphan": 2,
    "over_age": 2,
    "family_note": 2,
    "poor_household": 1,
    "disability": 1,
    "remote": 1,
}
MAX_WEIGHT = 20


@dataclass(frozen=True)
class Rules:
    weights: dict = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    absence_days: int = 5
    absence_window: int = 30
    over_age_years: int = 2
    medium: int = 3
    high: int = 5
    mentor_limit: int = 2

    def level(self, score: int) -> str:
        return Level.HIGH if score >= self.high else Level.MEDIUM if score >= self.medium else Level.LOW


def rules_for(province_id: int) -> Rules:
    """The province's rules, or the defaults when it has set none."""
    row = RiskRules.objects.filter(province_id=province_id).first()
    if row is None:
        return Rules()
    return Rules(
        weights={code: int(row.weights.get(code, weight)) for code, weight in DEFAULT_WEIGHTS.items()},
        absence_days=row.absence_days,
        absence_window=row.absence_window,
        over_age_years=row.over_age_years,
        medium=row.medium,
        high=row.high,
        mentor_limit=row.mentor_limit,
    )


def reason_text(code: str, figure) -> str:
    """A reason in words, as the teacher reads it: "vắng 7 ngày không phép trong 30 ngày qua", "hộ nghèo"."""
    if code == "absences":
        days, window = figure
        return _("vắng %(n)s ngày không phép trong %(w)s ngày qua") % {"n": days, "w": window}
    if code == "poor_result":
        return _("kết quả học kỳ %(s)s chưa đạt") % {"s": "I" if figure == 1 else "II"}
    if code == "over_age":
        return _("lớn hơn tuổi đúng lớp %(n)s tuổi") % {"n": figure}
    if code == "poor_household":
        return _("hộ nghèo") if figure == "poor" else _("hộ cận nghèo")
    texts = {
        "earlier_dropout": _("đã từng bỏ học"),
        "orphan": _("mồ côi"),
        "family_note": _("giáo viên ghi nhận gia đình khó khăn"),
        "disability": _("khuyết tật"),
        "remote": _("ở vùng đặc biệt khó khăn"),
    }
    return texts.get(code, code)


FIELDS = (
    "pk",
    "child_id",
    "grade",
    "start_year",
    "year_id",
    "class_group_id",
    "child__birth_year",
    "child__poor",
    "child__near_poor",
    "child__orphan",
    "child__disability",
    "child__remote_area",
    "child__hamlet_id",
    "child__commune_id",
)


def signals(enrolments, on: datetime.date, rules: Rules, *, semester: int = 2) -> dict[int, list]:
    """{enrolment id: [[code, figure], …]} of the enrolments (a queryset) as of day `on`: absences in the window
    ending on `on`, results of semesters up to `semester`, dropouts, notes and designations up to `on`."""
    rows = list(enrolments.values(*FIELDS))
    ids = enrolments.values("pk")
    since = on - datetime.timedelta(days=rules.absence_window - 1)
    absent = dict(
        Absence.objects.filter(enrolment__in=ids, excused=False, on__gte=since, on__lte=on)
        .values("enrolment")
        .annotate(n=Count("pk"))
        .values_list("enrolment", "n")
    )
    latest = dict(
        SemesterResult.objects.filter(enrolment__in=ids, semester__lte=semester)
        .values("enrolment")
        .annotate(s=Max("semester"))
        .values_list("enrolment", "s")
    )
    poor = {
        (e, s)
        for e, s, learning, conduct in SemesterResult.objects.filter(
            enrolment__in=ids, semester__lte=semester
        ).values_list("enrolment", "semester", "learning", "conduct")
        if learning in POOR or conduct in POOR
    }
    dropped = set(
        EnrolmentEvent.objects.filter(
            enrolment__child__in=enrolments.values("child"),
            kind__in=(EnrolmentEvent.Kind.DROPPED_OUT, EnrolmentEvent.Kind.NOT_CONTINUED),
            on__lte=on,
        ).values_list("enrolment__child", flat=True)
    )
    noted = set(
        TeacherNote.objects.filter(enrolment__in=ids, family_difficulty=True, written_on__lte=on).values_list(
            "enrolment", flat=True
        )
    )
    designated = set(
        Designation.objects.valid_on(on).filter(kind=Designation.Kind.DBKK).values_list("unit_id", flat=True)
    )
    found = {}
    for row in rows:
        pk, reasons = row["pk"], []
        if absent.get(pk, 0) >= rules.absence_days:
            reasons.append(["absences", [absent[pk], rules.absence_window]])
        if (pk, latest.get(pk)) in poor:
            reasons.append(["poor_result", latest[pk]])
        if row["child_id"] in dropped:
            reasons.append(["earlier_dropout", 1])
        if row["child__orphan"]:
            reasons.append(["orphan", 1])
        if row["grade"].isdigit():
            over = row["start_year"] - row["child__birth_year"] - (5 + int(row["grade"]))
            if over >= rules.over_age_years:
                reasons.append(["over_age", over])
        if pk in noted:
            reasons.append(["family_note", 1])
        if row["child__poor"] or row["child__near_poor"]:
            reasons.append(["poor_household", "poor" if row["child__poor"] else "near_poor"])
        if row["child__disability"]:
            reasons.append(["disability", 1])
        if row["child__remote_area"] or {row["child__hamlet_id"], row["child__commune_id"]} & designated:
            reasons.append(["remote", 1])
        found[pk] = (row, reasons)
    return found


def assess(reasons: list, rules: Rules) -> tuple[int, str, list]:
    """(score, level, the reasons that weigh) of one student's signals under `rules`; heaviest reason first."""
    weighing = [r for r in reasons if rules.weights.get(r[0], 0) > 0]
    weighing.sort(key=lambda r: -rules.weights[r[0]])
    score = sum(rules.weights[r[0]] for r in weighing)
    return score, rules.level(score), weighing


def ongoing(year_ids):
    return Enrolment.objects.filter(year__in=year_ids, ongoing=True)
