"""The meetings' pages against the cast: the principal creates a meeting, adds attendees and decisions in place
(htmx), issues the minutes and downloads them as Word; the attending organisation reads; a teacher of another
school gets 404; the list shows the parents' meetings found missing."""

import datetime
import io

import pytest
from docx import Document as open_docx

from apps.plans import meeting_jobs, meeting_selectors, meeting_services
from apps.plans.models import Meeting, MeetingKind, Task
from apps.schools.models import SchoolYear

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(cast):
    m = meeting_services.meeting_create(
        actor=cast.principal_a,
        kind=MeetingKind.COUNCIL,
        title="Họp Hội đồng giáo dục tháng 11",
        held_on=datetime.date(2025, 11, 3),
        school=cast.school_a,
    )
    meeting_services.attendee_add(actor=cast.principal_a, meeting=m, organisation=cast.organisation)
    return m


class TestMeetingPages:
    def test_the_principal_creates_a_parents_meeting(self, cast, client_for):
        client = client_for(cast.principal_a)
        assert client.get("/plans/meetings/new/").status_code == 200
        response = client.post(
            "/plans/meetings/new/",
            {
                "owner": f"school:{cast.school_a.pk}",
                "kind": "parents",
                "round": "1",
                "title": "Họp cha mẹ học sinh đầu năm",
                "held_on": "20/09/2025",
            },
        )
        meeting = Meeting.objects.get(title="Họp cha mẹ học sinh đầu năm")
        assert response.status_code == 302 and meeting.round == 1 and meeting.school == cast.school_a

    def test_a_teacher_may_not_create_a_meeting(self, cast, client_for):
        assert client_for(cast.teacher_a).get("/plans/meetings/new/").status_code == 404

    def test_a_decision_added_in_place_becomes_a_task(self, cast, client_for, meeting):
        response = client_for(cast.principal_a).post(
            f"/plans/meetings/{meeting.pk}/decisions/",
            {
                "text": "Lập danh sách học sinh cần hỗ trợ",
                "due_on": "30/11/2025",
                "owner": f"org:{cast.organisation.pk}",
            },
            headers={"HX-Request": "true"},
        )
        body = response.content.decode()
        assert response.status_code == 200 and body.lstrip().startswith('<section id="decisions">')
        assert "Lập danh sách học sinh cần hỗ trợ" in body and "Hội Khuyến học xã Trà Linh" in body
        task = Task.objects.get(title="Lập danh sách học sinh cần hỗ trợ")
        assert task.owner_organisation == cast.organisation

    def test_the_minutes_are_issued_and_downloaded_as_word(self, cast, client_for, meeting):
        client = client_for(cast.principal_a)
        client.post(f"/plans/meetings/{meeting.pk}/minutes/", {"minutes": "Thống nhất chương trình tháng 11."})
        assert client.post(f"/plans/meetings/{meeting.pk}/issue/").status_code == 302
        response = client_for(cast.partner).get(f"/plans/meetings/{meeting.pk}/minutes.docx")
        assert response.status_code == 200
        doc = open_docx(io.BytesIO(response.content))
        assert "Thống nhất chương trình tháng 11." in [p.text for p in doc.paragraphs]

    def test_the_attending_organisation_reads_and_cannot_write(self, cast, client_for, meeting):
        client = client_for(cast.partner)
        page = client.get(f"/plans/meetings/{meeting.pk}/")
        assert page.status_code == 200 and "Họp Hội đồng giáo dục tháng 11" in page.content.decode()
        assert client.post(f"/plans/meetings/{meeting.pk}/issue/").status_code == 403

    def test_a_teacher_of_another_school_gets_404(self, cast, client_for, meeting):
        client = client_for(cast.teacher_b)
        assert client.get(f"/plans/meetings/{meeting.pk}/").status_code == 404
        assert client.get(f"/plans/meetings/{meeting.pk}/minutes.docx").status_code == 404

    def test_the_list_shows_a_missing_parents_meeting(self, cast, client_for):
        year = SchoolYear.objects.get(province=cast.province, start_year=2025)
        end = meeting_selectors.parents_windows(year)[0][2]
        meeting_jobs.parents_meetings(end + datetime.timedelta(days=1))
        body = client_for(cast.principal_a).get("/plans/meetings/").content.decode()
        assert "Chưa họp cha mẹ học sinh" in body and cast.school_a.name in body

    def test_the_api_lists_the_meeting_with_its_decisions(self, cast, client_for, meeting):
        meeting_services.decision_add(
            actor=cast.principal_a, meeting=meeting, text="Kiểm tra sĩ số", due_on=datetime.date(2025, 11, 15)
        )
        client = client_for(cast.principal_a)
        listed = client.get("/api/v1/plans/meetings").json()
        assert meeting.pk in [m["id"] for m in listed["items"]]
        detail = client.get(f"/api/v1/plans/meetings/{meeting.pk}").json()
        assert [d["text"] for d in detail["decisions"]] == ["Kiểm tra sĩ số"]
        assert client_for(cast.teacher_b).get(f"/api/v1/plans/meetings/{meeting.pk}").status_code == 404
