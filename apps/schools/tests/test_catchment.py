import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from apps.core.models import AuditEvent
from apps.orgunits.models import OrgUnit
from apps.schools import services
from apps.schools.models import Catchment, Level, SchoolYear

pytestmark = pytest.mark.django_db


def hamlets_of(commune):
    return list(OrgUnit.objects.current().filter(parent=commune, type=OrgUnit.Type.HAMLET).order_by("pk"))


class TestCatchment:
    def test_the_demo_splits_tra_linh_between_its_primary_schools(self, cast):
        primary = Catchment.objects.filter(level=Level.PRIMARY, unit__parent=cast.commune_a)
        by_school = {}
        for c in primary:
            by_school.setdefault(c.school.moet_code, set()).add(c.unit_id)
        assert len(by_school["48095002"]) == 3 and len(by_school["48095003"]) == 3
        assert not by_school["48095002"] & by_school["48095003"]
        lower = Catchment.objects.filter(level=Level.LOWER_SECONDARY, school__moet_code="48095003")
        assert lower.count() == 6

    def test_the_managing_unit_sets_it_and_it_is_audited(self, cast):
        hamlets = hamlets_of(cast.commune_a)
        services.catchment_set(actor=cast.commune_officer, school=cast.school_a, level=Level.PRIMARY, units=hamlets[:2])
        assert set(Catchment.objects.filter(school=cast.school_a).values_list("unit_id", flat=True)) == {
            h.pk for h in hamlets[:2]
        }
        assert AuditEvent.objects.filter(action="schools.catchment_set", object_id=str(cast.school_a.pk)).exists()

    def test_a_principal_may_not_set_it(self, cast):
        from django.core.exceptions import PermissionDenied

        with pytest.raises(PermissionDenied):
            services.catchment_set(actor=cast.principal_a, school=cast.school_a, level=Level.PRIMARY, units=[])

    def test_an_officer_of_another_commune_gets_404(self, cast):
        with pytest.raises(Http404):
            services.catchment_set(
                actor=cast.other_commune_officer, school=cast.school_a, level=Level.PRIMARY, units=[]
            )

    def test_a_level_the_school_does_not_teach_is_refused(self, cast):
        with pytest.raises(ValidationError):
            services.catchment_set(
                actor=cast.commune_officer, school=cast.school_a, level=Level.LOWER_SECONDARY, units=[cast.commune_a]
            )

    def test_the_page_saves_it(self, cast, client_for):
        hamlet = hamlets_of(cast.commune_a)[0]
        response = client_for(cast.commune_officer).post(
            f"/schools/{cast.school_a.pk}/catchment/", {f"level_{int(Level.PRIMARY)}": [hamlet.pk]}
        )
        assert response.status_code == 302
        assert list(Catchment.objects.filter(school=cast.school_a).values_list("unit_id", flat=True)) == [hamlet.pk]


class TestCountDay:
    def test_a_new_year_counts_on_22_september(self, cast):
        year = services.school_year_create(actor=cast.province_officer, province=cast.province, start_year=2031)
        assert year.count_day == datetime.date(2031, 9, 22)

    def test_a_count_day_before_opening_is_refused(self, cast):
        year = SchoolYear.objects.get(province=cast.province, start_year=2025)
        with pytest.raises(ValidationError) as exc:
            services.school_year_update(
                actor=cast.province_officer, year=year, count_day=year.opening_day - datetime.timedelta(days=1)
            )
        assert "count_day" in exc.value.message_dict

    def test_a_count_day_after_semester_one_is_refused(self, cast):
        year = SchoolYear.objects.get(province=cast.province, start_year=2025)
        with pytest.raises(ValidationError):
            services.school_year_update(actor=cast.province_officer, year=year, count_day=datetime.date(2026, 3, 1))

    def test_the_years_page_changes_it(self, cast, client_for):
        year = SchoolYear.objects.get(province=cast.province, start_year=2025)
        response = client_for(cast.province_officer).post(f"/schools/years/{year.pk}/", {"count_day": "2025-09-25"})
        assert response.status_code == 302
        year.refresh_from_db()
        assert year.count_day == datetime.date(2025, 9, 25)
        assert "25/09/2025" in client_for(cast.province_officer).get("/schools/years/").content.decode()
