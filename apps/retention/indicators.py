"""The retention app's indicators for the engine (`apps.indicators.registry`):

- `home_visit_coverage`: of the students at medium or high risk (their flag in force), those whose family was
  visited in the last 30 days (as of the day asked, or the year's end once it is over);
- `mentored`: of the students at medium or high risk, those with a mentor on that day.

Both count ongoing enrolments of the school year, by the school (a school target) or the school's location (a unit's
subtree): one query each, whatever the number of targets or students. The query starts from the flags in force (a
join, not an EXISTS tested on every enrolment of the year) and is counted per school by the database."""

import datetime
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.indicators.registry import Indicator, Value, register
from apps.retention.mentors import in_force
from apps.retention.models import HomeVisit, Level, Mentorship
from apps.retention.selectors import VISIT_WINDOW
from apps.students.models import Enrolment


def _at_risk(query):
    on = min(query.on or timezone.localdate(), query.year.ends_on)
    return on, Enrolment.objects.filter(
        year=query.year, ongoing=True, risk_flags__current=True, risk_flags__level__in=(Level.MEDIUM, Level.HIGH)
    )  # one flag in force per enrolment (`one_current_flag`): the join repeats no enrolment


def _per_target(query, enrolments) -> dict:
    """enrolments annotated with `counted` → {target key: {"": Value}}, counted per school and location by the
    database (one query)."""
    rows = enrolments.values("school_id", "school__location__path", "counted").annotate(n=Count("pk")).order_by()
    per_school = defaultdict(lambda: [0, 0])
    paths = {}
    for row in rows:
        sums = per_school[row["school_id"]]
        paths[row["school_id"]] = row["school__location__path"]
        sums[0] += row["n"] if row["counted"] else 0
        sums[1] += row["n"]
    result = {}
    for target in query.targets:
        num = den = 0
        for school_id, (counted, n) in per_school.items():
            if (target.school is not None and target.school.pk == school_id) or (
                target.school is None and paths[school_id].startswith(target.unit.path)
            ):
                num += counted
                den += n
        result[target.key] = {"": Value(num, den)}
    return result


def home_visit_coverage(query) -> dict:
    on, enrolments = _at_risk(query)
    since = on - datetime.timedelta(days=VISIT_WINDOW - 1)
    visited = HomeVisit.objects.filter(enrolment=OuterRef("pk"), on__gte=since, on__lte=on)
    return _per_target(query, enrolments.annotate(counted=Exists(visited)))


def mentored(query) -> dict:
    on, enrolments = _at_risk(query)
    mentors = Mentorship.objects.filter(in_force(on), enrolment=OuterRef("pk"))
    return _per_target(query, enrolments.annotate(counted=Exists(mentors)))


def register_indicators() -> None:
    register(
        Indicator(
            code="home_visit_coverage",
            label=_("Tỷ lệ học sinh có nguy cơ được thăm hỏi gia đình"),
            compute=home_visit_coverage,
            source="retention",
            order=300,
            description=_(
                "Học sinh có nguy cơ trung bình hoặc cao được thăm gia đình trong 30 ngày qua, trên số học sinh có "
                "nguy cơ."
            ),
        )
    )
    register(
        Indicator(
            code="mentored",
            label=_("Tỷ lệ học sinh có nguy cơ có người đỡ đầu"),
            compute=mentored,
            source="retention",
            order=310,
            description=_(
                "Học sinh có nguy cơ trung bình hoặc cao đang có cán bộ, giáo viên đỡ đầu, trên số học sinh có nguy cơ."
            ),
        )
    )
