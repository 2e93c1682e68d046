import datetime

from apps.schools.models import SchoolYear
from apps.schools.selectors import _YEAR_DATA, current_year, default_year
from apps.students.models import Enrolment


def test_the_year_opened_on_is_the_one_under_way_with_data_else_the_latest_with_data(cast):
    """The demo has 2024-2025, 2025-2026 (with students) and 2026-2027 (created, nothing entered)."""
    names = {
        datetime.date(2025, 11, 1): "2025-2026",  # under way, with data
        datetime.date(2026, 12, 1): "2025-2026",  # 2026-2027 is under way but empty
        datetime.date(2027, 3, 15): "2025-2026",  # from January to June: never next year
    }
    for on, name in names.items():
        assert current_year(cast.commune_a, on=on).name == name, on
    assert current_year(cast.school_a.location, on=datetime.date(2026, 12, 1)) == current_year(cast.province)


def test_once_the_new_year_holds_data_it_is_opened(cast):
    new = SchoolYear.objects.get(province=cast.province, start_year=2026)
    enrolment = Enrolment.objects.filter(school=cast.school_a, year__start_year=2025).first()
    Enrolment.objects.create(
        child=enrolment.child, school=cast.school_a, year=new, grade="3", start_year=2026, ongoing=False
    )
    assert current_year(cast.commune_a, on=datetime.date(2026, 12, 1)) == new
    assert current_year(cast.commune_a, on=new.starts_on - datetime.timedelta(days=1)).start_year == 2025


def test_without_any_data_the_year_under_way_is_opened(cast, monkeypatch):
    monkeypatch.setattr("apps.schools.selectors._YEAR_DATA", [])
    years = SchoolYear.objects.filter(province=cast.province)
    assert default_year(years, on=datetime.date(2026, 12, 1)).start_year == 2026
    assert default_year(years.none(), on=datetime.date(2026, 12, 1)) is None
    assert _YEAR_DATA  # the students app registered what holds data
