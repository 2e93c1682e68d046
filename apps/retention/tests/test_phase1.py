"""Phase-1 lists: last year's students not re-enrolled, by hamlet, and grade-9 completers not in grade 10 with
where each was steered (recorded per child)."""

import pytest
from django.urls import reverse

from apps.retention import phase1
from apps.retention.models import Steering
from apps.schools.models import School, SchoolYear
from apps.students import services as students


@pytest.fixture
def years(cast):
    return (
        SchoolYear.objects.get(province=cast.province, start_year=2024),
        SchoolYear.objects.get(province=cast.province, start_year=2025),
    )


def pupil(cast, name, birth_year):
    return students.child_create(
        actor=cast.admin, full_name=name, birth_year=birth_year, sex="M", commune=cast.commune_a
    )


def enrol(cast, child, school, year, grade, *, completed=False):
    enrolment = students.enrolment_create(
        actor=cast.admin, child=child, school=school, year=year, grade=grade, on=year.starts_on
    )
    if completed:
        students.enrolment_record_event(actor=cast.admin, enrolment=enrolment, kind="completed", on=year.ends_on)
    return enrolment


@pytest.fixture
def planted(cast, years):
    last, year = years
    lower = School.objects.get(moet_code="48095003")
    before = {
        "missing": {e.child_id for _h, rows in phase1.not_reenrolled(cast.commune_officer, year) for e in rows},
        "completers": {e.child_id for e in phase1.completers_not_in_grade_10(cast.commune_officer, year)},
    }
    away = pupil(cast, "Hồ Văn Chưa Về", 2015)
    enrol(cast, away, cast.school_a, last, "3")
    back = pupil(cast, "Hồ Văn Đã Về", 2015)
    enrol(cast, back, cast.school_a, last, "3")
    enrol(cast, back, cast.school_a, year, "4")
    steered = pupil(cast, "Hồ Văn Học Nghề", 2009)
    enrol(cast, steered, lower, last, "9", completed=True)
    tenth = pupil(cast, "Hồ Văn Lớp Mười", 2009)
    enrol(cast, tenth, lower, last, "9", completed=True)
    enrol(cast, tenth, cast.school_upper, year, "10")
    return {"before": before, "away": away, "back": back, "steered": steered, "tenth": tenth}


def test_the_phase1_lists_show_the_planted_non_returners_and_completers(cast, years, planted, client_for):
    last, year = years
    missing = {e.child_id for _h, rows in phase1.not_reenrolled(cast.commune_officer, year) for e in rows}
    assert missing - planted["before"]["missing"] == {planted["away"].pk}
    completers = phase1.completers_not_in_grade_10(cast.commune_officer, year)
    assert {e.child_id for e in completers} - planted["before"]["completers"] == {planted["steered"].pk}
    page = client_for(cast.commune_officer).get(reverse("retention:phase1"), {"year": year.pk}).content.decode()
    assert "Hồ Văn Chưa Về" in page and "Hồ Văn Học Nghề" in page
    assert "Hồ Văn Đã Về" not in page and "Hồ Văn Lớp Mười" not in page


def test_where_a_completer_was_steered_is_recorded_per_child(cast, years, planted, client_for):
    last, year = years
    client = client_for(cast.commune_officer)
    url = reverse("retention:steering_new", args=[planted["steered"].pk])
    assert client.post(url, {"year": year.pk, "destination": "vocational"}).status_code == 302
    steering = Steering.objects.get(child=planted["steered"], year=year)
    assert steering.destination == "vocational" and steering.recorded_by == cast.commune_officer
    [row] = [
        e for e in phase1.completers_not_in_grade_10(cast.commune_officer, year) if e.child_id == steering.child_id
    ]
    assert row.steering == steering
    page = client.get(reverse("retention:phase1"), {"year": year.pk}).content.decode()
    assert "Học nghề" in page
    client.post(url, {"year": year.pk, "destination": "nowhere"})
    steering.refresh_from_db()
    assert steering.destination == "vocational"  # a destination outside the list is refused


def test_the_phase1_lists_stay_closed_before_the_years_phase1_start(cast, years, planted, client_for):
    import datetime

    from django.utils import timezone

    from apps.schools.models import Phase

    last, year = years
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    Phase.objects.update_or_create(
        year=year, number=1, defaults={"starts_on": tomorrow, "ends_on": tomorrow + datetime.timedelta(days=30)}
    )
    assert phase1.phase1_starts_on(year) == tomorrow and not phase1.phase1_started(year)
    assert phase1.not_reenrolled(cast.commune_officer, year) == []
    assert phase1.completers_not_in_grade_10(cast.commune_officer, year) == []
    page = client_for(cast.commune_officer).get(reverse("retention:phase1"), {"year": year.pk}).content.decode()
    assert "Hồ Văn Chưa Về" not in page and "Hồ Văn Học Nghề" not in page
    assert f"bắt đầu từ ngày {tomorrow:%d/%m/%Y}" in page
