"""Absences and semester results by class: the homeroom teacher writes their own class's register and results and
nothing else; every write is audited, a removed absence is kept in the log, and the after-write hook hears of it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from apps.accounts.models import Role, RoleAssignment, User
from apps.core.models import AuditEvent
from apps.core.scoping import CHANGE
from apps.students import hooks
from apps.students.attendance import absences_record, results_record
from apps.students.models import ClassGroup, Enrolment, TeacherAssignment
from apps.students.records import Absence, SemesterResult
from apps.students.services import enrolment_record_event

MONDAY = datetime.date(2025, 10, 6)
SUNDAY = datetime.date(2025, 10, 5)


@pytest.fixture
def class_a(cast):
    return ClassGroup.objects.get(school=cast.school_a, name="1A", year__start_year=2025)


@pytest.fixture
def other_class(cast, class_a):
    return ClassGroup.objects.filter(school=cast.school_a, year=class_a.year).exclude(pk=class_a.pk).first()


@pytest.fixture
def other_teacher(cast, other_class):
    """A teacher of school A, homeroom teacher of another class than 1A."""
    user = User.objects.create_user(username="gv.khac", password="x")
    RoleAssignment.objects.create(user=user, role=Role.TEACHER, school=cast.school_a, granted_by=cast.admin)
    TeacherAssignment.objects.create(teacher=user, class_group=other_class)
    return user


def pupil(group) -> Enrolment:
    return Enrolment.objects.filter(class_group=group).order_by("pk").first()


class TestAbsences:
    def test_the_homeroom_teacher_records_excused_and_unexcused_days(self, cast, class_a):
        e = pupil(class_a)
        counts = absences_record(
            actor=cast.teacher_a, class_group=class_a, marks={(e.pk, MONDAY): "K", (e.pk, MONDAY.replace(day=7)): "P"}
        )
        assert counts == {"created": 2, "changed": 0, "removed": 0}
        assert list(Absence.objects.filter(enrolment=e).values_list("on", "excused")) == [
            (MONDAY, False),
            (MONDAY.replace(day=7), True),
        ]
        event = AuditEvent.objects.get(action="students.absences_record")
        assert event.actor == cast.teacher_a and event.changes["created"] == 2

    def test_a_day_marked_present_again_is_removed_and_the_removal_is_in_the_log(self, cast, class_a):
        e = pupil(class_a)
        absences_record(actor=cast.teacher_a, class_group=class_a, marks={(e.pk, MONDAY): "K"})
        counts = absences_record(actor=cast.teacher_a, class_group=class_a, marks={(e.pk, MONDAY): ""})
        assert counts["removed"] == 1 and not Absence.objects.filter(enrolment=e).exists()
        last = AuditEvent.objects.filter(action="students.absences_record").latest("pk")
        assert last.changes["removed_days"] == [[e.pk, MONDAY.isoformat(), False]]

    def test_one_absence_per_student_and_day(self, cast, class_a):
        e = pupil(class_a)
        absences_record(actor=cast.teacher_a, class_group=class_a, marks={(e.pk, MONDAY): "K"})
        counts = absences_record(actor=cast.teacher_a, class_group=class_a, marks={(e.pk, MONDAY): "P"})
        assert counts == {"created": 0, "changed": 1, "removed": 0}
        assert Absence.objects.filter(enrolment=e, on=MONDAY).count() == 1

    def test_a_teacher_of_another_class_cannot_write_absences(self, cast, class_a, other_teacher):
        e = pupil(class_a)
        with pytest.raises(Http404):  # they do not even see the class's children
            absences_record(actor=other_teacher, class_group=class_a, marks={(e.pk, MONDAY): "K"})
        with pytest.raises(Http404):
            absences_record(actor=cast.teacher_b, class_group=class_a, marks={(e.pk, MONDAY): "K"})
        assert not Absence.objects.filter(enrolment=e).exists()

    def test_a_subject_teacher_reads_the_register_but_does_not_write_it(self, cast, class_a, other_teacher):
        TeacherAssignment.objects.create(teacher=other_teacher, class_group=class_a, kind="subject")
        with pytest.raises(PermissionDenied):
            absences_record(actor=other_teacher, class_group=class_a, marks={(pupil(class_a).pk, MONDAY): "K"})

    def test_the_province_officer_reads_but_does_not_write(self, cast, class_a):
        with pytest.raises(PermissionDenied):
            absences_record(actor=cast.province_officer, class_group=class_a, marks={(pupil(class_a).pk, MONDAY): "K"})

    def test_the_homeroom_teacher_still_cannot_change_enrolments(self, cast, class_a):
        e = pupil(class_a)
        assert not Enrolment.objects.restrict(cast.teacher_a, CHANGE).filter(pk=e.pk).exists()
        with pytest.raises(PermissionDenied):
            enrolment_record_event(actor=cast.teacher_a, enrolment=e, kind="dropped_out", on=MONDAY, reason="economic")

    def test_a_student_of_another_class_a_sunday_a_future_day_and_a_strange_mark_are_refused(self, cast, class_a):
        e, stranger = (
            pupil(class_a),
            Enrolment.objects.filter(school=cast.school_a).exclude(class_group=class_a).first(),
        )
        for marks, message in [
            ({(stranger.pk, MONDAY): "K"}, "không thuộc lớp"),
            ({(e.pk, SUNDAY): "K"}, "Chủ nhật"),
            ({(e.pk, datetime.date(2026, 8, 3)): "K"}, "ngoài năm học"),
            ({(e.pk, MONDAY): "X"}, "ký hiệu"),
        ]:
            with pytest.raises(ValidationError, match=message):
                absences_record(actor=cast.teacher_a, class_group=class_a, marks=marks)
        assert not Absence.objects.filter(enrolment__class_group=class_a).exists()

    def test_the_after_write_hook_hears_of_the_enrolments_written(self, cast, class_a):
        heard = []
        hooks.after_records(heard.extend)
        try:
            e = pupil(class_a)
            absences_record(actor=cast.teacher_a, class_group=class_a, marks={(e.pk, MONDAY): "K"})
            absences_record(actor=cast.teacher_a, class_group=class_a, marks={(e.pk, MONDAY): "K"})  # nothing new
        finally:
            hooks.remove(heard.extend)
        assert heard == [e.pk]


class TestResults:
    def test_a_primary_class_takes_circular_27_marks(self, cast, class_a):
        e = pupil(class_a)
        results_record(actor=cast.teacher_a, class_group=class_a, semester=1, results={e.pk: ("cht", "dat")})
        result = SemesterResult.objects.get(enrolment=e, semester=1)
        assert result.get_learning_display() == "Chưa hoàn thành" and result.poor
        with pytest.raises(ValidationError, match="thang đánh giá học tập"):
            results_record(actor=cast.teacher_a, class_group=class_a, semester=1, results={e.pk: ("kha", "")})

    def test_a_teacher_of_another_class_cannot_write_results(self, cast, class_a, other_teacher):
        with pytest.raises(Http404):
            results_record(
                actor=other_teacher, class_group=class_a, semester=1, results={pupil(class_a).pk: ("ht", "")}
            )


class TestPages:
    def test_a_cell_is_saved_as_it_is_chosen_and_comes_back_with_the_row_s_totals(self, cast, class_a, client_for):
        e = pupil(class_a)
        client = client_for(cast.teacher_a)
        url = reverse("students:absence_cell", args=[class_a.pk])
        response = client.post(url, {f"m-{e.pk}-{MONDAY.isoformat()}": "K"}, headers={"HX-Request": "true"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "<html" not in html and "<tr" not in html  # only the cell is swapped, not the row
        assert html.startswith('<td class="mark mark-k">') and 'option value="K" selected' in html
        assert html.count("<select") == 1 and 'hx-sync="closest tr:queue all"' in html
        assert f'<td class="total" id="unexcused-{e.pk}" hx-swap-oob="true">1</td>' in html
        assert f'<td class="total" id="excused-{e.pk}" hx-swap-oob="true">0</td>' in html
        assert f'<td id="name-{e.pk}" hx-swap-oob="true">' in html
        assert Absence.objects.filter(enrolment=e, on=MONDAY, excused=False).exists()
        page = client.get(reverse("students:absences", args=[class_a.pk]) + "?month=2025-10")
        assert page.status_code == 200 and 'option value="K" selected' in page.content.decode()
        assert "hx-swap-oob" not in page.content.decode() and f'id="unexcused-{e.pk}">1<' in page.content.decode()

    def test_a_refused_cell_comes_back_unmarked_with_the_refusal_beside_the_name(self, cast, class_a, client_for):
        e = pupil(class_a)
        sunday = MONDAY + datetime.timedelta(days=6)
        url = reverse("students:absence_cell", args=[class_a.pk])
        response = client_for(cast.teacher_a).post(url, {f"m-{e.pk}-{sunday.isoformat()}": "K"})
        html = response.content.decode()
        assert response.status_code == 200 and html.startswith('<td class="mark closed">')
        assert "<select" not in html and f'id="unexcused-{e.pk}" hx-swap-oob="true">0<' in html
        name_cell = html[html.index(f'<td id="name-{e.pk}"') :]
        assert 'role="alert">Không ghi nghỉ học ngày' in name_cell[: name_cell.index("</td>")]
        assert not Absence.objects.filter(enrolment=e).exists()

    def test_a_teacher_of_another_class_gets_404_on_the_grid_and_its_cells(
        self, cast, class_a, other_teacher, client_for
    ):
        client = client_for(other_teacher)
        e = pupil(class_a)
        assert client.get(reverse("students:absences", args=[class_a.pk])).status_code == 404
        url = reverse("students:absence_cell", args=[class_a.pk])
        assert client.post(url, {f"m-{e.pk}-{MONDAY.isoformat()}": "K"}).status_code == 404
        assert not Absence.objects.filter(enrolment=e).exists()

    def test_the_results_form_saves_the_class_s_marks(self, cast, class_a, client_for):
        e = pupil(class_a)
        url = reverse("students:results", args=[class_a.pk])
        response = client_for(cast.teacher_a).post(
            url, {"semester": "1", f"learning-{e.pk}": "ht", f"conduct-{e.pk}": "tot"}
        )
        assert response.status_code == 302
        assert SemesterResult.objects.get(enrolment=e).learning == "ht"
        assert (
            client_for(cast.province_officer).post(url, {"semester": "1", f"learning-{e.pk}": "ht"}).status_code == 403
        )
