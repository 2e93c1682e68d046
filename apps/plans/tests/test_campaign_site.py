"""How campaigns join the rest: the donation form of funds offers the open campaigns reaching the fund's commune
(through `apps.funds.campaigns`, which plans fills), and a donation recorded with one is linked to it."""

import datetime

import pytest
from django.urls import reverse

from apps.funds import services as funds
from apps.funds.models import Kind, Regime
from apps.plans.models_campaigns import DonationCampaign
from apps.plans.tests.campaign_fixtures import action_month

pytestmark = pytest.mark.django_db


@pytest.fixture
def fund(cast):
    return funds.fund_create(
        actor=cast.partner,
        code="T-KH-CD",
        name="Quỹ khuyến học (chiến dịch, thử)",
        kind=Kind.STUDY_PROMOTION,
        regime=Regime.ASSOCIATION,
        organisation=cast.organisation,
        opened_on=datetime.date(2025, 7, 1),
    )


class TestDonationChoice:
    def test_the_fund_page_offers_the_province_s_open_campaign(self, cast, client_for, fund):
        campaign = action_month(cast)
        page = client_for(cast.partner).get(reverse("funds:detail", args=[fund.pk])).content.decode()
        assert f'<option value="{campaign.pk}">{campaign.title}</option>' in page

    def test_a_donation_recorded_with_the_campaign_is_linked_to_it(self, cast, client_for, fund):
        campaign = action_month(cast)
        response = client_for(cast.partner).post(
            reverse("funds:donation_new", args=[fund.pk]),
            {
                "kind": "cash",
                "amount": "300.000",
                "received_on": "2025-08-12",
                "received_by": "Thủ quỹ",
                "linked_campaign": str(campaign.pk),
            },
        )
        assert response.status_code == 302
        assert DonationCampaign.objects.get(donation__fund=fund).campaign == campaign

    def test_a_campaign_of_another_province_unit_is_not_offered(self, cast, client_for, fund):
        other = action_month(
            cast, actor=cast.other_commune_officer, org_unit=cast.commune_b, title="Chiến dịch của phường Hải Châu"
        )
        page = client_for(cast.partner).get(reverse("funds:detail", args=[fund.pk])).content.decode()
        assert other.title not in page
