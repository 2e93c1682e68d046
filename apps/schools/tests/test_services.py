import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from apps.core.models import AuditEvent
from apps.schools.models import Level, Organisation, School
from apps.schools.services import organisation_create, school_create, school_update, school_year_create, site_create


class TestSchoolCreate:
    def test_the_province_does_not_register_a_commune_school(self, cast):
        with pytest.raises(PermissionDenied):
            school_create(
                actor=cast.province_officer, moet_code="T0009", name="X", levels=Level.PRIMARY, location=cast.commune_a
            )

    def test_a_primary_school_is_managed_by_its_commune(self, cast):
        school = school_create(
            actor=cast.commune_officer,
            moet_code="T0001",
            name="Trường TH Thử",
            levels=Level.PRIMARY,
            location=cast.commune_a,
        )
        assert school.managed_by == cast.commune_a
        assert AuditEvent.objects.filter(action="schools.school_create", object_id=str(school.pk)).exists()

    def test_a_school_teaching_upper_secondary_at_all_is_managed_by_the_province(self, cast):
        school = school_create(
            actor=cast.province_officer,
            moet_code="T0002",
            name="Trường TH&THCS&THPT Thử",
            levels=Level.PRIMARY | Level.LOWER_SECONDARY | Level.UPPER_SECONDARY,
            location=cast.commune_a,
        )
        assert school.managed_by == cast.province
        assert school.teaches(Level.PRIMARY) and not school.teaches(Level.CRECHE)

    def test_a_commune_officer_cannot_create_a_province_managed_school(self, cast):
        with pytest.raises(Http404):
            school_create(
                actor=cast.commune_officer,
                moet_code="T0003",
                name="Trường THPT Thử",
                levels=Level.UPPER_SECONDARY,
                location=cast.commune_a,
            )

    def test_the_moet_code_is_unique(self, cast):
        with pytest.raises(ValidationError):
            school_create(
                actor=cast.commune_officer,
                moet_code=cast.school_a.moet_code,
                name="Trùng",
                levels=Level.PRIMARY,
                location=cast.commune_a,
            )


class TestSchoolUpdate:
    def test_the_province_does_not_reconfigure_a_commune_school(self, cast):
        with pytest.raises(PermissionDenied):
            school_update(actor=cast.province_officer, school=cast.school_a, name="Tên khác")

    def test_the_province_reconfigures_its_own_upper_secondary_school(self, cast):
        school = school_update(actor=cast.province_officer, school=cast.school_upper, phone="0235 3888 999")
        assert school.phone == "0235 3888 999"

    def test_adding_upper_secondary_moves_management_to_the_province(self, cast):
        # A hand-over needs rights at both ends: only a system administrator holds both.
        with pytest.raises(PermissionDenied):
            school_update(actor=cast.province_officer, school=cast.school_a, levels=Level.UPPER_SECONDARY)
        school = school_update(actor=cast.admin, school=cast.school_a, levels=Level.PRIMARY | Level.UPPER_SECONDARY)
        assert school.managed_by == cast.province
        event = AuditEvent.objects.get(action="schools.school_update", object_id=str(school.pk))
        assert event.changes["managed_by"] == [cast.commune_a.pk, cast.province.pk]

    def test_the_commune_cannot_hand_its_school_to_the_province(self, cast):
        with pytest.raises(Http404):
            school_update(actor=cast.commune_officer, school=cast.school_a, levels=Level.CONTINUING)

    def test_a_principal_cannot_change_school_settings(self, cast):
        with pytest.raises(PermissionDenied):
            school_update(actor=cast.principal_a, school=cast.school_a, name="Tên khác")

    def test_an_unchanged_save_writes_no_event(self, cast):
        before = AuditEvent.objects.count()
        school_update(actor=cast.commune_officer, school=cast.school_a, name=cast.school_a.name)
        assert AuditEvent.objects.count() == before


class TestSitesAndOrganisations:
    def test_a_site_must_stand_in_a_hamlet(self, cast):
        with pytest.raises(ValidationError):
            site_create(actor=cast.commune_officer, school=cast.school_a, name="Điểm lạ", hamlet=cast.commune_a)

    def test_the_principal_adds_an_organisation_to_their_school(self, cast):
        org = organisation_create(
            actor=cast.principal_a, kind=Organisation.Kind.VETERANS, name="Chi hội CCB", school=cast.school_a
        )
        assert org.owner == cast.school_a

    def test_a_teacher_cannot_add_an_organisation(self, cast):
        with pytest.raises(PermissionDenied):
            organisation_create(actor=cast.teacher_a, kind=Organisation.Kind.VETERANS, name="X", school=cast.school_a)


class TestSchoolYear:
    def test_default_phases_partition_the_year(self, cast):
        year = school_year_create(actor=cast.province_officer, province=cast.province, start_year=2030)
        phases = list(year.phases.order_by("number"))
        assert [(p.starts_on, p.ends_on) for p in phases] == [
            (datetime.date(2030, 7, 1), datetime.date(2030, 9, 4)),
            (datetime.date(2030, 9, 5), datetime.date(2031, 1, 17)),
            (datetime.date(2031, 1, 18), datetime.date(2031, 6, 30)),
        ]
        assert [s.number for s in year.semesters.all()] == [1, 2]
        assert year.name == "2030-2031"

    def test_a_province_sets_its_own_opening_day(self, cast):
        year = school_year_create(
            actor=cast.province_officer, province=cast.province, start_year=2031, opening_day=datetime.date(2031, 9, 3)
        )
        assert year.phases.get(number=1).ends_on == datetime.date(2031, 9, 2)

    def test_dates_out_of_order_are_refused(self, cast):
        with pytest.raises(ValidationError):
            school_year_create(
                actor=cast.province_officer,
                province=cast.province,
                start_year=2032,
                opening_day=datetime.date(2032, 6, 1),
            )

    def test_only_the_province_declares_school_years(self, cast):
        with pytest.raises(Http404):
            school_year_create(actor=cast.commune_officer, province=cast.province, start_year=2033)

    def test_every_signed_in_user_of_the_province_sees_its_years(self, cast):
        from apps.schools.models import SchoolYear

        assert SchoolYear.objects.restrict(cast.teacher_b).filter(start_year=2025).exists()
        assert not SchoolYear.objects.restrict(cast.anonymous).exists()


def test_levels_filter_finds_multi_level_schools(cast):
    codes = set(School.objects.teaching(Level.LOWER_SECONDARY).values_list("moet_code", flat=True))
    assert "48095003" in codes and "48010003" in codes and cast.school_a.moet_code not in codes


class TestSchoolYearUpdate:
    def test_moving_the_opening_day_moves_the_phases_and_is_audited(self, cast):
        from apps.schools.models import SchoolYear
        from apps.schools.services import school_year_update

        year = SchoolYear.objects.get(province=cast.province, start_year=2025)
        school_year_update(actor=cast.province_officer, year=year, opening_day=datetime.date(2025, 9, 3))
        assert year.phases.get(number=1).ends_on == datetime.date(2025, 9, 2)
        assert year.phases.get(number=2).starts_on == datetime.date(2025, 9, 3)
        assert year.semesters.get(number=1).starts_on == datetime.date(2025, 9, 3)
        event = AuditEvent.objects.get(action="schools.school_year_update", object_id=str(year.pk))
        assert event.changes == {"opening_day": ["2025-09-05", "2025-09-03"]}

    def test_a_commune_cannot_move_the_provinces_calendar(self, cast):
        from apps.schools.models import SchoolYear
        from apps.schools.services import school_year_update

        year = SchoolYear.objects.get(province=cast.province, start_year=2025)
        with pytest.raises(PermissionDenied):
            school_year_update(actor=cast.commune_officer, year=year, opening_day=datetime.date(2025, 9, 3))


def test_a_site_stands_in_a_hamlet_of_the_schools_own_commune(cast):
    from apps.orgunits.models import OrgUnit

    elsewhere = OrgUnit.objects.current().filter(parent=cast.commune_b, type="hamlet").first()
    with pytest.raises(Http404):  # not even visible to the commune officer of A
        site_create(actor=cast.commune_officer, school=cast.school_a, name="Điểm lạc", hamlet=elsewhere)
    with pytest.raises(ValidationError, match="xã nơi trường đặt"):
        site_create(actor=cast.admin, school=cast.school_a, name="Điểm lạc", hamlet=elsewhere)


class TestSchoolYearDates:
    def test_a_year_keeps_to_its_own_calendar_years(self, cast):
        from apps.schools.models import SchoolYear
        from apps.schools.services import school_year_update

        year = SchoolYear.objects.get(province=cast.province, start_year=2025)
        with pytest.raises(ValidationError, match="phải bắt đầu trong năm 2025"):
            school_year_update(actor=cast.province_officer, year=year, starts_on=datetime.date(2030, 7, 1))

    def test_years_of_a_province_do_not_overlap(self, cast):
        from apps.schools.models import SchoolYear
        from apps.schools.services import school_year_update

        year = SchoolYear.objects.get(province=cast.province, start_year=2025)
        with pytest.raises(ValidationError, match="Trùng thời gian với năm học 2024-2025"):
            school_year_update(actor=cast.province_officer, year=year, starts_on=datetime.date(2025, 6, 1))
