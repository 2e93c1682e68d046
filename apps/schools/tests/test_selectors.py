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


class TestUnitPages:
    def test_school_counts_count_a_whole_level_of_the_tree_in_one_query(self, cast, django_assert_num_queries):
        from apps.orgunits.selectors import tree_roots
        from apps.schools.models import School
        from apps.schools.selectors import school_counts

        communes = list(cast.province.children.filter(valid_to__isnull=True))
        tree_roots(cast.province_officer)  # the scope, once per request
        with django_assert_num_queries(1):
            counts = school_counts(cast.province_officer, communes)
        assert len(communes) > 90 and set(counts) == {c.pk for c in communes}
        assert counts[cast.commune_a.pk] == School.objects.filter(location=cast.commune_a).count() == 4
        assert sum(counts.values()) == School.objects.filter(location__path__startswith=cast.province.path).count()

    def test_the_panels_apply_to_the_units_that_hold_them(self, cast):
        from apps.orgunits.models import OrgUnit
        from apps.schools.selectors import hamlet_sites_panel, unit_organisations_panel, unit_schools_panel

        old = OrgUnit.objects.historical().get(level=3, code="20953")
        hamlet = cast.school_a.sites.get(name="Điểm Thôn 2").hamlet
        for panel in (unit_schools_panel, unit_organisations_panel):
            assert panel(cast.admin, old) is None and panel(cast.admin, hamlet) is None
        assert hamlet_sites_panel(cast.admin, cast.commune_a) is None
        assert [s.name for s in hamlet_sites_panel(cast.teacher_a, hamlet)["sites"]] == ["Điểm Thôn 2"]
        assert unit_organisations_panel(cast.commune_officer, cast.commune_a)["may_add"]
        assert not unit_organisations_panel(cast.teacher_a, cast.commune_a)["may_add"]
        assert unit_organisations_panel(cast.teacher_a, cast.commune_a)["form"] is None
