"""Home visits: the phone form's idempotency key (a resent visit is one visit), the overdue rule, the overdue list
first on the teacher's home, the visit history on the child's page."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.retention.models import HomeVisit
from apps.retention.selectors import overdue_visits
from apps.retention.services import flags_recompute, visit_record
from apps.students.attendance import absences_record
from apps.students.models import Enrolment

END = datetime.date(2026, 6, 30)  # the demo's 2025-2026 ends: its levels stand as of this day


def visit(cast, enrolment, key=None, on=END, actor=None):
    return visit_record(
        actor=actor or cast.teacher_a,
        enrolment=enrolment,
        key=key or uuid.uuid4().hex,
        on=on,
        met="Mẹ của em",
        findings="Gia đình đi làm nương, em ở nhà trông em nhỏ",
        actions="Mẹ hứa cho em đi học đều",
        next_on=on + datetime.timedelta(days=14),
    )


def absent_days(cast, enrolment, n, until=END):
    days, day = [], until
    while len(days) < n:
        if day.weekday() != 6:
            days.append(day)
        day -= datetime.timedelta(days=1)
    absences_record(
        actor=cast.teacher_a, class_group=enrolment.class_group, marks={(enrolment.pk, d): "K" for d in days}
    )


class TestRecording:
    def test_a_resent_visit_creates_one_visit(self, cast, plain_pupil):
        key = uuid.uuid4().hex
        first, created = visit(cast, plain_pupil, key=key)
        again, created_again = visit(cast, plain_pupil, key=key)
        assert created and not created_again and first.pk == again.pk
        assert HomeVisit.objects.filter(enrolment=plain_pupil).count() == 1
        assert AuditEvent.objects.filter(action="retention.visit_record").count() == 1

    def test_a_resent_form_through_the_page_creates_one_visit(self, cast, plain_pupil, client_for):
        client = client_for(cast.teacher_a)
        url = reverse("retention:visit_new", args=[plain_pupil.pk])
        assert client.get(url).status_code == 200
        data = {
            "key": uuid.uuid4().hex,
            "on": "2026-06-29",
            "met": "Bố",
            "findings": "Ổn",
            "actions": "",
            "next_on": "",
        }
        assert client.post(url, data).status_code == 302
        assert client.post(url, data).status_code == 302  # the connection dropped: the browser sent it again
        assert HomeVisit.objects.filter(enrolment=plain_pupil).count() == 1

    def test_a_visit_in_the_future_or_outside_the_year_is_refused(self, cast, plain_pupil):
        with pytest.raises(ValidationError, match="thuộc năm học"):
            visit(cast, plain_pupil, on=datetime.date(2024, 6, 1))
        with pytest.raises(ValidationError, match="chưa tới"):
            visit(cast, plain_pupil, on=datetime.date.today() + datetime.timedelta(days=1))

    def test_only_the_homeroom_teacher_and_the_school_s_managers_log_visits(self, cast, plain_pupil):
        with pytest.raises(PermissionDenied):
            visit(cast, plain_pupil, actor=cast.province_officer)
        from django.http import Http404

        with pytest.raises(Http404):
            visit(cast, plain_pupil, actor=cast.teacher_b)


class TestOverdue:
    def test_three_unexcused_days_make_a_visit_due_until_one_is_logged(self, cast, plain_pupil):
        assert plain_pupil.pk not in [e.pk for e in overdue_visits(cast.teacher_a)]
        absent_days(cast, plain_pupil, 3)
        due = [e.pk for e in overdue_visits(cast.teacher_a)]
        assert plain_pupil.pk in due
        visit(cast, plain_pupil, on=END - datetime.timedelta(days=10))
        assert plain_pupil.pk not in [e.pk for e in overdue_visits(cast.teacher_a)]

    def test_a_medium_risk_student_is_due_and_a_visit_older_than_30_days_does_not_count(self, cast, plain_pupil):
        child = plain_pupil.child
        child.poor, child.orphan = True, True
        child.save()
        flags_recompute(Enrolment.objects.filter(pk=plain_pupil.pk), on=END)
        visit(cast, plain_pupil, on=END - datetime.timedelta(days=31))
        assert plain_pupil.pk in [e.pk for e in overdue_visits(cast.teacher_a)]

    def test_the_overdue_list_comes_first_on_the_teacher_s_home(self, cast, plain_pupil, client_for):
        absent_days(cast, plain_pupil, 3)
        page = client_for(cast.teacher_a).get(reverse("home")).content.decode()
        assert "Cần thăm hỏi gia đình" in page and plain_pupil.child.full_name in page
        assert page.index("Cần thăm hỏi gia đình") < page.index("học sinh đang học trong phạm vi của bạn")


class TestChildPage:
    def test_the_visit_history_and_the_risk_show_on_the_child_s_page(self, cast, plain_pupil, client_for):
        child = plain_pupil.child
        child.orphan = True
        child.save()
        absent_days(cast, plain_pupil, 5)
        visit(cast, plain_pupil)
        page = client_for(cast.teacher_a).get(reverse("students:child", args=[child.pk])).content.decode()
        assert "vắng 5 ngày không phép trong 30 ngày qua; mồ côi" in page
        assert "Gia đình đi làm nương" in page and "30/06/2026" in page
        assert reverse("retention:visit_new", args=[plain_pupil.pk]) in page
        other = client_for(cast.province_officer).get(reverse("students:child", args=[child.pk])).content.decode()
        assert "Gia đình đi làm nương" in other and reverse("retention:visit_new", args=[plain_pupil.pk]) not in other
