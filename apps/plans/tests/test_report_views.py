"""The periodic reports' pages against the cast: the commune sets a schedule for its organisation; the partner
officer files the report, the commune returns it with a comment, the partner resubmits, the commune approves; the
approved report shows no edit form; another commune's officer gets 404; the report downloads as Word."""

import io

import pytest
from docx import Document as open_docx

from apps.plans.models import PeriodicReport, ReportSchedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule(cast, client_for):
    response = client_for(cast.commune_officer).post(
        "/plans/reports/schedules/new/",
        {
            "title": "Báo cáo hoạt động quý",
            "reporter": f"org:{cast.organisation.pk}",
            "receiver": f"unit:{cast.commune_a.pk}",
            "period": "quarter",
            "deadline_days": "10",
        },
    )
    assert response.status_code == 302
    return ReportSchedule.objects.get(title="Báo cáo hoạt động quý")


class TestReportPages:
    def test_the_report_goes_through_return_resubmit_and_approval(self, cast, client_for, schedule):
        partner, commune = client_for(cast.partner), client_for(cast.commune_officer)
        partner.post(f"/plans/reports/schedules/{schedule.pk}/new/", {"on": "15/10/2025"})
        report = PeriodicReport.objects.get(schedule=schedule)
        assert "Quý IV/2025" in partner.get(f"/plans/reports/{report.pk}/").content.decode()
        partner.post(f"/plans/reports/{report.pk}/submit/")
        commune.post(f"/plans/reports/{report.pk}/return/", {"comment": "Bổ sung phần kiến nghị."})
        page = partner.get(f"/plans/reports/{report.pk}/").content.decode()
        assert "Bổ sung phần kiến nghị." in page
        partner.post(
            f"/plans/reports/{report.pk}/edit/",
            {"heading": ["Phương hướng, kiến nghị"], "text": ["Đề nghị hỗ trợ kinh phí."]},
        )
        partner.post(f"/plans/reports/{report.pk}/submit/")
        assert partner.post(f"/plans/reports/{report.pk}/approve/").status_code == 403
        commune.post(f"/plans/reports/{report.pk}/approve/")
        report.refresh_from_db()
        assert report.status == "approved"
        assert report.sections == [{"heading": "Phương hướng, kiến nghị", "text": "Đề nghị hỗ trợ kinh phí."}]
        page = partner.get(f"/plans/reports/{report.pk}/").content.decode()
        assert f"/plans/reports/{report.pk}/edit/" not in page
        partner.post(f"/plans/reports/{report.pk}/edit/", {"heading": ["X"], "text": ["Y"]})
        report.refresh_from_db()
        assert report.sections[0]["heading"] == "Phương hướng, kiến nghị"
        doc = open_docx(io.BytesIO(commune.get(f"/plans/reports/{report.pk}/report.docx").content))
        assert "Đề nghị hỗ trợ kinh phí." in [p.text for p in doc.paragraphs]

    def test_another_commune_gets_404(self, cast, client_for, schedule):
        client_for(cast.partner).post(f"/plans/reports/schedules/{schedule.pk}/new/", {"on": "15/10/2025"})
        report = PeriodicReport.objects.get(schedule=schedule)
        other = client_for(cast.other_commune_officer)
        assert other.get(f"/plans/reports/{report.pk}/").status_code == 404
        assert other.get(f"/plans/reports/{report.pk}/figures.xlsx").status_code == 404
        assert other.get(f"/api/v1/plans/reports/{report.pk}").status_code == 404

    def test_a_teacher_may_not_set_a_schedule(self, cast, client_for):
        client_for(cast.teacher_a).post(
            "/plans/reports/schedules/new/",
            {"title": "X", "reporter": "org:1", "receiver": "unit:1", "period": "quarter", "deadline_days": "10"},
        )
        assert not ReportSchedule.objects.filter(title="X").exists()

    def test_the_api_submits_and_the_receiver_approves(self, cast, client_for, schedule):
        client_for(cast.partner).post(f"/plans/reports/schedules/{schedule.pk}/new/", {"on": "15/10/2025"})
        report = PeriodicReport.objects.get(schedule=schedule)
        submitted = client_for(cast.partner).post(f"/api/v1/plans/reports/{report.pk}/submit")
        assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
        assert client_for(cast.partner).post(f"/api/v1/plans/reports/{report.pk}/approve").status_code == 403
        approved = client_for(cast.commune_officer).post(f"/api/v1/plans/reports/{report.pk}/approve")
        assert approved.json()["status"] == "approved"
        again = client_for(cast.partner).post(f"/api/v1/plans/reports/{report.pk}/submit")
        assert again.status_code == 422


class TestTheIssuedReportsWordFile:
    @pytest.fixture
    def submitted(self, cast, client_for, schedule):
        from apps.documents import services as documents

        documents.body_create(
            actor=cast.partner,
            name="Hội Khuyến học xã Trà Linh",
            abbreviation="HKH",
            place="Trà Linh",
            organisation=cast.organisation,
        )
        partner = client_for(cast.partner)
        partner.post(f"/plans/reports/schedules/{schedule.pk}/new/", {"on": "15/10/2025"})
        report = PeriodicReport.objects.get(schedule=schedule)
        partner.post(f"/plans/reports/{report.pk}/submit/")
        report.refresh_from_db()
        return report

    def test_the_download_is_the_stored_issued_file(self, cast, client_for, submitted):
        from apps.core.models import AuditEvent

        commune = client_for(cast.commune_officer)
        first = commune.get(f"/plans/reports/{submitted.pk}/report.docx")
        second = commune.get(f"/plans/reports/{submitted.pk}/report.docx")
        with submitted.document.file.open("rb") as fh:
            stored = fh.read()
        assert first.content == stored and second.content == stored
        assert 'filename="01-BC-HKH.docx"' in first["Content-Disposition"]
        assert AuditEvent.objects.filter(action="plans.download", actor=cast.commune_officer).count() == 2
        page = commune.get(f"/plans/reports/{submitted.pk}/").content.decode()
        assert "Đã vào sổ văn bản đi: số 01/BC-HKH" in page

    def test_a_changed_stored_file_is_not_handed_out(self, cast, client_for, submitted):
        with submitted.document.file.open("wb") as fh:
            fh.write(b"not the issued file")
        assert client_for(cast.commune_officer).get(f"/plans/reports/{submitted.pk}/report.docx").status_code == 404

    def test_another_commune_gets_404(self, cast, client_for, submitted):
        response = client_for(cast.other_commune_officer).get(f"/plans/reports/{submitted.pk}/report.docx")
        assert response.status_code == 404

    def test_a_reporter_without_an_issuing_body_is_told_so(self, cast, client_for, schedule):
        partner = client_for(cast.partner)
        partner.post(f"/plans/reports/schedules/{schedule.pk}/new/", {"on": "15/10/2025"})
        report = PeriodicReport.objects.get(schedule=schedule)
        partner.post(f"/plans/reports/{report.pk}/submit/")
        page = partner.get(f"/plans/reports/{report.pk}/").content.decode()
        assert "chưa có cơ quan ban hành: báo cáo gửi đi không vào sổ văn bản" in page
        assert partner.get(f"/plans/reports/{report.pk}/report.docx").status_code == 200
