"""The hotline in Debian's Chromium at a phone's width: an anonymous visitor reports a child not in school, gets a
reference code, checks its status (nothing but the status), and the commune's officer accepts the report as a case
for the right commune. No script error, no CSP violation."""

import os
import re

import pytest
from django.core.management import call_command

from apps.retention.tests.test_browser import CSP_WATCH, browser, fits, watch  # noqa: F401 - the fixture
from tests.test_browser import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_anonymous_report_becomes_a_case_of_the_right_commune(live_server, browser):  # noqa: F811
    call_command("seed_demo", province="48", stdout=open(os.devnull, "w"))
    from apps.accounts.models import User
    from apps.orgunits.models import OrgUnit
    from apps.retention.models import HotlineReport

    context = browser.new_context(viewport={"width": 360, "height": 780})
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    errors, problems = watch(page), []
    page.goto(f"{live_server.url}/retention/hotline/")
    page.fill("#id_child_text", "Em Y Tin, khoảng 10 tuổi")
    page.fill("#id_age", "10")
    page.fill("#id_commune", "Xã Trà Linh, Đà Nẵng")
    page.fill("#id_hamlet_text", "Thôn 2")
    page.fill("#id_contact", "0905 000 111")
    page.click("button[type=submit]")
    code = page.inner_text("#reference-code").strip()
    assert re.fullmatch(r"[A-Z0-9]{10}", code)
    fits(page, problems)
    page.click("text=Tra cứu tình trạng tin báo")
    assert page.inner_text("#report-status") == "Đã tiếp nhận"
    body = page.inner_text("main") if page.query_selector("main") else page.inner_text("body")
    assert "Y Tin" not in body and "0905" not in body and "Thôn 2" not in body and "Trà Linh" not in body
    fits(page, problems)
    report = HotlineReport.objects.get(code=code)
    assert report.commune == OrgUnit.objects.current().get(level=3, code="20950")

    officer = User.objects.get(username="xa.tralinh")
    officer.set_password(PASSWORD)
    officer.save()
    staff = browser.new_context(viewport={"width": 360, "height": 780})
    staff.add_init_script(CSP_WATCH)
    desk = staff.new_page()
    errors += watch(desk)
    sign_in(desk, live_server.url, "xa.tralinh")
    desk.goto(f"{live_server.url}/retention/hotline/reports/")
    desk.click(f"text={code}")
    assert "0905 000 111" in desk.inner_text("body")  # the handling officer sees the contact
    desk.click("text=Nhận thành hồ sơ vận động")
    assert "/retention/cases/" in desk.url
    fits(desk, problems)
    report.refresh_from_db()
    assert report.case.commune == report.commune and report.case.source == "hotline"
    page.goto(f"{live_server.url}/retention/hotline/status/?code={code}")
    assert page.inner_text("#report-status") == "Đang xử lý"
    assert errors == [] and problems == []
