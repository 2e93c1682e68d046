"""The students' home tile: this year's figures in scope and the census children no school lists."""

from django.urls import reverse

from apps.orgunits.models import OrgUnit
from apps.schools.models import SchoolYear
from apps.schools.selectors import default_year
from apps.students import selectors
from apps.students.site import students_tile


def unlisted_the_long_way(user, year):
    """The census page's own rule (`census_of_hamlet`), hamlet by hamlet."""
    hamlets = OrgUnit.objects.restrict(user).filter(type=OrgUnit.Type.HAMLET)
    return {h.pk: n for h in hamlets if (n := sum(r.unlisted for r in selectors.census_of_hamlet(user, h, year)))}


class TestStudentsTile:
    def test_the_unlisted_count_agrees_with_the_census_pages(self, cast):
        year = default_year(SchoolYear.objects.restrict(cast.commune_officer))
        expected = unlisted_the_long_way(cast.commune_officer, year)
        rows = selectors.census_unlisted_by_hamlet(cast.commune_officer, year.start_year)
        assert {row["hamlet"]: row["n"] for row in rows} == expected
        assert sum(expected.values()) > 0  # the demo census has children to verify

    def test_a_commune_officer_is_told_what_needs_attention(self, cast, client_for):
        tile = students_tile(cast.commune_officer)
        page = client_for(cast.commune_officer).get(reverse("home")).content.decode()
        assert tile["unlisted"] > 0
        assert f"Cần xác minh: {tile['unlisted']} trẻ điều tra phổ cập" in page
        first = tile["unlisted_hamlets"][0]
        assert reverse("students:census_hamlet", args=[first["hamlet"]]) in page

    def test_another_commune_sees_none_of_it(self, cast):
        mine = {row["hamlet"] for row in selectors.census_unlisted_by_hamlet(cast.commune_officer, 2025)}
        theirs = {row["hamlet"] for row in selectors.census_unlisted_by_hamlet(cast.other_commune_officer, 2025)}
        assert mine and not (mine & theirs)

    def test_a_teacher_sees_their_classes_figures_without_the_census(self, cast, client_for):
        from apps.students.models import Enrolment

        tile = students_tile(cast.teacher_a)
        year = tile["year"]
        seen = Enrolment.objects.restrict(cast.teacher_a).filter(year__start_year=year.start_year, ongoing=True)
        assert tile["ongoing"] == seen.count() and not tile["governs_census"] and tile["unlisted"] == 0
        assert "Cần xác minh" not in client_for(cast.teacher_a).get(reverse("home")).content.decode()

    def test_a_partner_officer_gets_no_students_tile(self, cast):
        assert students_tile(cast.partner) is None
