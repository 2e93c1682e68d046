"""A council rates indicators in Debian's Chromium (Playwright): on a verified test set, ticking the last missing
indicator of level 2 moves the school's derived level without reloading the page; on an unverified set the level
reads "chưa xác minh". No script error or CSP violation."""

import os

import pytest
from django.core.management import call_command

from tests.test_browser import ARGS, CHROMIUM, PASSWORD
from tests.test_browser_walk import WATCH_CSP

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


def session(browser, base_url, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
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


def test_ticking_the_last_missing_indicator_moves_the_derived_level(live_server, browser, principal):
    from playwright.sync_api import expect

    from apps.schools.models import School
    from apps.standards import services
    from apps.standards.models import Rating
    from apps.standards.tests.conftest import build_set, indicators, rate_all

    school = School.objects.get(moet_code="48095002")
    verified = build_set("test-browser")
    cycle = services.cycle_start(actor=principal, school=school, year=2031, criteria_set=verified)
    *rest, last = indicators(verified, upto=2)
    rate_all(principal, cycle, rest)
    context, page, errors = session(browser, live_server.url, "hieutruong.tranam")
    page.goto(f"{live_server.url}/standards/cycles/{cycle.pk}/")
    level = page.locator("#school-level")
    expect(level).to_have_text("Mức 1 · chưa đạt chuẩn quốc gia")
    page.locator(f'input[data-indicator="{last.pk}"]').check()
    expect(level).to_have_text("Mức 2 · chuẩn quốc gia mức độ 1")
    assert Rating.objects.get(cycle=cycle, indicator=last).met
    page.locator(f'input[data-indicator="{last.pk}"]').uncheck()  # and back
    expect(level).to_have_text("Mức 1 · chưa đạt chuẩn quốc gia")

    unverified = build_set("test-browser-draft", verified=False)
    other = services.cycle_start(actor=principal, school=school, year=2032, criteria_set=unverified)
    rate_all(principal, other, indicators(unverified))
    page.goto(f"{live_server.url}/standards/cycles/{other.pk}/")
    expect(page.locator("#school-level")).to_have_text("chưa xác minh")
    assert page.evaluate("window.__csp || []") == [] and errors == [], errors
    context.close()
