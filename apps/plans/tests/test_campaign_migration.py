"""The funds' free-text campaign labels become archived campaigns, one per label and unit, every donation's and
pledge's text kept as written (the migration's function run on planted data)."""

import datetime
import importlib

import pytest
from django.apps import apps

from apps.funds import services as funds
from apps.funds.models import Donation, DonationKind, Kind, Regime
from apps.plans.models_campaigns import Campaign

pytestmark = pytest.mark.django_db
migration = importlib.import_module("apps.plans.migrations.0003_campaign_labels")
DAY = datetime.date(2024, 8, 10)


def _fund(actor, code, **owner):
    return funds.fund_create(
        actor=actor,
        code=code,
        name=f"Quỹ {code}",
        kind=Kind.STUDY_PROMOTION,
        regime=Regime.ASSOCIATION,
        opened_on=datetime.date(2024, 1, 1),
        **owner,
    )


def _give(actor, fund, label, on=DAY, amount=100_000):
    return funds.donation_record(
        actor=actor,
        fund=fund,
        kind=DonationKind.CASH,
        amount=amount,
        received_on=on,
        received_by="Thủ quỹ",
        campaign=label,
    )


@pytest.fixture
def planted(cast):
    a = _fund(cast.partner, "T-NHAN-A", organisation=cast.organisation)
    b = _fund(cast.other_commune_officer, "T-NHAN-B", org_unit=cast.commune_b)
    donor = funds.donor_create(
        actor=cast.partner,
        name="Công ty Thử Nghiệm",
        kind="business",
        org_unit=cast.commune_a,
        organisation=cast.organisation,
    )
    rows = [
        _give(cast.partner, a, "Tháng hành động 2024", on=datetime.date(2024, 8, 3)),
        _give(cast.partner, a, "Tháng hành động 2024", on=datetime.date(2024, 8, 28)),
        _give(cast.partner, a, "Tết vì học sinh nghèo"),
        _give(cast.other_commune_officer, b, "Tháng hành động 2024"),
        _give(cast.partner, a, ""),
    ]
    pledge = funds.pledge_record(
        actor=cast.partner,
        fund=a,
        donor=donor,
        made_on=DAY,
        instalments=[(datetime.date(2024, 9, 1), 50_000)],
        campaign="Tháng hành động 2024",
    )
    return rows, pledge


class TestLabelsToCampaigns:
    def test_every_donation_keeps_its_text_and_links_to_a_campaign_of_that_text(self, cast, planted):
        rows, _pledge = planted
        migration.labels_to_campaigns(apps)
        for row in rows[:4]:
            row = Donation.objects.get(pk=row.pk)
            assert row.campaign_link.campaign.label == row.campaign
            assert row.campaign_link.campaign.title == row.campaign
            assert row.campaign_link.campaign.status == Campaign.Status.ARCHIVED
        assert Donation.objects.get(pk=rows[0].pk).campaign == "Tháng hành động 2024"
        assert not hasattr(Donation.objects.get(pk=rows[4].pk), "campaign_link")

    def test_one_campaign_per_label_and_unit(self, cast, planted):
        rows, pledge = planted
        migration.labels_to_campaigns(apps)
        linked = [Donation.objects.get(pk=r.pk).campaign_link.campaign for r in rows[:4]]
        assert linked[0] == linked[1]  # same label, same commune
        assert linked[0] != linked[2]  # another label
        assert linked[0] != linked[3]  # same label, another commune
        assert (linked[0].org_unit, linked[3].org_unit) == (cast.commune_a, cast.commune_b)
        pledge.refresh_from_db()
        assert pledge.campaign_link.campaign == linked[0]
        assert pledge.campaign == "Tháng hành động 2024"

    def test_the_campaign_spans_its_donations_days(self, cast, planted):
        rows, _pledge = planted
        migration.labels_to_campaigns(apps)
        campaign = Donation.objects.get(pk=rows[0].pk).campaign_link.campaign
        assert (campaign.starts_on, campaign.ends_on) == (datetime.date(2024, 8, 3), datetime.date(2024, 8, 28))

    def test_run_again_it_links_nothing_twice(self, cast, planted):
        migration.labels_to_campaigns(apps)
        count = Campaign.objects.count()
        assert migration.labels_to_campaigns(apps) == 0
        assert Campaign.objects.count() == count

    def test_reversed_it_leaves_the_texts_and_removes_the_campaigns(self, cast, planted):
        rows, _pledge = planted
        migration.labels_to_campaigns(apps)
        migration.campaigns_to_labels(apps)
        assert not Campaign.objects.filter(label="Tết vì học sinh nghèo").exists()
        assert Donation.objects.get(pk=rows[2].pk).campaign == "Tết vì học sinh nghèo"
