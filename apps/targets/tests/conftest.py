"""Fixtures of the targets' tests: the school year under way today (the demo's 2026-2027 until mid-2027; created
when the calendar has moved on) and helpers to publish and register."""

import datetime

import pytest
from django.utils import timezone

from apps.targets import catalogue, services

ROWS = [(r.indicator, r.level, r.comparison, r.default) for r in catalogue.ROWS if r.default is not None]


@pytest.fixture
def open_year(cast):
    """A school year of the province containing today, so that a deadline ahead of today lies inside it."""
    from apps.schools import services as schools
    from apps.schools.models import SchoolYear

    today = timezone.localdate()
    year = SchoolYear.objects.filter(province=cast.province).containing(today).first()
    if year is None:
        start = today.year if today.month >= 7 else today.year - 1
        year = schools.school_year_create(actor=cast.admin, province=cast.province, start_year=start)
    return year


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def commune_published(cast, open_year):
    """Xã Trà Linh publishes seed 003's defaults for the year under way, registration within ten days (or by the
    year's end, when that is sooner)."""
    deadline = min(days(10), open_year.ends_on)
    return services.publication_publish(
        actor=cast.commune_officer, org_unit=cast.commune_a, year=open_year, deadline=deadline, rows=ROWS
    )


@pytest.fixture
def annex_a(cast, open_year, commune_published):
    return services.annex_start(actor=cast.principal_a, school=cast.school_a, year=open_year)
