"""The campaigns' writes: a campaign of the province compiled by its education office, its events, its tasks (one
per commune when sent to every commune), the reports requested and filled with a note where a figure differs."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.core.models import AuditEvent
from apps.plans import campaign_selectors, campaign_services, services
from apps.plans.models import Task
from apps.plans.models_campaigns import CampaignReport
from apps.plans.tests.campaign_fixtures import ENDS, PLANTED_A, STARTS, action_month, plant_commune_a

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(cast):
    return action_month(cast)


class TestCampaignCreate:
    def test_the_province_officer_issues_it_compiled_by_the_named_body(self, cast, campaign):
        assert campaign.receiving_unit == cast.province
        assert campaign.compiler == "Sở Giáo dục và Đào tạo"
        assert AuditEvent.objects.filter(action="plans.campaign_create", object_id=str(campaign.pk)).exists()

    def test_a_commune_officer_cannot_issue_one_for_the_province(self, cast):
        with pytest.raises(PermissionDenied):
            campaign_services.campaign_create(
                actor=cast.commune_officer,
                kind="other",
                title="Thử",
                org_unit=cast.province,
                starts_on=STARTS,
                ends_on=ENDS,
            )

    def test_the_peak_must_lie_inside_the_window(self, cast):
        with pytest.raises(ValidationError) as exc:
            action_month(cast, peak_starts_on=datetime.date(2025, 7, 20), peak_ends_on=datetime.date(2025, 8, 2))
        assert "peak_starts_on" in exc.value.message_dict


class TestEvents:
    def test_an_event_inside_the_window_is_kept(self, cast, campaign):
        event = campaign_services.campaign_event_add(
            actor=cast.province_officer,
            campaign=campaign,
            on=datetime.date(2025, 8, 30),
            title="Ngày toàn dân đưa trẻ đến trường",
        )
        assert list(campaign.events.all()) == [event]

    def test_an_event_outside_the_window_is_refused(self, cast, campaign):
        with pytest.raises(ValidationError):
            campaign_services.campaign_event_add(
                actor=cast.province_officer, campaign=campaign, on=datetime.date(2025, 9, 5), title="Khai giảng"
            )


class TestTasks:
    def test_a_task_for_every_commune_makes_one_task_per_commune(self, cast, campaign):
        communes = campaign_services.communes_of(cast.province)
        tasks = campaign_services.campaign_task_assign(
            actor=cast.province_officer,
            campaign=campaign,
            title="Công bố số điện thoại tiếp nhận thông tin trẻ không đến trường",
            due_on=datetime.date(2025, 8, 10),
            every_commune_of=cast.province,
        )
        assert len(tasks) == len(communes) > 1
        assert {t.owner_unit_id for t in tasks} == {c.pk for c in communes}
        assert {t.campaign_link.batch for t in tasks} == {1}

    def test_the_commune_sees_and_updates_its_own_task(self, cast, campaign):
        campaign_services.campaign_task_assign(
            actor=cast.province_officer,
            campaign=campaign,
            title="Lập kế hoạch Tháng hành động của xã",
            due_on=datetime.date(2025, 8, 5),
            every_commune_of=cast.province,
        )
        (mine,) = campaign_selectors.campaign_tasks(cast.commune_officer, campaign)
        assert mine.owner_unit == cast.commune_a
        from apps.plans import services

        services.task_set_status(actor=cast.commune_officer, task=mine, status=Task.Status.DONE, note="Đã ban hành")
        mine.refresh_from_db()
        assert mine.status == Task.Status.DONE

    def test_a_task_for_a_named_agency_is_followed_by_the_campaign_writers(self, cast, campaign):
        (task,) = campaign_services.campaign_task_assign(
            actor=cast.province_officer,
            campaign=campaign,
            title="Tăng thời lượng phát sóng về giáo dục",
            months="8/2025",
            agency="Đài Phát thanh - Truyền hình",
        )
        assert task.due_on == datetime.date(2025, 8, 31)
        assert list(campaign_selectors.campaign_tasks(cast.province_officer, campaign)) == [task]
        assert list(campaign_selectors.campaign_tasks(cast.commune_officer, campaign)) == []

    def test_a_bad_month_is_refused_naming_the_field_before_the_communes_are_looked_at(self, cast):
        ours = campaign_services.campaign_create(
            actor=cast.commune_officer, kind="other", title="Tháng hành động xã", org_unit=cast.commune_a,
            starts_on=STARTS, ends_on=ENDS,
        )  # fmt: skip
        before = Task.objects.count(), AuditEvent.objects.count()
        with pytest.raises(ValidationError) as exc:
            campaign_services.campaign_task_assign(
                actor=cast.commune_officer,
                campaign=ours,
                title="Lập kế hoạch Tháng hành động của thôn",
                months="13/2025",
                every_commune_of=cast.commune_b,  # not the campaign's: refused too, but after the months
            )
        assert exc.value.message_dict == {
            "months": [
                "“13/2025” không phải một tháng hay các tháng liền nhau của một năm (ví dụ 9/2025 hoặc 10+11/2025)."
            ]
        }
        assert (Task.objects.count(), AuditEvent.objects.count()) == before

    def test_the_months_are_read_once_for_a_task_to_every_commune(self, cast, campaign):
        with mock.patch("apps.plans.services.parse_months", wraps=services.parse_months) as parse:
            tasks = campaign_services.campaign_task_assign(
                actor=cast.province_officer,
                campaign=campaign,
                title="Lập kế hoạch Tháng hành động của xã",
                months="8+9/2025",
                every_commune_of=cast.province,
            )
        assert len(tasks) > 1 and {t.when for t in tasks} == {"8+9/2025"}
        assert {t.due_on for t in tasks} == {datetime.date(2025, 9, 30)}
        parse.assert_called_once_with("8+9/2025")


class TestReports:
    def _report(self, cast, campaign):
        (report,) = campaign_services.campaign_reports_request(
            actor=cast.province_officer, campaign=campaign, communes=[cast.commune_a]
        )
        return report

    def test_asking_twice_asks_once(self, cast, campaign):
        self._report(cast, campaign)
        again = campaign_services.campaign_reports_request(
            actor=cast.province_officer, campaign=campaign, communes=[cast.commune_a]
        )
        assert again == []
        assert CampaignReport.objects.filter(campaign=campaign).count() == 1

    def test_a_figure_that_differs_needs_a_note(self, cast, campaign):
        plant_commune_a(cast, campaign)
        report = self._report(cast, campaign)
        with pytest.raises(ValidationError) as exc:
            campaign_services.campaign_report_save(
                actor=cast.commune_officer, report=report, figures={**PLANTED_A, "returned": 4}
            )
        assert "returned" in exc.value.message_dict

    def test_with_its_note_the_differing_figure_is_kept_beside_the_system_one(self, cast, campaign):
        plant_commune_a(cast, campaign)
        report = self._report(cast, campaign)
        saved = campaign_services.campaign_report_save(
            actor=cast.commune_officer,
            report=report,
            figures={**PLANTED_A, "returned": 4},
            notes={"returned": "Ba em trở lại học ở trường ngoài tỉnh"},
            narrative="Xã đã tổ chức tuyên truyền.",
        )
        assert (saved.figures["returned"], saved.system["returned"]) == (4, 1)
        assert saved.notes == {"returned": "Ba em trở lại học ở trường ngoài tỉnh"}

    def test_a_submitted_report_cannot_be_changed(self, cast, campaign):
        report = self._report(cast, campaign)
        campaign_services.campaign_report_save(actor=cast.commune_officer, report=report, figures={}, submit=True)
        with pytest.raises(ValidationError):
            campaign_services.campaign_report_save(actor=cast.commune_officer, report=report, figures={})

    def test_another_commune_cannot_fill_it(self, cast, campaign):
        from django.http import Http404

        report = self._report(cast, campaign)
        with pytest.raises(Http404):
            campaign_services.campaign_report_save(actor=cast.other_commune_officer, report=report, figures={})

    def test_the_province_reads_but_does_not_fill_it(self, cast, campaign):
        report = self._report(cast, campaign)
        with pytest.raises(PermissionDenied):
            campaign_services.campaign_report_save(actor=cast.province_officer, report=report, figures={})
