"""The annex's workflow in Debian's Chromium (Playwright): the principal registers and submits, the commune returns
it with a comment, the principal corrects and resubmits, the commune approves — each in their own session; the
dashboard's charts at a phone's width; no script error or CSP violation anywhere."""

import datetime
import os

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.test_browser import ARGS, CHROMIUM, PASSWORD
from tests.test_browser_walk import OVERFLOW, WATCH_CSP

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
def people(live_server):
    # A transactional test starts from whatever the session loaded and flushes at the end: seed again if needed.
    call_command("seed_demo", province="48", stdout=open(os.devnull, "w"))
    from apps.accounts.models import User

    users = {u.username: u for u in User.objects.filter(username__in=["hieutruong.tranam", "xa.tralinh"])}
    for user in users.values():
        user.set_password(PASSWORD)
        user.save()
    return users


@pytest.fixture
def open_year(people):
    """Xã Trà Linh has published seed 003's defaults for the school year under way, registration within ten days."""
    from apps.accounts.models import User
    from apps.orgunits.models import OrgUnit
    from apps.schools import services as schools
    from apps.schools.models import SchoolYear
    from apps.targets import services
    from apps.targets.tests.conftest import ROWS

    today = timezone.localdate()
    province = OrgUnit.objects.current().get(level=1, code="48")
    year = SchoolYear.objects.filter(province=province).containing(today).first()
    if year is None:
        start = today.year if today.month >= 7 else today.year - 1
        admin = User.objects.get(username="admin")
        year = schools.school_year_create(actor=admin, province=province, start_year=start)
    commune = OrgUnit.objects.current().get(level=3, code="20950")
    services.publication_publish(
        actor=people["xa.tralinh"],
        org_unit=commune,
        year=year,
        deadline=min(today + datetime.timedelta(days=10), year.ends_on),
        rows=ROWS,
    )
    return year


def session(browser, base_url, username, width=1280):
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{base_url}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base_url}/")
    return context, page, errors


def clean(page, errors):
    assert page.evaluate("window.__csp || []") == [] and errors == [], errors


def test_a_school_registers_is_returned_resubmits_and_is_approved(live_server, browser, people, open_year):
    from playwright.sync_api import expect

    from apps.targets.models import Annex, Target

    base = live_server.url
    principal_ctx, principal, principal_errors = session(browser, base, "hieutruong.tranam", width=360)
    principal.goto(f"{base}/targets/?year={open_year.start_year}")
    row = principal.locator("tr", has_text="Trường PTDTBT Tiểu học Trà Nam")
    row.get_by_role("button", name="Đăng ký chỉ tiêu").click()
    principal.wait_for_url(f"{base}/targets/annexes/*/")
    assert principal.evaluate(OVERFLOW) <= 0  # the annex fits a phone: its rows become cards
    # A target below the default without a justification is refused, and says which row.
    net = principal.get_by_label("Chỉ tiêu đăng ký (%) — Tỷ lệ huy động đúng độ tuổi Tiểu học")
    net.fill("98,5")
    principal.get_by_role("button", name="Lưu và gửi duyệt").click()
    expect(principal.locator(".flash")).to_contain_text("thấp hơn chỉ tiêu giao, cần giải trình")
    principal.get_by_label("Giải trình — Tỷ lệ huy động đúng độ tuổi Tiểu học").fill("Hai thôn ở xa điểm trường")
    principal.get_by_role("button", name="Lưu và gửi duyệt").click()
    expect(principal.locator("main")).to_contain_text("Đã gửi, chờ duyệt")
    annex = Annex.objects.get(school__moet_code="48095002", year=open_year)
    assert annex.status == Annex.Status.SUBMITTED
    clean(principal, principal_errors)

    officer_ctx, officer, officer_errors = session(browser, base, "xa.tralinh")
    officer.goto(f"{base}/targets/?year={open_year.start_year}")
    officer.get_by_role("link", name="Trường PTDTBT Tiểu học Trà Nam").first.click()
    officer.wait_for_url(f"{base}/targets/annexes/{annex.pk}/")
    officer.get_by_label("Ý kiến trả lại").fill("Đề nghị rà soát số trẻ 6 tuổi ở Thôn 3.")
    officer.get_by_role("button", name="Trả lại").click()
    expect(officer.locator("main")).to_contain_text("Trả lại để sửa")
    clean(officer, officer_errors)

    principal.goto(f"{base}/targets/annexes/{annex.pk}/")
    expect(principal.locator(".return-comment")).to_have_text("Đề nghị rà soát số trẻ 6 tuổi ở Thôn 3.")
    net = principal.get_by_label("Chỉ tiêu đăng ký (%) — Tỷ lệ huy động đúng độ tuổi Tiểu học")
    net.fill("99")
    principal.get_by_role("button", name="Lưu và gửi duyệt").click()
    expect(principal.locator("main")).to_contain_text("Đã gửi, chờ duyệt")
    assert "Duyệt phụ lục" not in principal.content()  # a principal never approves their own annex
    clean(principal, principal_errors)

    officer.goto(f"{base}/targets/annexes/{annex.pk}/")
    officer.get_by_role("button", name="Duyệt", exact=True).click()
    expect(officer.locator("main")).to_contain_text("Đã duyệt")
    clean(officer, officer_errors)

    annex.refresh_from_db()
    assert annex.status == Annex.Status.APPROVED
    target = Target.objects.get(school=annex.school, year=open_year, indicator="enrol_net")
    assert str(target.value) == "99.000"
    principal.goto(f"{base}/")  # the principal's bell tells them
    assert "đã được duyệt" in principal.goto(f"{base}/notifications/").text()
    principal_ctx.close()
    officer_ctx.close()


def test_the_publish_late_and_index_pages_fit_a_phone_without_csp_violations(live_server, browser, people):
    from apps.orgunits.models import OrgUnit

    commune = OrgUnit.objects.current().get(level=3, code="20950")
    base = live_server.url
    context, page, errors = session(browser, base, "xa.tralinh", width=360)
    for path in (f"/targets/units/{commune.pk}/publish/?year=2025", "/targets/late/?year=2025", "/targets/?year=2025"):
        response = page.goto(f"{base}{path}")
        assert response.status == 200, path
        assert page.evaluate(OVERFLOW) <= 0, path
    page.goto(f"{base}/targets/late/?year=2025")
    assert "Trường PTDTBT Tiểu học Trà Nam" in page.locator("main").inner_text()
    clean(page, errors)
    context.close()


def test_the_dashboard_and_its_charts_fit_a_phone(live_server, browser, people):
    base = live_server.url
    context, page, errors = session(browser, base, "xa.tralinh", width=360)
    tile = page.locator("article.dashboard")
    assert tile.locator("svg").count() >= 2
    assert page.evaluate(OVERFLOW) <= 0
    for svg in tile.locator("svg").all():
        assert svg.bounding_box()["width"] <= 360
        assert svg.get_attribute("style") is None
    assert "thiếu" in tile.inner_text()
    clean(page, errors)
    context.close()
