"""The mentors' pages: a mentorship's page with the mentor's dated notes and its end (the sight ends with it), the
class's peer pairs (Đôi bạn cùng tiến: two students of the class, never of two classes), and the mentors page's
lists (at-risk students without a mentor; mentors and their students)."""

import datetime

import pytest
from django.urls import reverse

from apps.accounts.models import Role, RoleAssignment, User
from apps.core.models import AuditEvent
from apps.retention.mentors import mentor_assign
from apps.retention.models import Level, MentorNote, PeerPair, RiskFlag
from apps.students.models import Enrolment


@pytest.fixture
def mentor(cast):
    user = User.objects.create_user(username="gv.dodau2", password="x", full_name="Thầy Đỡ Đầu")
    RoleAssignment.objects.create(user=user, role=Role.TEACHER, school=cast.school_a, granted_by=cast.admin)
    return user


@pytest.fixture
def pupil(class_a):
    enrolment = Enrolment.objects.filter(class_group=class_a, ongoing=True).select_related("child").order_by("pk")[0]
    enrolment.child.poor = True
    enrolment.child.save()
    return enrolment


@pytest.fixture
def mentorship(cast, pupil, mentor):
    return mentor_assign(
        actor=cast.principal_a,
        enrolment=pupil,
        mentor=mentor,
        starts_on=datetime.date.today() - datetime.timedelta(days=20),
    )


class TestMentorship:
    def test_ending_it_on_its_page_ends_the_mentors_sight_of_the_child(
        self, cast, pupil, mentor, mentorship, client_for
    ):
        as_mentor = client_for(mentor)
        child_url = reverse("students:child", args=[pupil.child_id])
        page_url = reverse("retention:mentorship", args=[mentorship.pk])
        assert as_mentor.get(child_url).status_code == 200
        assert as_mentor.get(page_url).status_code == 200
        assert as_mentor.post(reverse("retention:mentorship_end", args=[mentorship.pk])).status_code == 403
        yesterday = datetime.date.today() - datetime.timedelta(days=1)
        response = client_for(cast.principal_a).post(
            reverse("retention:mentorship_end", args=[mentorship.pk]), {"ends_on": yesterday.isoformat()}
        )
        assert response.status_code == 302
        mentorship.refresh_from_db()
        assert mentorship.ends_on == yesterday
        assert AuditEvent.objects.filter(action="retention.mentor_end", object_id=str(mentorship.pk)).exists()
        assert as_mentor.get(child_url).status_code == 404  # the sight ended with the assignment
        assert as_mentor.get(page_url).status_code == 404
        ended = client_for(cast.principal_a).get(page_url).content.decode()
        assert "Đã kết thúc" in ended and reverse("retention:mentorship_end", args=[mentorship.pk]) not in ended

    def test_the_mentor_writes_dated_notes_and_no_one_else_does(self, cast, mentor, mentorship, client_for):
        url = reverse("retention:mentorship_note_new", args=[mentorship.pk])
        day = datetime.date.today() - datetime.timedelta(days=2)
        response = client_for(mentor).post(url, {"on": day.isoformat(), "text": "Em đã đi học lại đều"})
        assert response.status_code == 302
        page = client_for(mentor).get(reverse("retention:mentorship", args=[mentorship.pk])).content.decode()
        assert "Em đã đi học lại đều" in page and day.strftime("%d/%m/%Y") in page
        assert (
            client_for(cast.teacher_a).post(url, {"on": day.isoformat(), "text": "không phải của tôi"}).status_code
            == 302
        )
        assert client_for(cast.province_officer).post(url, {"on": day.isoformat(), "text": "…"}).status_code == 403
        assert client_for(cast.teacher_b).post(url, {"on": day.isoformat(), "text": "…"}).status_code == 404
        assert list(MentorNote.objects.filter(mentorship=mentorship).values_list("text", flat=True)) == [
            "Em đã đi học lại đều"
        ]
        reads = AuditEvent.objects.filter(actor=mentor, action="retention.mentee_read", object_id=str(mentorship.pk))
        assert reads.count() == 1


class TestLists:
    def test_an_at_risk_student_is_listed_without_a_mentor_until_one_is_assigned(
        self, cast, class_a, pupil, mentor, client_for
    ):
        RiskFlag.objects.filter(enrolment=pupil, current=True).update(current=False)
        RiskFlag.objects.create(enrolment=pupil, level=Level.HIGH, score=6, since=datetime.date.today())
        client = client_for(cast.principal_a)

        def sections():
            page = client.get(reverse("retention:mentors")).content.decode()
            without, _sep, rest = page.partition("Người đỡ đầu và học sinh")
            return without, rest

        without, mentored = sections()
        assert pupil.child.full_name in without and "Thầy Đỡ Đầu" not in mentored
        mentorship = mentor_assign(actor=cast.principal_a, enrolment=pupil, mentor=mentor)
        without, mentored = sections()
        assert pupil.child.full_name not in without
        assert "Thầy Đỡ Đầu" in mentored and reverse("retention:mentorship", args=[mentorship.pk]) in mentored
        assert reverse("retention:peer_pairs", args=[class_a.pk]) in mentored


class TestPeerPairs:
    def test_the_homeroom_teacher_pairs_two_classmates_and_ends_the_pair(self, cast, class_a, client_for):
        strong, struggling = Enrolment.objects.filter(class_group=class_a, ongoing=True).order_by("pk")[1:3]
        url = reverse("retention:peer_pairs", args=[class_a.pk])
        client = client_for(cast.teacher_a)
        assert client.get(url).status_code == 200
        response = client.post(url, {"enrolment": struggling.pk, "helper": strong.pk})
        assert response.status_code == 302
        pair = PeerPair.objects.get(enrolment=struggling)
        assert pair.helper == strong and pair.ends_on is None
        page = client.get(url).content.decode()
        assert strong.child.full_name in page and reverse("retention:peer_pair_end", args=[pair.pk]) in page
        assert client_for(cast.province_officer).get(url).status_code == 200  # reads the class's pairs
        assert client_for(cast.province_officer).post(url, {}).status_code == 403
        assert client.post(reverse("retention:peer_pair_end", args=[pair.pk])).status_code == 302
        pair.refresh_from_db()
        assert pair.ends_on == datetime.date.today()
        assert AuditEvent.objects.filter(action="retention.peer_pair_end").exists()

    def test_a_student_of_another_class_is_refused(self, cast, class_a, client_for):
        struggling = Enrolment.objects.filter(class_group=class_a, ongoing=True).order_by("pk")[3]
        other = Enrolment.objects.filter(school=cast.school_a, ongoing=True).exclude(class_group=class_a).first()
        response = client_for(cast.principal_a).post(
            reverse("retention:peer_pairs", args=[class_a.pk]), {"enrolment": struggling.pk, "helper": other.pk}
        )
        assert response.status_code == 400
        assert not PeerPair.objects.filter(enrolment=struggling).exists()
        same = client_for(cast.principal_a).post(
            reverse("retention:peer_pairs", args=[class_a.pk]), {"enrolment": struggling.pk, "helper": struggling.pk}
        )
        assert same.status_code == 400 and "hai học sinh khác nhau" in same.content.decode()
