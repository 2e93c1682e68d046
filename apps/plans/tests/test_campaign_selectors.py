"""A campaign's reports: prefilled with what the system holds for the window, rolled up late first, and a commune
with no published hotline number flagged."""

import datetime

import pytest

from apps.core.text import fold
from apps.plans import campaign_selectors, campaign_services
from apps.plans.models_campaigns import FIGURE_CODES
from apps.plans.tests.campaign_fixtures import DUE, PLANTED_A, action_month, plant_commune_a

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(cast):
    return action_month(cast)


class TestPrefill:
    def test_the_commune_report_is_prefilled_with_the_figures_planted_for_the_window(self, cast, campaign):
        plant_commune_a(cast, campaign)
        (report,) = campaign_services.campaign_reports_request(
            actor=cast.province_officer, campaign=campaign, communes=[cast.commune_a]
        )
        assert report.system == PLANTED_A

    def test_the_commune_officer_filling_it_reads_the_same_figures(self, cast, campaign):
        plant_commune_a(cast, campaign)
        (report,) = campaign_services.campaign_reports_request(
            actor=cast.province_officer, campaign=campaign, communes=[cast.commune_a]
        )
        assert campaign_selectors.system_figures(cast.commune_officer, report) == PLANTED_A

    def test_another_commune_reports_none_of_them(self, cast, campaign):
        plant_commune_a(cast, campaign)
        (report,) = campaign_services.campaign_reports_request(
            actor=cast.province_officer, campaign=campaign, communes=[cast.commune_b]
        )
        assert report.system == dict.fromkeys(FIGURE_CODES, 0)


class TestRollup:
    def test_a_report_sent_after_its_deadline_is_late(self, cast, campaign):
        a, b = self._reports(cast, campaign)
        campaign_services.campaign_report_save(actor=cast.commune_officer, report=a, figures={}, submit=True)
        a.__class__.objects.filter(pk=a.pk).update(
            submitted_at=datetime.datetime(2025, 9, 12, 9, 0, tzinfo=datetime.UTC)
        )
        lines = campaign_selectors.rollup(cast.province_officer, campaign, today=DUE + datetime.timedelta(days=5)).lines
        assert {line.report.pk: line.late for line in lines} == {a.pk: True, b.pk: True}

    def _reports(self, cast, campaign):
        a, b = campaign_services.campaign_reports_request(
            actor=cast.province_officer, campaign=campaign, communes=[cast.commune_a, cast.commune_b]
        )
        return a, b

    def test_late_communes_come_first(self, cast, campaign):
        a, b = self._reports(cast, campaign)
        campaign_services.campaign_report_save(actor=cast.commune_officer, report=a, figures={}, submit=True)
        # Sent on 9/9, the day before its deadline (the service stamps the real clock).
        a.__class__.objects.filter(pk=a.pk).update(
            submitted_at=datetime.datetime(2025, 9, 9, 9, 0, tzinfo=datetime.UTC)
        )
        rollup = campaign_selectors.rollup(cast.province_officer, campaign, today=DUE + datetime.timedelta(days=1))
        assert [line.report.pk for line in rollup.lines] == [b.pk, a.pk]
        assert [line.late for line in rollup.lines] == [True, False]

    def test_before_the_deadline_nobody_is_late_and_communes_go_by_name(self, cast, campaign):
        a, b = self._reports(cast, campaign)
        rollup = campaign_selectors.rollup(cast.province_officer, campaign, today=DUE)
        assert not any(line.late for line in rollup.lines)
        names = [line.name for line in rollup.lines]
        assert names == sorted(names, key=fold)

    def test_totals_add_up_the_submitted_reports(self, cast, campaign):
        plant_commune_a(cast, campaign)
        a, b = self._reports(cast, campaign)
        campaign_services.campaign_report_save(
            actor=cast.commune_officer,
            report=a,
            figures={**PLANTED_A, "mobilised": 5},
            notes={"mobilised": "Ba trẻ học lớp xóa mù chưa nhập hệ thống"},
            submit=True,
        )
        rollup = campaign_selectors.rollup(cast.province_officer, campaign, today=DUE)
        assert rollup.totals["mobilised"] == 5
        assert rollup.totals["raised"] == 2_000_000
        assert rollup.submitted == 1

    def test_a_commune_with_no_published_hotline_is_flagged(self, cast, campaign):
        from apps.retention import hotline

        hotline.number_set(actor=cast.commune_officer, commune=cast.commune_a, phone="0235 3880 123")
        hotline.number_set(actor=cast.other_commune_officer, commune=cast.commune_b, phone="0236 000", published=False)
        self._reports(cast, campaign)
        flags = {
            line.report.org_unit_id: line.no_hotline
            for line in campaign_selectors.rollup(cast.province_officer, campaign).lines
        }
        assert flags == {cast.commune_a.pk: False, cast.commune_b.pk: True}

    def test_a_commune_officer_cannot_read_the_rollup(self, cast, campaign):
        self._reports(cast, campaign)
        assert campaign_selectors.rollup(cast.commune_officer, campaign).lines == []
