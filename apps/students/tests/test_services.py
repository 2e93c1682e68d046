import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from apps.core.models import AuditEvent
from apps.schools.models import SchoolYear
from apps.students.models import Child, DropoutReason, Enrolment, EnrolmentEvent
from apps.students.services import child_create, enrolment_create, enrolment_record_event

Kind = EnrolmentEvent.Kind


@pytest.fixture
def year(cast):
    return SchoolYear.objects.get(province=cast.province, start_year=2025)


@pytest.fixture
def enrolment(cast):
    return Enrolment.objects.filter(school=cast.school_a, class_group__name="1A").first()


class TestChildCreate:
    def test_the_log_never_names_the_child(self, cast):
        child = child_create(
            actor=cast.commune_officer, full_name="Hồ Thị Ngọc Ánh", birth_year=2019, sex="F", commune=cast.commune_a
        )
        assert child.name_folded == "ho thi ngoc anh"
        event = AuditEvent.objects.get(action="students.child_create", object_id=str(child.pk))
        assert "Ánh" not in event.object_repr

    def test_a_school_enrols_a_child_from_another_commune(self, cast, year):
        child = child_create(
            actor=cast.principal_a,
            full_name="Trần Văn Bình",
            birth_year=2019,
            sex="M",
            commune=cast.commune_b,
            for_school=cast.school_a,
        )
        enrolment_create(
            actor=cast.principal_a,
            child=child,
            school=cast.school_a,
            year=year,
            grade="1",
            on=datetime.date(2025, 9, 5),
        )
        assert Child.objects.restrict(cast.principal_a).filter(pk=child.pk).exists()

    def test_a_child_and_an_enrolment_are_always_audited(self, cast, year):
        person = {"full_name": "Hồ Văn Lặng", "birth_year": 2019, "sex": "M", "commune": cast.commune_a}
        with pytest.raises(TypeError):
            child_create(actor=cast.commune_officer, **person, audit=False)
        child = child_create(actor=cast.commune_officer, **person)
        place = {"child": child, "school": cast.school_a, "year": year, "grade": "1", "on": year.opening_day}
        with pytest.raises(TypeError):
            enrolment_create(actor=cast.principal_a, **place, audit=False)
        enrolment = enrolment_create(actor=cast.principal_a, **place)
        event = AuditEvent.objects.get(action="students.enrolment_create", object_id=str(enrolment.pk))
        assert event.changes == {"school": cast.school_a.pk, "grade": "1", "kind": "enrolled"}
        assert event.org_unit == cast.school_a.managed_by

    def test_a_teacher_creates_no_child(self, cast):
        with pytest.raises(PermissionDenied):
            child_create(actor=cast.teacher_a, full_name="X", birth_year=2019, sex="M", commune=cast.commune_a)


class TestEnrolment:
    def test_a_grade_the_school_does_not_teach_is_refused(self, cast, year):
        child = Child.objects.filter(commune=cast.commune_a).first()
        with pytest.raises(ValidationError, match="không dạy Lớp 7"):
            enrolment_create(
                actor=cast.commune_officer,
                child=child,
                school=cast.school_a,
                year=year,
                grade="7",
                on=datetime.date(2025, 9, 5),
            )

    def test_another_commune_cannot_enrol_at_school_a(self, cast, year):
        child = Child.objects.filter(commune=cast.commune_b).first()
        with pytest.raises(Http404):
            enrolment_create(
                actor=cast.other_commune_officer,
                child=child,
                school=cast.school_a,
                year=year,
                grade="1",
                on=datetime.date(2025, 9, 5),
            )


class TestEvents:
    def test_the_status_is_the_latest_event(self, cast, enrolment):
        enrolment_record_event(
            actor=cast.principal_a,
            enrolment=enrolment,
            kind=Kind.DROPPED_OUT,
            on=datetime.date(2025, 12, 1),
            reason=DropoutReason.DISTANCE,
        )
        assert Enrolment.objects.with_status().get(pk=enrolment.pk).status == Kind.DROPPED_OUT
        enrolment_record_event(
            actor=cast.principal_a, enrolment=enrolment, kind=Kind.RETURNED, on=datetime.date(2026, 2, 20)
        )
        assert Enrolment.objects.with_status().get(pk=enrolment.pk).status == Kind.RETURNED
        assert enrolment.events.count() == 3  # nothing overwritten

    def test_a_dropout_needs_a_reason(self, cast, enrolment):
        with pytest.raises(ValidationError, match="lý do bỏ học"):
            enrolment_record_event(
                actor=cast.principal_a, enrolment=enrolment, kind=Kind.DROPPED_OUT, on=datetime.date(2025, 12, 1)
            )

    def test_other_needs_its_words(self, cast, enrolment):
        with pytest.raises(ValidationError, match="ghi rõ"):
            enrolment_record_event(
                actor=cast.principal_a,
                enrolment=enrolment,
                kind=Kind.DROPPED_OUT,
                on=datetime.date(2025, 12, 1),
                reason=DropoutReason.OTHER,
            )

    def test_an_impossible_sequence_is_refused(self, cast, enrolment):
        with pytest.raises(ValidationError, match="Không thể ghi"):
            enrolment_record_event(
                actor=cast.principal_a, enrolment=enrolment, kind=Kind.RETURNED, on=datetime.date(2025, 12, 1)
            )

    def test_a_date_outside_the_year_is_refused(self, cast, enrolment):
        with pytest.raises(ValidationError, match="không thuộc năm học"):
            enrolment_record_event(
                actor=cast.principal_a,
                enrolment=enrolment,
                kind=Kind.DROPPED_OUT,
                on=datetime.date(2026, 8, 1),
                reason=DropoutReason.DISTANCE,
            )

    def test_a_teacher_reads_but_does_not_record(self, cast, enrolment):
        with pytest.raises(PermissionDenied):
            enrolment_record_event(
                actor=cast.teacher_a,
                enrolment=enrolment,
                kind=Kind.DROPPED_OUT,
                on=datetime.date(2025, 12, 1),
                reason=DropoutReason.DISTANCE,
            )
