"""Mentors and peer pairs: a mentor sees their mentee only while assigned, every read of the child logged; a third
mentee over the province's limit is refused (the limit is the province's to change)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.accounts.models import Role, RoleAssignment, User
from apps.core.models import AuditEvent
from apps.retention.mentors import mentor_assign, mentor_end, mentor_note_add, peer_pair_create
from apps.retention.models import Mentorship, RiskRules
from apps.students.models import Child, Enrolment


@pytest.fixture
def mentor(cast):
    """A teacher of school A who teaches no class: they see no child of it by their own role."""
    user = User.objects.create_user(username="gv.dodau", password="x", full_name="Cô Đỡ Đầu")
    RoleAssignment.objects.create(user=user, role=Role.TEACHER, school=cast.school_a, granted_by=cast.admin)
    return user


def poor_pupils(class_a, n):
    pupils = list(
        Enrolment.objects.filter(class_group=class_a, ongoing=True).select_related("child").order_by("pk")[:n]
    )
    for e in pupils:
        e.child.poor = True
        e.child.save()
    return pupils


class TestMentors:
    def test_a_mentor_sees_the_mentee_only_while_assigned_and_each_read_is_logged(
        self, cast, class_a, mentor, client_for
    ):
        (pupil,) = poor_pupils(class_a, 1)
        url = reverse("students:child", args=[pupil.child_id])
        client = client_for(mentor)
        assert client.get(url).status_code == 404
        today = datetime.date.today()
        mentorship = mentor_assign(
            actor=cast.principal_a, enrolment=pupil, mentor=mentor, starts_on=today - datetime.timedelta(days=10)
        )
        assert Child.objects.restrict(mentor).filter(pk=pupil.child_id).exists()
        assert client.get(url).status_code == 200
        assert client.get(url).status_code == 200
        reads = AuditEvent.objects.filter(
            actor=mentor, kind="read", action="students.child_read", object_id=str(pupil.child_id)
        )
        assert reads.count() == 2
        assert AuditEvent.objects.filter(action="retention.mentor_assign", changes__mentor=mentor.pk).exists()
        mentor_end(actor=cast.principal_a, mentorship=mentorship, ends_on=today - datetime.timedelta(days=1))
        assert client.get(url).status_code == 404  # the sight ended with the assignment
        assert not Child.objects.restrict(mentor).filter(pk=pupil.child_id).exists()

    def test_a_third_mentee_over_the_limit_is_refused_and_the_province_may_raise_it(self, cast, class_a, mentor):
        first, second, third = poor_pupils(class_a, 3)
        mentor_assign(actor=cast.principal_a, enrolment=first, mentor=mentor)
        mentor_assign(actor=cast.principal_a, enrolment=second, mentor=mentor)
        with pytest.raises(ValidationError, match="tối đa 2"):
            mentor_assign(actor=cast.principal_a, enrolment=third, mentor=mentor)
        RiskRules.objects.create(province=cast.province, mentor_limit=3)
        mentor_assign(actor=cast.principal_a, enrolment=third, mentor=mentor)
        assert Mentorship.objects.filter(mentor=mentor, ends_on__isnull=True).count() == 3

    def test_a_student_neither_at_risk_nor_disadvantaged_gets_no_mentor(self, cast, plain_pupil, mentor):
        with pytest.raises(ValidationError, match="nguy cơ"):
            mentor_assign(actor=cast.principal_a, enrolment=plain_pupil, mentor=mentor)

    def test_only_the_mentor_writes_mentor_notes_while_assigned(self, cast, class_a, mentor):
        (pupil,) = poor_pupils(class_a, 1)
        mentorship = mentor_assign(actor=cast.principal_a, enrolment=pupil, mentor=mentor)
        mentor_note_add(actor=mentor, mentorship=mentorship, text="Đã gặp em, em hứa đi học đều")
        with pytest.raises(ValidationError):
            mentor_note_add(actor=cast.teacher_a, mentorship=mentorship, text="…")
        assert mentorship.notes.count() == 1


class TestPeerPairs:
    def test_two_students_of_the_same_class_are_paired(self, cast, class_a):
        strong, struggling = Enrolment.objects.filter(class_group=class_a, ongoing=True).order_by("pk")[:2]
        pair = peer_pair_create(actor=cast.teacher_a, enrolment=struggling, helper=strong)
        assert pair.helper == strong and AuditEvent.objects.filter(action="retention.peer_pair").exists()
        other = Enrolment.objects.filter(school=cast.school_a, ongoing=True).exclude(class_group=class_a).first()
        with pytest.raises(ValidationError, match="cùng lớp"):
            peer_pair_create(actor=cast.principal_a, enrolment=struggling, helper=other)


class TestPages:
    def test_the_child_page_assigns_a_mentor_and_the_mentors_page_lists_them(self, cast, class_a, mentor, client_for):
        (pupil,) = poor_pupils(class_a, 1)
        client = client_for(cast.teacher_a)
        page = client.get(reverse("students:child", args=[pupil.child_id])).content.decode()
        assert reverse("retention:mentor_new", args=[pupil.pk]) in page and "Cô Đỡ Đầu" in page
        response = client.post(reverse("retention:mentor_new", args=[pupil.pk]), {f"m{pupil.pk}-mentor": mentor.pk})
        assert response.status_code == 302 and Mentorship.objects.filter(enrolment=pupil, mentor=mentor).exists()
        listing = client_for(cast.principal_a).get(reverse("retention:mentors")).content.decode()
        assert "Cô Đỡ Đầu" in listing and pupil.child.full_name in listing
