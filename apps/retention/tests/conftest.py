import datetime

import pytest

from apps.students.models import ClassGroup, Enrolment

# A day of the demo's 2025-2026 year, and a Monday of the month before it.
ON = datetime.date(2025, 10, 31)


@pytest.fixture
def class_a(cast):
    return ClassGroup.objects.get(school=cast.school_a, name="1A", year__start_year=2025)


@pytest.fixture
def plain_pupil(cast, class_a):
    """A pupil of 1A with no circumstance that weighs: only what a test gives them counts."""
    enrolment = (
        Enrolment.objects.filter(class_group=class_a, ongoing=True).select_related("child").order_by("pk").first()
    )
    child = enrolment.child
    for flag in ("poor", "near_poor", "orphan", "disability", "remote_area"):
        setattr(child, flag, False)
    child.birth_year = class_a.year.start_year - 6
    child.hamlet, child.commune = None, cast.commune_b  # Trà Linh is especially difficult (ĐBKK): live elsewhere
    child.save()
    assert not enrolment.child.enrolments.filter(events__kind__in=["dropped_out", "not_continued"]).exists()
    return enrolment
