"""The campaigns' pages: the report form prefilled with the system's figures, the roll-up late first with the
hotline flag, and its XLSX with typed cells."""

import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from openpyxl import load_workbook

from apps.plans import campaign_services
from apps.plans.models_campaigns import CampaignReport
from apps.plans.tests.campaign_fixtures import PLANTED_A, action_month, plant_commune_a

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(cast):
    return action_month(cast)


@pytest.fixture
def reports(cast, campaign):
    plant_commune_a(cast, campaign)
    return campaign_services.campaign_reports_request(
        actor=cast.province_officer, campaign=campaign, communes=[cast.commune_a, cast.commune_b]
    )


class TestReportForm:
    def test_the_commune_opens_its_form_prefilled_with_the_planted_figures(self, cast, client_for, reports):
        response = client_for(cast.commune_officer).get(reverse("plans:campaign_report", args=[reports[0].pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'name="fig_gifts_value" value="600000"' in html
        assert 'name="fig_mobilised" value="2"' in html

    def test_a_changed_figure_without_a_note_is_sent_back_with_the_reason(self, cast, client_for, reports):
        data = {f"fig_{code}": value for code, value in PLANTED_A.items()} | {"fig_returned": "3", "submit": "1"}
        response = client_for(cast.commune_officer).post(reverse("plans:campaign_report", args=[reports[0].pk]), data)
        assert response.status_code == 400
        assert "ghi rõ lý do" in response.content.decode()
        assert CampaignReport.objects.get(pk=reports[0].pk).status == "draft"

    def test_with_a_note_it_is_submitted(self, cast, client_for, reports):
        data = {f"fig_{code}": value for code, value in PLANTED_A.items()} | {
            "fig_returned": "3",
            "note_returned": "Hai em trở lại học lớp xóa mù",
            "submit": "1",
        }
        response = client_for(cast.commune_officer).post(reverse("plans:campaign_report", args=[reports[0].pk]), data)
        assert response.status_code == 302
        saved = CampaignReport.objects.get(pk=reports[0].pk)
        assert (saved.status, saved.figures["returned"]) == ("submitted", 3)

    def test_the_province_reads_it_and_cannot_post_it(self, cast, client_for, reports):
        client = client_for(cast.province_officer)
        assert client.get(reverse("plans:campaign_report", args=[reports[0].pk])).status_code == 200
        assert client.post(reverse("plans:campaign_report", args=[reports[0].pk]), {}).status_code == 403


class TestAssign:
    def test_a_bad_month_is_told_above_the_page_naming_the_field(self, cast, client_for, campaign):
        response = client_for(cast.province_officer).post(
            reverse("plans:campaign_task_assign", args=[campaign.pk]),
            {"title": "Lập kế hoạch Tháng hành động của xã", "months": "13/2025", "every_commune": "on"},
        )
        assert response.status_code == 400
        assert [str(m) for m in get_messages(response.wsgi_request)] == [
            "Tháng thực hiện: “13/2025” không phải một tháng hay các tháng liền nhau của một năm "
            "(ví dụ 9/2025 hoặc 10+11/2025)."
        ]
        assert "Tháng thực hiện: “13/2025” không phải một tháng" in response.content.decode()
        assert not campaign.campaign_tasks.exists()


class TestRequest:
    def test_the_province_asks_every_commune_at_once(self, cast, client_for, campaign):
        response = client_for(cast.province_officer).post(reverse("plans:campaign_reports_request", args=[campaign.pk]))
        assert response.status_code == 302
        assert campaign.reports.count() == len(campaign_services.communes_of(cast.province)) > 2

    def test_a_commune_may_not_ask(self, cast, client_for, campaign):
        response = client_for(cast.commune_officer).post(reverse("plans:campaign_reports_request", args=[campaign.pk]))
        assert response.status_code == 403


class TestRollup:
    def _submit_a(self, cast, reports):
        campaign_services.campaign_report_save(actor=cast.commune_officer, report=reports[0], figures={}, submit=True)
        # Sent on 9/9, before the deadline of 10/9 (the service stamps the real clock).
        CampaignReport.objects.filter(pk=reports[0].pk).update(
            submitted_at=datetime.datetime(2025, 9, 9, 2, 0, tzinfo=datetime.UTC)
        )

    def test_the_page_lists_the_late_commune_first_and_flags_the_missing_hotline(self, cast, client_for, reports):
        self._submit_a(cast, reports)
        html = client_for(cast.province_officer).get(reverse("plans:campaign_rollup", args=[reports[0].campaign_id]))
        text = html.content.decode()
        assert text.index(cast.commune_b.name) < text.index(cast.commune_a.name)
        assert "Chưa công bố" in text

    def test_the_xlsx_has_typed_cells_late_first_and_a_total(self, cast, client_for, reports):
        self._submit_a(cast, reports)
        response = client_for(cast.province_officer).get(
            reverse("plans:campaign_rollup_xlsx", args=[reports[0].campaign_id])
        )
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(min_row=5, values_only=True))
        headers = next(sheet.iter_rows(min_row=4, max_row=4, values_only=True))
        col = {h: i for i, h in enumerate(headers)}
        late, on_time, total = rows
        assert (late[1], on_time[1]) == (cast.commune_b.name, cast.commune_a.name)
        assert late[col["Quá hạn"]] == "Có" and on_time[col["Quá hạn"]] is None
        assert on_time[col["Trẻ được vận động ra lớp"]] == 2
        assert isinstance(on_time[col["Tiền, hiện vật vận động được (đồng)"]], (int, float))
        assert on_time[col["Tiền, hiện vật vận động được (đồng)"]] == 2_000_000
        assert on_time[col["Ngày gửi"]] == datetime.datetime(2025, 9, 9)
        assert isinstance(on_time[col["Hạn báo cáo"]], datetime.datetime)
        assert total[col["Suất quà đã tặng"]] == 3
        assert late[col["Chưa công bố số điện thoại đường dây nóng"]] == "Có"

    def test_a_commune_officer_may_not_open_the_rollup(self, cast, client_for, reports):
        client = client_for(cast.commune_officer)
        assert client.get(reverse("plans:campaign_rollup_xlsx", args=[reports[0].campaign_id])).status_code == 403


class TestApi:
    def test_the_commune_files_its_report_through_the_api(self, cast, client_for, reports):
        url = reverse("api:save_campaign_report", kwargs={"pk": reports[0].pk})
        response = client_for(cast.commune_officer).post(
            url,
            {"figures": {"raised": 2_500_000}, "notes": {"raised": "Thêm tiền mặt chưa ghi sổ"}, "submit": True},
            content_type="application/json",
        )
        assert response.status_code == 200
        assert response.json()["figures"]["raised"] == 2_500_000
        assert response.json()["system"]["raised"] == 2_000_000

    def test_a_differing_figure_without_a_note_is_refused(self, cast, client_for, reports):
        url = reverse("api:save_campaign_report", kwargs={"pk": reports[0].pk})
        response = client_for(cast.commune_officer).post(
            url, {"figures": {"raised": 1}}, content_type="application/json"
        )
        assert response.status_code == 400

    def test_the_rollup_answers_the_province(self, cast, client_for, reports):
        url = reverse("api:campaign_rollup", kwargs={"pk": reports[0].campaign_id})
        body = client_for(cast.province_officer).get(url).json()
        assert [line["no_hotline"] for line in body["lines"]] == [True, True]
