"""The funds' flows in Debian's Chromium (Playwright): a forbidden payout refused with the rule quoted, the pages
at a phone's width, the public page without signing in; no script error or CSP violation anywhere."""

import os

import pytest
from django.core.management import call_command

from tests.test_browser import ARGS, CHROMIUM, PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(monkeypatch):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is needed for the browser tests: apt-get install chromium ({CHROMIUM} missing)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def principal(live_server):
    # A transactional test starts from whatever the session loaded and flushes at the end: seed again if needed.
    call_command("seed_demo", province="48", stdout=open(os.devnull, "w"))
    from apps.accounts.models import User

    user = User.objects.get(username="hieutruong.tranam")
    user.set_password(PASSWORD)
    user.save()
    return user


def watch(page) -> list:
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def test_a_forbidden_payout_is_refused_in_the_browser_with_the_rule_quoted(live_server, browser, principal):
    from apps.funds.models import Fund

    fund = Fund.objects.get(code="CSVC-TRANAM")
    before = fund.payouts.count()
    page = browser.new_page()
    errors = watch(page)
    sign_in(page, live_server.url, "hieutruong.tranam")
    page.goto(f"{live_server.url}/funds/{fund.pk}/")
    page.get_by_text("Ghi khoản chi", exact=True).first.click()
    form = page.locator("#payout form")
    form.get_by_label("Mục đích chi").select_option(label="Bảo vệ trường")
    form.get_by_label("Đối tượng nhận").select_option(label="Hạng mục, hoạt động")
    form.get_by_label("Số tiền (đồng)").fill("500.000")
    form.get_by_role("button", name="Ghi khoản chi").click()
    page.wait_for_selector("#payout .errorlist")
    message = page.locator("#payout .errorlist").first.inner_text()
    assert "Không được chi “Bảo vệ trường” từ quỹ này." in message
    assert "Thông tư 16/2018/TT-BGDĐT" in message and "bảo vệ trường" in message
    assert page.locator("#payout").get_attribute("open") is not None  # the form stays open on its error
    assert fund.payouts.count() == before
    # The refusal answers 400 like every refused form of the site (Chromium logs that status); nothing else.
    assert [e for e in errors if "status of 400" not in e] == [], errors


def test_the_funds_pages_fit_a_360px_phone_and_the_public_page_needs_no_sign_in(live_server, browser, principal):
    from apps.funds.models import Fund
    from apps.schools.models import School

    fund = Fund.objects.get(code="CSVC-TRANAM")
    school = School.objects.get(moet_code="48095002")
    page = browser.new_page(viewport={"width": 360, "height": 740})
    errors = watch(page)
    page.goto(f"{live_server.url}/funds/public/school/{school.pk}/")
    assert "Quỹ hỗ trợ xây dựng cơ sở vật chất Trường PTDTBT TH Trà Nam" in page.content()
    widths = {"public": page.evaluate("document.documentElement.scrollWidth")}
    sign_in(page, live_server.url, "hieutruong.tranam")
    for path in (
        "/",
        "/funds/",
        f"/funds/{fund.pk}/",
        "/funds/donations/",
        "/funds/payouts/",
        "/funds/pledges/",
        "/funds/plans/",
        "/funds/donors/",
    ):
        page.goto(f"{live_server.url}{path}")
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
    assert {path: w for path, w in widths.items() if w > 360} == {}
    assert errors == [], errors
