"""The early warning's recomputes: after absences or results are written (the students' after-write hook, inside
that write's transaction) and every day for every ongoing enrolment of the years under way (the rolling window of
absences moves on even when nobody writes)."""

import datetime

from django.utils import timezone

from apps.retention.services import flags_recompute
from apps.schools.models import SchoolYear
from apps.students.models import Enrolment


def as_of(year, today: datetime.date) -> datetime.date:
    """The day a year's levels are computed as of: today, or the year's last day once it is over."""
    return min(today, year.ends_on)


def after_records(enrolment_ids: list[int]) -> None:
    today = timezone.localdate()
    enrolments = Enrolment.objects.filter(pk__in=enrolment_ids, ongoing=True)
    for year in SchoolYear.objects.filter(pk__in=enrolments.values("year")):
        flags_recompute(enrolments.filter(year=year), on=as_of(year, today))


def daily_recompute(on: datetime.date) -> dict:
    years = SchoolYear.objects.filter(starts_on__lte=on, ends_on__gte=on).values("pk")
    return flags_recompute(Enrolment.objects.filter(year__in=years, ongoing=True), on=on)
