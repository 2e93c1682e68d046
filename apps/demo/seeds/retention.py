"""Seed step of attendance, results and the early warning: 2024-2025's absences and semester I results, related to
that year's dropouts the way real ones are, not perfectly — most who drop out after semester I were often absent
without leave in its last weeks and many had a poor result, a few were not; a few who stay had a bad month too — so
that the backtest on the rules page (`apps.retention.backtest`) shows real numbers; then the levels of 2025-2026's
students as that year stands. Written in bulk once (when 2024-2025 holds no absence yet), through the after-write
hooks like every write path; one audit event for the lot."""

import datetime
import random

from apps.core.audit import audit_record
from apps.core.models import AuditEvent
from apps.demo.population import LAST, YEAR
from apps.demo.steps import Context
from apps.retention.backtest import semester_one_end
from apps.retention.services import flags_recompute
from apps.students.hooks import records_written
from apps.students.models import Enrolment, EnrolmentEvent
from apps.students.records import Absence, SemesterResult, scale_for
from apps.students.rules import ONGOING

DROPPED = (EnrolmentEvent.Kind.DROPPED_OUT, EnrolmentEvent.Kind.NOT_CONTINUED)


def school_days(last: datetime.date, n: int) -> list[datetime.date]:
    days, day = [], last
    while len(days) < n:
        if day.weekday() != 6:
            days.append(day)
        day -= datetime.timedelta(days=1)
    return days


def seed(ctx: Context) -> None:
    last_year, year = ctx.years.get(LAST), ctx.years.get(YEAR)
    if last_year is None or Absence.objects.filter(enrolment__year=last_year).exists():
        return
    rng = random.Random(20242025)
    cut = semester_one_end(last_year)
    window = school_days(cut, 26)  # the last month of semester I
    autumn = school_days(cut - datetime.timedelta(days=35), 60)
    events = {}
    for enrolment_id, kind, on in (
        EnrolmentEvent.objects.filter(enrolment__year=last_year)
        .values_list("enrolment", "kind", "on")
        .order_by("enrolment", "on", "pk")
    ):
        events.setdefault(enrolment_id, []).append((kind, on))
    absences, results = [], []
    enrolments = Enrolment.objects.filter(year=last_year).order_by("pk").values_list("pk", "grade")
    for pk, grade in enrolments:
        history = events.get(pk, [])
        at_cut = [kind for kind, on in history if on <= cut]
        if not at_cut or at_cut[-1] not in ONGOING:
            continue
        drops = any(kind in DROPPED and on > cut for kind, on in history)
        if drops:
            unexcused = rng.choice((0, 1, 2, 5, 6, 7, 8, 9, 11)) if rng.random() < 0.8 else rng.randint(0, 3)
        else:
            unexcused = rng.randint(5, 8) if rng.random() < 0.04 else rng.choice((0, 0, 0, 0, 1, 1, 2, 3))
        days = rng.sample(window, min(unexcused, len(window)))
        absences += [Absence(enrolment_id=pk, on=d, excused=False, recorded_by=ctx.admin) for d in days]
        excused = [d for d in rng.sample(autumn, rng.choice((0, 0, 1, 2, 3))) if d not in days]
        absences += [Absence(enrolment_id=pk, on=d, excused=True, recorded_by=ctx.admin) for d in excused]
        scale = scale_for(grade)
        if scale:
            poor = rng.random() < (0.45 if drops else 0.05)
            learning = scale["learning"][-1] if poor else rng.choice(scale["learning"][:-1])
            conduct = rng.choice(scale["conduct"][:-1])
            results.append(
                SemesterResult(enrolment_id=pk, semester=1, learning=learning, conduct=conduct, recorded_by=ctx.admin)
            )
    Absence.objects.bulk_create(absences, batch_size=5000)
    SemesterResult.objects.bulk_create(results, batch_size=5000)
    records_written(sorted({a.enrolment_id for a in absences} | {r.enrolment_id for r in results}))
    if year is not None:  # this year's levels as it stands (no one told: the demo is not news)
        flags_recompute(
            Enrolment.objects.filter(year=year, ongoing=True), on=min(datetime.date.today(), year.ends_on), tell=False
        )
    audit_record(
        actor=ctx.admin,
        action="retention.seed_demo",
        kind=AuditEvent.Kind.BULK,
        object_type="students.absence",
        object_repr="Dữ liệu mẫu điểm danh, kết quả học kỳ",
        changes={"absences": len(absences), "results": len(results)},
    )
