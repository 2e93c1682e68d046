"""Meetings: a parents' meeting missing after its window is listed (and told once) by the daily job; a meeting's
decisions become tasks owned by the parties named, seen by the meeting's people; its minutes are issued as a
numbered register document, a Word file that reads as minutes, after which the meeting is read-only."""

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from docx import Document as open_docx

from apps.notifications.models import Notification
from apps.plans import meeting_jobs, meeting_selectors, meeting_services, selectors, services
from apps.plans.models import MeetingKind, ParentsMeetingGap, Task
from apps.schools.models import SchoolYear

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(cast):
    return SchoolYear.objects.get(province=cast.province, start_year=2025)


def windows(year):
    return {r: (a, b) for r, a, b in meeting_selectors.parents_windows(year)}


def parents_meeting(cast, on, round_=1):
    return meeting_services.meeting_create(
        actor=cast.principal_a,
        kind=MeetingKind.PARENTS,
        round=round_,
        title="Họp cha mẹ học sinh đầu năm học",
        held_on=on,
        school=cast.school_a,
    )


class TestParentsMeetingWindows:
    def test_the_three_windows_follow_the_semester_dates(self, year):
        w = windows(year)
        semester1 = year.semesters.get(number=1)
        assert w[1][0] <= year.opening_day <= w[1][1]
        assert w[2][0] <= semester1.ends_on <= w[2][1]
        assert w[1][1] < w[2][0] < w[3][0]

    @override_settings(SITE_URL="https://dentruong.example.vn")
    def test_a_school_without_a_parents_meeting_is_listed_after_the_window(
        self, cast, year, django_capture_on_commit_callbacks
    ):
        cast.principal_a.email = "hieutruong.tranam@example.vn"
        cast.principal_a.save(update_fields=["email"])
        start, end = windows(year)[1]
        with django_capture_on_commit_callbacks(execute=True):
            assert meeting_jobs.parents_meetings(end)["missing"] == 0  # the window is still open
        assert not [m for m in mail.outbox if m.to == [cast.principal_a.email]]
        with django_capture_on_commit_callbacks(execute=True):  # the e-mails go once the job's write commits
            outcome = meeting_jobs.parents_meetings(end + datetime.timedelta(days=1))
        assert outcome["missing"] > 0
        listed = list(meeting_selectors.missing_parents_meetings(cast.principal_a))
        assert [(g.school, g.round) for g in listed] == [(cast.school_a, 1)]
        assert (
            Notification.objects.filter(recipient=cast.principal_a, kind="plans.parents_meeting_missing").count() == 1
        )
        (sent,) = [m for m in mail.outbox if m.to == [cast.principal_a.email]]
        assert sent.subject == f"Chưa họp cha mẹ học sinh đợt 1 ({start:%d/%m/%Y}–{end:%d/%m/%Y})"
        assert cast.school_a.name in sent.body and "https://dentruong.example.vn/plans/meetings/" in sent.body

    def test_a_second_run_finds_nothing_new(self, cast, year):
        day = windows(year)[1][1] + datetime.timedelta(days=1)
        meeting_jobs.parents_meetings(day)
        assert meeting_jobs.parents_meetings(day + datetime.timedelta(days=1))["missing"] == 0

    def test_a_school_that_met_in_the_window_is_not_listed(self, cast, year):
        start, end = windows(year)[1]
        parents_meeting(cast, start + datetime.timedelta(days=3))
        meeting_jobs.parents_meetings(end + datetime.timedelta(days=1))
        assert not ParentsMeetingGap.objects.filter(school=cast.school_a, year=year, round=1).exists()
        assert ParentsMeetingGap.objects.filter(school=cast.school_b, year=year, round=1).exists()

    def test_a_late_meeting_makes_the_gap_up_on_the_list(self, cast, year):
        end = windows(year)[1][1]
        meeting_jobs.parents_meetings(end + datetime.timedelta(days=1))
        parents_meeting(cast, end + datetime.timedelta(days=5))
        assert not meeting_selectors.missing_parents_meetings(cast.principal_a).exists()

    def test_another_schools_gap_is_not_shown(self, cast, year):
        meeting_jobs.parents_meetings(windows(year)[1][1] + datetime.timedelta(days=1))
        assert all(g.school == cast.school_b for g in meeting_selectors.missing_parents_meetings(cast.teacher_b))
        assert not meeting_selectors.missing_parents_meetings(cast.teacher_b).filter(school=cast.school_a).exists()

    def test_a_parents_meeting_needs_its_round(self, cast):
        with pytest.raises(ValidationError):
            parents_meeting(cast, datetime.date(2025, 9, 20), round_=None)


@pytest.fixture
def briefing(cast):
    meeting = meeting_services.meeting_create(
        actor=cast.principal_a,
        kind=MeetingKind.BRIEFING,
        title="Giao ban tháng 10 với Ban đại diện cha mẹ học sinh",
        held_on=datetime.date(2025, 10, 6),
        school=cast.school_a,
        place="Phòng họp nhà trường",
        chair="Nguyễn Văn An",
        secretary="Trần Thị Bình",
    )
    meeting_services.attendee_add(
        actor=cast.principal_a, meeting=meeting, organisation=cast.organisation, person="Ông Hồ Văn Cường"
    )
    meeting_services.attendee_add(actor=cast.principal_a, meeting=meeting, party="Ban đại diện CMHS", count=7)
    meeting_services.meeting_update(
        actor=cast.principal_a, meeting=meeting, minutes="Đánh giá tình hình tháng 9.\nThống nhất kế hoạch tháng 10."
    )
    return meeting


class TestDecisions:
    def test_a_decision_becomes_a_task_of_the_party_named(self, cast, briefing):
        decision = meeting_services.decision_add(
            actor=cast.principal_a,
            meeting=briefing,
            text="Vận động học sinh nghỉ học nhiều ngày trở lại lớp",
            due_on=datetime.date(2025, 10, 31),
            organisation=cast.organisation,
        )
        task = Task.objects.get(pk=decision.task_id)
        assert task.title == "Vận động học sinh nghỉ học nhiều ngày trở lại lớp"
        assert task.owner_organisation == cast.organisation
        assert task.due_on == datetime.date(2025, 10, 31)
        assert task.plan is None
        # The owner party works it through the tasks' own service; the meeting's owner follows it.
        assert task in selectors.task_list(cast.partner)
        assert task in selectors.task_list(cast.principal_a)
        assert task not in selectors.task_list(cast.teacher_b)
        services.task_set_status(actor=cast.partner, task=task, status="done", note="12/12 em đã trở lại lớp")
        task.refresh_from_db()
        assert task.status == "done"

    def test_a_decision_without_an_owner_falls_to_the_meeting_owner(self, cast, briefing):
        decision = meeting_services.decision_add(
            actor=cast.principal_a, meeting=briefing, text="Rà soát danh sách", due_on=datetime.date(2025, 10, 20)
        )
        assert decision.task.owner_school == cast.school_a

    def test_the_owner_of_the_task_is_told(self, cast, briefing):
        with pytest.MonkeyPatch.context():
            pass
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            meeting_services.decision_add(
                actor=cast.principal_a,
                meeting=briefing,
                text="Hỗ trợ sách vở",
                due_on=datetime.date(2025, 10, 20),
                organisation=cast.organisation,
            )
        assert Notification.objects.filter(recipient=cast.partner, kind="plans.meeting_task").exists()

    def test_only_the_meeting_owner_adds_decisions(self, cast, briefing):
        from django.http import Http404

        with pytest.raises(Http404):
            meeting_services.decision_add(
                actor=cast.teacher_b, meeting=briefing, text="x", due_on=datetime.date(2025, 10, 20)
            )


class TestMinutes:
    def test_the_minutes_are_issued_as_a_word_document_of_the_register(self, cast, briefing):
        meeting_services.decision_add(
            actor=cast.principal_a,
            meeting=briefing,
            text="Vận động học sinh nghỉ học nhiều ngày trở lại lớp",
            due_on=datetime.date(2025, 10, 31),
            organisation=cast.organisation,
        )
        meeting = meeting_services.minutes_issue(
            actor=cast.principal_a, meeting=briefing, on=datetime.date(2025, 10, 7)
        )
        document = meeting.document
        assert document.kind == "bien_ban"
        assert document.symbol.startswith("01/BB-")
        with document.file.open("rb") as fh:
            doc = open_docx(io.BytesIO(fh.read()))
        text = [p.text for p in doc.paragraphs]
        for table in doc.tables:
            for row in table.rows:
                text += [c.text for c in row.cells]
        assert "BIÊN BẢN" in text
        assert any("Giao ban tháng 10" in t for t in text)
        assert any("Hội Khuyến học xã Trà Linh: Ông Hồ Văn Cường" in t for t in text)
        assert any("Thống nhất kế hoạch tháng 10." in t for t in text)
        assert "Vận động học sinh nghỉ học nhiều ngày trở lại lớp" in text
        assert "31/10/2025" in text
        assert any("Trần Thị Bình" in t for t in text)

    def test_issued_minutes_lock_the_meeting(self, cast, briefing):
        meeting_services.minutes_issue(actor=cast.principal_a, meeting=briefing, on=datetime.date(2025, 10, 7))
        with pytest.raises(ValidationError):
            meeting_services.meeting_update(actor=cast.principal_a, meeting=briefing, minutes="khác")
        with pytest.raises(ValidationError):
            meeting_services.decision_add(
                actor=cast.principal_a, meeting=briefing, text="x", due_on=datetime.date(2025, 10, 20)
            )

    def test_an_attending_organisation_reads_the_meeting(self, cast, briefing):
        assert briefing in meeting_selectors.meeting_list(cast.partner)
        assert briefing not in meeting_selectors.meeting_list(cast.teacher_b)
