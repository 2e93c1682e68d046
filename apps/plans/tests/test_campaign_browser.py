"""In the browser (Playwright driving Debian's Chromium), under the site's CSP, at a phone's width: the Sở GDĐT's
officer opens the demo's Action Month, follows "Sửa chiến dịch", is refused a peak past the window with the reason
beside the peak, then moves the report deadline and saves."""

import datetime

import pytest

from tests.test_browser_walk import browser, cast_accounts, check_page, signed_in  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_province_officer_corrects_the_action_month_on_a_phone(live_server, browser, cast_accounts):  # noqa: F811
    from apps.core.models import AuditEvent
    from apps.plans.models_campaigns import Campaign

    campaign = Campaign.objects.get(kind="action_month", starts_on=datetime.date(2025, 8, 1))
    context, page = signed_in(browser, live_server.url, "so.gddt", width=360)
    problems, console = [], []
    page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    check_page(page, live_server.url, f"/plans/campaigns/{campaign.pk}/", 360, problems, console)
    page.get_by_role("link", name="Sửa chiến dịch").click()
    page.wait_for_url(f"{live_server.url}/plans/campaigns/{campaign.pk}/edit/")
    check_page(page, live_server.url, f"/plans/campaigns/{campaign.pk}/edit/", 360, problems, console)
    assert page.get_by_label("Cao điểm từ ngày").input_value() == "18/08/2025"
    page.get_by_label("Cao điểm đến ngày").fill("05/09/2025")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_selector("text=Thời gian cao điểm phải nằm trong thời gian của chiến dịch.")
    page.get_by_label("Cao điểm đến ngày").fill("25/08/2025")
    page.get_by_label("Hạn báo cáo").fill("12/09/2025")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"{live_server.url}/plans/campaigns/{campaign.pk}/")
    page.wait_for_selector("text=Đã lưu chiến dịch.")
    assert "12/09/2025" in page.inner_text("main")
    event = AuditEvent.objects.get(action="plans.campaign_update", object_id=str(campaign.pk))
    assert event.changes == {"report_due_on": ["10/09/2025", "12/09/2025"]}
    # The refusal answers 400 like every refused form of the site (Chromium logs that status); nothing else.
    assert not problems and [e for e in console if "status of 400" not in e] == [], console
    context.close()
