"""Phase 1 (mobilisation, from the new year's phase-1 start): the students enrolled at the end of last year who are
not yet re-enrolled, by hamlet; and the lower-secondary completers not in grade 10, with where each was steered
(vocational, continuing education, work, unknown), recorded per child. Both lists open on the year's phase-1
start (`phase1_starts_on`), not before."""

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.models import AuditEvent
from apps.core.scoping import CHANGE, VIEW, get_scoped_or_404
from apps.retention.models import Steering
from apps.schools.models import Phase, SchoolYear
from apps.students.models import Child, Enrolment, EnrolmentEvent
from apps.students.selectors import enrolled_anywhere

Kind = EnrolmentEvent.Kind
FINAL = ("9", "12")  # the last grade of lower and of upper secondary: no re-enrolment in the same ladder


def phase1_starts_on(year: SchoolYear) -> datetime.date:
    """The day phase 1 of `year` starts: its phase 1 where the province set one, else 1 July (seed 003)."""
    phase = Phase.objects.filter(year=year, number=1).first()
    return phase.starts_on if phase else datetime.date(year.start_year, 7, 1)


def phase1_started(year: SchoolYear, today: datetime.date | None = None) -> bool:
    """Whether the lists of `year`'s phase 1 are open: not before its start (before it, last year is still going on
    and nobody is "not yet re-enrolled")."""
    return (today or timezone.localdate()) >= phase1_starts_on(year)


def last_year_of(year: SchoolYear) -> SchoolYear | None:
    return SchoolYear.objects.filter(province_id=year.province_id, start_year=year.start_year - 1).first()


def _ended_last_year(user, last: SchoolYear):
    """Last year's enrolments the user sees that were still going (or completed) at its end."""
    return (
        Enrolment.objects.restrict(user, VIEW)
        .filter(year=last)
        .with_status()
        .filter(status__in=[Kind.ENROLLED, Kind.TRANSFERRED_IN, Kind.RETURNED, Kind.REPEATING, Kind.COMPLETED])
        .select_related("child", "child__hamlet", "school")
    )


def not_reenrolled(user, year: SchoolYear) -> list[tuple[str, list[Enrolment]]]:
    """[(hamlet name, [last year's enrolments])]: students at school at the end of last year (a final grade's
    completers aside) with no ongoing enrolment in `year`, at any school; by hamlet, then name."""
    last = last_year_of(year)
    if last is None or not phase1_started(year):
        return []
    rows = [e for e in _ended_last_year(user, last) if not (e.status == Kind.COMPLETED and e.grade in FINAL)]
    back = enrolled_anywhere([e.child_id for e in rows], year.start_year)
    groups = defaultdict(list)
    for e in rows:
        if e.child_id not in back:
            groups[e.child.hamlet.name if e.child.hamlet else "—"].append(e)
    _log(user, "not_reenrolled", sum(len(v) for v in groups.values()))
    return [(h, sorted(v, key=lambda e: e.child.name_folded)) for h, v in sorted(groups.items())]


def completers_not_in_grade_10(user, year: SchoolYear) -> list[Enrolment]:
    """Last year's grade-9 completers (and those still in grade 9 at its end) not in grade 10 this year at any
    school, each with `steering` (None when not recorded yet)."""
    last = last_year_of(year)
    if last is None or not phase1_started(year):
        return []
    rows = [e for e in _ended_last_year(user, last).filter(grade="9") if e.status == Kind.COMPLETED]
    in_ten = set(
        Enrolment.objects.filter(
            child_id__in=[e.child_id for e in rows], start_year=year.start_year, ongoing=True, grade="10"
        ).values_list("child_id", flat=True)
    )
    rows = [e for e in rows if e.child_id not in in_ten]
    steered = {s.child_id: s for s in Steering.objects.filter(year=year, child_id__in=[e.child_id for e in rows])}
    for e in rows:
        e.steering = steered.get(e.child_id)
    _log(user, "completers", len(rows))
    return sorted(rows, key=lambda e: (e.child.hamlet.name if e.child.hamlet else "", e.child.name_folded))


def _log(user, what: str, count: int) -> None:
    audit_record(
        actor=user,
        action="retention.phase1_read",
        kind=AuditEvent.Kind.READ,
        object_type="students.child",
        changes={"list": what, "count": count},
    )


@transaction.atomic
def steering_record(*, actor, child: Child, year: SchoolYear, destination: str, note: str = "") -> Steering:
    """Where a completer went, for the new year (once per child and year; a correction replaces it, logged)."""
    child = get_scoped_or_404(Child.objects.all(), actor, CHANGE, pk=child.pk)
    if destination not in Steering.Destination.values:
        raise ValidationError({"destination": _("Hãy chọn nơi phân luồng.")})
    steering, created = Steering.objects.update_or_create(
        child=child, year=year, defaults={"destination": destination, "note": note.strip()[:255], "recorded_by": actor}
    )
    audit_record(
        actor=actor,
        action="retention.steering_record",
        obj=steering,
        org_unit=child.commune_id,
        object_repr=f"#{child.pk}",
        changes={"destination": destination, "created": created},
    )
    return steering
