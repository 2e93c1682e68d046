"""Correcting a campaign after it was made: `campaign_update` (checked as at creation, audited with each field's
value before and after, the window kept around the recorded events), its page and its API PATCH."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.plans import campaign_services
from apps.plans.models_campaigns import Campaign
from apps.plans.tests.campaign_fixtures import ENDS, STARTS, action_month

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(cast):
    return action_month(cast)


def _form(campaign, **changed):
    data = {name: getattr(campaign, name) for name in campaign_services.CAMPAIGN_FIELDS}
    data |= changed
    return {k: (f"{v:%d/%m/%Y}" if isinstance(v, datetime.date) else v or "") for k, v in data.items()}


class TestCampaignUpdate:
    def test_the_manager_corrects_the_name_and_peak_and_the_event_has_before_and_after(self, cast, campaign):
        campaign_services.campaign_update(
            actor=cast.province_officer,
            campaign=campaign,
            title="Tháng hành động vì sự nghiệp giáo dục năm 2025 (sửa)",
            peak_starts_on=datetime.date(2025, 8, 20),
            theme=campaign.theme,
        )
        event = AuditEvent.objects.get(action="plans.campaign_update", object_id=str(campaign.pk))
        assert event.changes == {
            "title": [
                "Tháng hành động vì sự nghiệp giáo dục năm 2025",
                "Tháng hành động vì sự nghiệp giáo dục năm 2025 (sửa)",
            ],
            "peak_starts_on": ["18/08/2025", "20/08/2025"],
        }
        assert Campaign.objects.get(pk=campaign.pk).peak_starts_on == datetime.date(2025, 8, 20)

    def test_a_peak_outside_the_window_is_refused_on_the_peak_field(self, cast, campaign):
        with pytest.raises(ValidationError) as exc:
            campaign_services.campaign_update(
                actor=cast.province_officer, campaign=campaign, peak_ends_on=datetime.date(2025, 9, 5)
            )
        assert exc.value.message_dict == {
            "peak_starts_on": ["Thời gian cao điểm phải nằm trong thời gian của chiến dịch."]
        }
        assert not AuditEvent.objects.filter(action="plans.campaign_update").exists()

    def test_the_window_may_not_leave_out_a_recorded_event(self, cast, campaign):
        campaign_services.campaign_event_add(
            actor=cast.province_officer, campaign=campaign, on=ENDS, title="Khai giảng năm học mới"
        )
        with pytest.raises(ValidationError) as exc:
            campaign_services.campaign_update(
                actor=cast.province_officer, campaign=campaign, ends_on=datetime.date(2025, 8, 31)
            )
        assert "Khai giảng năm học mới" in exc.value.message_dict["ends_on"][0]
        assert Campaign.objects.get(pk=campaign.pk).ends_on == ENDS

    def test_a_reader_of_the_campaign_may_not_correct_it(self, cast, campaign):
        with pytest.raises(PermissionDenied):  # it reads the campaign: 403, not 404
            campaign_services.campaign_update(actor=cast.commune_officer, campaign=campaign, title="Khác")
        assert Campaign.objects.get(pk=campaign.pk).title == campaign.title


class TestEditPage:
    def test_the_manager_sees_the_form_prefilled_and_saves_it(self, cast, client_for, campaign):
        client = client_for(cast.province_officer)
        detail = client.get(reverse("plans:campaign", args=[campaign.pk])).content.decode()
        assert reverse("plans:campaign_edit", args=[campaign.pk]) in detail
        url = reverse("plans:campaign_edit", args=[campaign.pk])
        page = client.get(url).content.decode()
        assert 'value="18/08/2025"' in page or 'value="2025-08-18"' in page
        response = client.post(url, _form(campaign, title="Tháng hành động 2025", starts_on=STARTS))
        assert response.status_code == 302
        assert Campaign.objects.get(pk=campaign.pk).title == "Tháng hành động 2025"

    def test_a_peak_outside_the_window_is_shown_in_vietnamese_on_the_peak(self, cast, client_for, campaign):
        url = reverse("plans:campaign_edit", args=[campaign.pk])
        response = client_for(cast.province_officer).post(
            url, _form(campaign, peak_starts_on=datetime.date(2025, 7, 20))
        )
        assert response.status_code == 400
        assert "Thời gian cao điểm phải nằm trong thời gian của chiến dịch." in response.content.decode()
        assert Campaign.objects.get(pk=campaign.pk).peak_starts_on == datetime.date(2025, 8, 18)

    def test_a_commune_that_reads_the_provinces_campaign_gets_403_and_no_link(self, cast, client_for, campaign):
        client = client_for(cast.commune_officer)
        detail = client.get(reverse("plans:campaign", args=[campaign.pk])).content.decode()
        assert reverse("plans:campaign_edit", args=[campaign.pk]) not in detail
        url = reverse("plans:campaign_edit", args=[campaign.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, _form(campaign, title="Khác")).status_code == 403

    def test_an_officer_of_another_commune_gets_404_for_a_communes_campaign(self, cast, client_for):
        own = action_month(cast, actor=cast.commune_officer, org_unit=cast.commune_a, receiving_name="")
        url = reverse("plans:campaign_edit", args=[own.pk])
        client = client_for(cast.other_commune_officer)
        assert client.get(url).status_code == 404
        assert client.post(url, _form(own, title="Khác")).status_code == 404
        assert client_for(cast.commune_officer).get(url).status_code == 200


class TestApi:
    def test_the_manager_patches_the_theme(self, cast, client_for, campaign):
        url = reverse("api:update_campaign", kwargs={"pk": campaign.pk})
        response = client_for(cast.province_officer).patch(
            url, {"theme": "Chủ đề mới"}, content_type="application/json"
        )
        assert response.status_code == 200
        assert response.json()["theme"] == "Chủ đề mới"

    def test_a_peak_outside_the_window_answers_400(self, cast, client_for, campaign):
        url = reverse("api:update_campaign", kwargs={"pk": campaign.pk})
        response = client_for(cast.province_officer).patch(
            url, {"peak_ends_on": "2025-09-10"}, content_type="application/json"
        )
        assert response.status_code == 400
        assert "cao điểm" in response.json()["detail"]

    @pytest.mark.parametrize("field", ["starts_on", "ends_on", "title"])
    def test_a_required_field_sent_empty_answers_400_and_changes_nothing(self, cast, client_for, campaign, field):
        url = reverse("api:update_campaign", kwargs={"pk": campaign.pk})
        body = {field: None, "report_due_on": "2025-09-10", "peak_starts_on": "2025-08-18"}
        response = client_for(cast.province_officer).patch(url, body, content_type="application/json")
        assert response.status_code == 400, response.content
        campaign.refresh_from_db()
        assert getattr(campaign, field) is not None

    def test_a_nul_character_in_the_body_answers_400_and_changes_nothing(self, cast, client_for, campaign):
        # PostgreSQL refuses NUL in text: without the API's parser refusing it first, the write was a 500 there.
        url = reverse("api:update_campaign", kwargs={"pk": campaign.pk})
        body = '{"title": "Th\\u00e1ng h\\u00e0nh \\u0000 \\u0111\\u1ed9ng"}'
        response = client_for(cast.province_officer).patch(url, body, content_type="application/json")
        assert response.status_code == 400 and response.json()["detail"]
        campaign.refresh_from_db()
        assert "\x00" not in campaign.title

    def test_a_text_that_may_be_blank_sent_empty_is_emptied(self, cast, client_for, campaign):
        url = reverse("api:update_campaign", kwargs={"pk": campaign.pk})
        response = client_for(cast.province_officer).patch(url, {"theme": None}, content_type="application/json")
        assert response.status_code == 200 and response.json()["theme"] == ""

    def test_a_reader_gets_403(self, cast, client_for, campaign):
        url = reverse("api:update_campaign", kwargs={"pk": campaign.pk})
        response = client_for(cast.commune_officer).patch(url, {"theme": "x"}, content_type="application/json")
        assert response.status_code == 403
