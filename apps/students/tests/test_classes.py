"""Classes and who teaches them: a teacher's view of children follows the classes they are assigned to."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from apps.core.models import AuditEvent
from apps.schools.models import SchoolYear
from apps.students.models import Child, ClassGroup, TeacherAssignment
from apps.students.services import class_group_create, teacher_assign, teacher_unassign


@pytest.fixture
def year(cast):
    return SchoolYear.objects.get(province=cast.province, start_year=2025)


def test_a_principal_opens_a_class_in_a_grade_the_school_teaches(cast, year):
    group = class_group_create(actor=cast.principal_a, school=cast.school_a, year=year, name="5C", grade="5")
    assert group.school == cast.school_a and AuditEvent.objects.filter(action="students.class_create").exists()
    with pytest.raises(ValidationError, match="đã có lớp"):
        class_group_create(actor=cast.principal_a, school=cast.school_a, year=year, name="5C", grade="5")
    with pytest.raises(ValidationError, match="không dạy"):
        class_group_create(actor=cast.principal_a, school=cast.school_a, year=year, name="10A", grade="10")
    with pytest.raises(Http404):
        class_group_create(actor=cast.principal_a, school=cast.school_b, year=year, name="5C", grade="5")
    with pytest.raises((Http404, PermissionDenied)):
        class_group_create(actor=cast.teacher_a, school=cast.school_a, year=year, name="5D", grade="5")


def test_assigning_a_class_widens_the_teacher_s_view_and_unassigning_narrows_it_again(cast, year):
    group = (
        ClassGroup.objects.filter(school=cast.school_a, year=year)
        .exclude(teacher_assignments__teacher=cast.teacher_a)
        .filter(enrolments__isnull=False)
        .distinct()
        .first()
    )
    pupil = Child.objects.filter(enrolments__class_group=group).first()
    assert not Child.objects.restrict(cast.teacher_a).filter(pk=pupil.pk).exists()
    assignment = teacher_assign(actor=cast.principal_a, class_group=group, teacher=cast.teacher_a)
    assert Child.objects.restrict(cast.teacher_a).filter(pk=pupil.pk).exists()  # the scope was read afresh
    with pytest.raises(ValidationError, match="đã được phân công"):
        teacher_assign(actor=cast.principal_a, class_group=group, teacher=cast.teacher_a)
    teacher_unassign(actor=cast.principal_a, assignment=assignment)
    assert not TeacherAssignment.objects.filter(pk=assignment.pk).exists()
    assert not Child.objects.restrict(cast.teacher_a).filter(pk=pupil.pk).exists()
    logged = AuditEvent.objects.filter(action__in=["students.teacher_assign", "students.teacher_unassign"])
    assert logged.count() == 2 and all(e.changes["teacher"] == cast.teacher_a.pk for e in logged)


def test_only_a_teacher_of_the_school_is_assigned_and_only_by_who_manages_it(cast, year):
    group = ClassGroup.objects.filter(school=cast.school_a, year=year).first()
    with pytest.raises(ValidationError, match="không phải giáo viên"):
        teacher_assign(actor=cast.principal_a, class_group=group, teacher=cast.teacher_b)  # school B's teacher
    with pytest.raises((Http404, PermissionDenied)):
        teacher_assign(actor=cast.teacher_a, class_group=group, teacher=cast.teacher_a)
