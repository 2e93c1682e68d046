"""Backtest before trust: how the province's current rules would have done on the latest finished school year of
the user's unit — the signals as they stood at the end of semester I, the dropouts after it. Counts only (no child
is named): the dropouts flagged (medium or high), the dropouts missed, the false alarms (flagged and still at
school at the year's end)."""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from apps.core.audit import audit_record
from apps.core.models import AuditEvent
from apps.core.scoping import AGGREGATE
from apps.retention.models import Level
from apps.retention.rules import assess, rules_for, signals
from apps.schools.models import SchoolYear, Semester
from apps.students.models import Enrolment, EnrolmentEvent
from apps.students.records import Absence
from apps.students.rules import ONGOING

DROPPED = (EnrolmentEvent.Kind.DROPPED_OUT, EnrolmentEvent.Kind.NOT_CONTINUED)


@dataclass(frozen=True)
class Backtest:
    year: SchoolYear
    cut: datetime.date  # the end of semester I: signals up to it, dropouts after it
    students: int  # at school at the cut
    flagged: int  # of them, flagged medium or high
    dropouts: int  # of them, dropped out after the cut
    caught: int  # dropouts flagged
    missed: int  # dropouts not flagged
    false_alarms: int  # flagged, did not drop out

    @property
    def recall(self) -> int | None:
        return round(100 * self.caught / self.dropouts) if self.dropouts else None

    @property
    def precision(self) -> int | None:
        return round(100 * self.caught / self.flagged) if self.flagged else None


def latest_finished_year(province, today: datetime.date | None = None) -> SchoolYear | None:
    """The province's latest school year over by `today` that holds absences (else the latest over at all)."""
    today = today or timezone.localdate()
    over = SchoolYear.objects.filter(province=province, ends_on__lt=today).order_by("-start_year")
    with_records = over.filter(pk__in=Absence.objects.values("enrolment__year"))
    return with_records.first() or over.first()


def semester_one_end(year: SchoolYear) -> datetime.date:
    first = Semester.objects.filter(year=year, number=1).first()
    return first.ends_on if first else datetime.date(year.start_year + 1, 1, 15)


def backtest(user, province, *, unit=None, today: datetime.date | None = None) -> Backtest | None:
    """The current rules of `province` on its latest finished year, over the enrolments of `unit`'s subtree (by the
    school's location; the user's whole view when None) the user may count. Logged as a read of figures."""
    year = latest_finished_year(province, today)
    if year is None:
        return None
    cut = semester_one_end(year)
    rules = rules_for(province.pk)
    status_at_cut = EnrolmentEvent.objects.filter(enrolment=OuterRef("pk"), on__lte=cut).order_by("-on", "-pk")
    enrolments = Enrolment.objects.restrict(user, AGGREGATE).filter(year=year)
    if unit is not None:
        enrolments = enrolments.filter(school__location__path__startswith=unit.path)
    at_cut = enrolments.annotate(status=Subquery(status_at_cut.values("kind")[:1])).filter(status__in=ONGOING)
    ids = list(at_cut.values_list("pk", flat=True))
    later = set(
        EnrolmentEvent.objects.filter(
            enrolment__in=ids, kind__in=DROPPED, on__gt=cut, on__lte=year.ends_on
        ).values_list("enrolment", flat=True)
    )
    flagged = caught = 0
    for chunk_start in range(0, len(ids), 20_000):
        chunk = ids[chunk_start : chunk_start + 20_000]
        found = signals(Enrolment.objects.filter(pk__in=chunk), cut, rules, semester=1)
        for pk, (_row, reasons) in found.items():
            _score, level, _weighing = assess(reasons, rules)
            if level != Level.LOW:
                flagged += 1
                caught += pk in later
    result = Backtest(
        year=year,
        cut=cut,
        students=len(ids),
        flagged=flagged,
        dropouts=len(later),
        caught=caught,
        missed=len(later) - caught,
        false_alarms=flagged - caught,
    )
    audit_record(
        actor=user,
        action="retention.backtest_read",
        kind=AuditEvent.Kind.READ,
        org_unit=unit or province,
        changes={"year": year.name, "students": result.students, "flagged": flagged, "dropouts": result.dropouts},
    )
    return result
