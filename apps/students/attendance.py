"""Absences and semester results, by class: the month grid's reads and the writes every path shares (the grid,
the absence import, the results page, the demo seed). Each write is one audited transaction that checks the actor
may write the class's records (its school's managers, its homeroom teacher: `records.record_classes`) and ends by
calling the after-write hooks (`hooks.records_written`: the early warning recomputes)."""

import calendar
import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.models import AuditEvent
from apps.core.scoping import CHANGE, MAX_ID, VIEW
from apps.students.hooks import records_written
from apps.students.models import ClassGroup, Enrolment
from apps.students.records import Absence, Mark, SemesterResult, record_classes, scale_for

EXCUSED, UNEXCUSED = "P", "K"  # the marks of a class register: nghỉ có phép, nghỉ không phép
MARKS = {EXCUSED: True, UNEXCUSED: False}
WEEKDAYS = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")


def class_for_records(user, pk, action: str = VIEW) -> ClassGroup:
    """The class if `user` may read its records (404 otherwise); with `change`, 403 when they may only read."""
    if not isinstance(pk, int) or not 0 < pk <= MAX_ID:
        raise Http404
    group = record_classes(user, VIEW).select_related("school", "school__managed_by", "year").filter(pk=pk).first()
    if group is None:
        raise Http404
    if action != VIEW and not record_classes(user, CHANGE).filter(pk=pk).exists():
        raise PermissionDenied
    return group


def parse_month(text: str, year) -> datetime.date:
    """The first day of the month `text` ("2025-10") within the school year, else of this month (or the year's
    nearest month to today)."""
    try:
        y, m = (int(part) for part in (text or "").split("-"))
        first = datetime.date(y, m, 1)
    except ValueError:
        today = min(max(timezone.localdate(), year.starts_on), year.ends_on)
        first = today.replace(day=1)
    if not year.starts_on.replace(day=1) <= first <= year.ends_on:
        today = min(max(timezone.localdate(), year.starts_on), year.ends_on)
        first = today.replace(day=1)
    return first


def month_days(first: datetime.date) -> list[datetime.date]:
    return [first.replace(day=d) for d in range(1, calendar.monthrange(first.year, first.month)[1] + 1)]


def may_mark(year, day: datetime.date, today: datetime.date) -> bool:
    """Whether an absence may be written on `day`: within the school year's teaching, not a Sunday, not ahead."""
    return year.starts_on <= day <= min(year.ends_on, today) and day.weekday() != 6


def _month_shift(first: datetime.date, months: int) -> datetime.date:
    index = first.year * 12 + first.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass
class Cell:
    day: datetime.date
    mark: str  # "", "P" or "K"
    open: bool  # may be written


@dataclass
class GridRow:
    enrolment: Enrolment
    cells: list[Cell]
    excused: int
    unexcused: int


def month_grid(user, group: ClassGroup, first: datetime.date) -> dict:
    """The class's month: each student (every enrolment of the class) with a cell per day. Logged as a read of
    the class's personal data."""
    today = timezone.localdate()
    days = month_days(first)
    enrolments = list(
        Enrolment.objects.restrict(user, VIEW)
        .filter(class_group=group)
        .select_related("child")
        .order_by("child__name_folded", "pk")
    )
    marks = {
        (e, on): (EXCUSED if excused else UNEXCUSED)
        for e, on, excused in Absence.objects.filter(
            enrolment__in=[e.pk for e in enrolments], on__gte=days[0], on__lte=days[-1]
        ).values_list("enrolment_id", "on", "excused")
    }
    open_days = {d for d in days if may_mark(group.year, d, today)}
    rows = []
    for enrolment in enrolments:
        cells = [Cell(d, marks.get((enrolment.pk, d), ""), d in open_days) for d in days]
        rows.append(
            GridRow(
                enrolment,
                cells,
                sum(c.mark == EXCUSED for c in cells),
                sum(c.mark == UNEXCUSED for c in cells),
            )
        )
    audit_record(
        actor=user,
        action="students.absences_read",
        kind=AuditEvent.Kind.READ,
        obj=group,
        org_unit=group.school.managed_by_id,
        object_repr=group.name,
        changes={"count": len(enrolments), "month": first.strftime("%m/%Y")},
    )
    previous, following = _month_shift(first, -1), _month_shift(first, 1)
    return {
        "rows": rows,
        "days": [(d, WEEKDAYS[d.weekday()], d in open_days) for d in days],
        "month": first,
        "previous": previous if previous >= group.year.starts_on.replace(day=1) else None,
        "next": following if following <= group.year.ends_on else None,
    }


@transaction.atomic
def absences_record(*, actor, class_group: ClassGroup, marks: dict, via: str = "grid") -> dict:
    """Write the class's absences: `marks` {(enrolment id, day): "P" | "K" | ""} — excused, unexcused, or present
    (an absence recorded before is removed, and the removal is in the log). Every enrolment must be of the class
    and every day one the class may be marked on. Returns {"created", "changed", "removed"}."""
    group = class_for_records(actor, class_group.pk, CHANGE)
    ClassGroup.objects.select_for_update().filter(pk=group.pk).first()  # one writer of a class's register at a time
    today = timezone.localdate()
    enrolment_ids = set(Enrolment.objects.filter(class_group=group).values_list("pk", flat=True))
    errors = []
    for (enrolment_id, day), mark in marks.items():
        if enrolment_id not in enrolment_ids:
            errors.append(_("Học sinh #%(e)s không thuộc lớp %(c)s.") % {"e": enrolment_id, "c": group.name})
        elif mark not in ("", *MARKS):
            errors.append(_("“%(m)s” không phải ký hiệu nghỉ học (P hoặc K).") % {"m": mark})
        elif mark and not may_mark(group.year, day, today):
            errors.append(
                _("Không ghi nghỉ học ngày %(d)s (ngoài năm học, Chủ nhật hoặc chưa tới).")
                % {"d": day.strftime("%d/%m/%Y")}
            )
    if errors:
        raise ValidationError(errors[:20])
    touched = {e for e, _d in marks}
    days = [d for _e, d in marks]
    existing = (
        {
            (a.enrolment_id, a.on): a
            for a in Absence.objects.filter(enrolment__in=touched, on__in=set(days))
            if (a.enrolment_id, a.on) in marks
        }
        if marks
        else {}
    )
    create, change, remove = [], [], []
    for key, mark in marks.items():
        old = existing.get(key)
        if old is None:
            if mark:
                create.append(Absence(enrolment_id=key[0], on=key[1], excused=MARKS[mark], recorded_by=actor))
        elif not mark:
            remove.append(old)
        elif old.excused != MARKS[mark]:
            old.excused, old.recorded_by = MARKS[mark], actor
            change.append(old)
    Absence.objects.bulk_create(create)
    if change:
        Absence.objects.bulk_update(change, ["excused", "recorded_by", "recorded_at"])
    if remove:
        Absence.objects.filter(pk__in=[a.pk for a in remove]).delete()
    counts = {"created": len(create), "changed": len(change), "removed": len(remove)}
    if any(counts.values()):
        written = sorted({a.enrolment_id for a in (*create, *change, *remove)})
        audit_record(
            actor=actor,
            action="students.absences_record",
            obj=group,
            org_unit=group.school.managed_by_id,
            object_repr=group.name,
            changes={
                **counts,
                "via": via,
                # A removed day is kept in the log: an absence is never lost in silence.
                "removed_days": [[a.enrolment_id, a.on.isoformat(), a.excused] for a in remove][:500],
            },
        )
        records_written(written)
    return counts


@transaction.atomic
def results_record(*, actor, class_group: ClassGroup, semester: int, results: dict) -> dict:
    """Write a semester's results of the class: {enrolment id: (learning, conduct)} on the grade's scale
    (`records.SCALES`); an empty learning mark leaves the student's result as it was."""
    group = class_for_records(actor, class_group.pk, CHANGE)
    scale = scale_for(group.grade)
    if scale is None:
        raise ValidationError(_("Trẻ mầm non không có kết quả học kỳ."))
    if semester not in SemesterResult.Semester.values:
        raise ValidationError({"semester": _("Học kỳ phải là I hoặc II.")})
    enrolment_ids = set(Enrolment.objects.filter(class_group=group).values_list("pk", flat=True))
    errors = []
    for enrolment_id, (learning, conduct) in results.items():
        if enrolment_id not in enrolment_ids:
            errors.append(_("Học sinh #%(e)s không thuộc lớp %(c)s.") % {"e": enrolment_id, "c": group.name})
        elif learning and learning not in scale["learning"]:
            errors.append(_("“%(m)s” không thuộc thang đánh giá học tập của khối này.") % {"m": learning})
        elif conduct and conduct not in scale["conduct"]:
            errors.append(_("“%(m)s” không thuộc thang đánh giá rèn luyện của khối này.") % {"m": conduct})
    if errors:
        raise ValidationError(errors[:20])
    existing = {r.enrolment_id: r for r in SemesterResult.objects.filter(enrolment__in=results, semester=semester)}
    create, change = [], []
    for enrolment_id, (learning, conduct) in results.items():
        if not learning:
            continue
        old = existing.get(enrolment_id)
        if old is None:
            create.append(
                SemesterResult(
                    enrolment_id=enrolment_id, semester=semester, learning=learning, conduct=conduct, recorded_by=actor
                )
            )
        elif (old.learning, old.conduct) != (learning, conduct):
            old.learning, old.conduct, old.recorded_by = learning, conduct, actor
            change.append(old)
    SemesterResult.objects.bulk_create(create)
    if change:
        SemesterResult.objects.bulk_update(change, ["learning", "conduct", "recorded_by", "recorded_at"])
    counts = {"created": len(create), "changed": len(change)}
    if create or change:
        audit_record(
            actor=actor,
            action="students.results_record",
            obj=group,
            org_unit=group.school.managed_by_id,
            object_repr=group.name,
            changes={**counts, "semester": semester},
        )
        records_written(sorted({r.enrolment_id for r in (*create, *change)}))
    return counts


def result_rows(user, group: ClassGroup, semester: int) -> list[tuple[Enrolment, SemesterResult | None]]:
    enrolments = list(
        Enrolment.objects.restrict(user, VIEW)
        .filter(class_group=group)
        .select_related("child")
        .order_by("child__name_folded", "pk")
    )
    found = {r.enrolment_id: r for r in SemesterResult.objects.filter(enrolment__in=enrolments, semester=semester)}
    audit_record(
        actor=user,
        action="students.results_read",
        kind=AuditEvent.Kind.READ,
        obj=group,
        org_unit=group.school.managed_by_id,
        object_repr=group.name,
        changes={"count": len(enrolments), "semester": semester},
    )
    return [(e, found.get(e.pk)) for e in enrolments]


MARK_LABELS = dict(Mark.choices)
