"""Every page of every menu (and of the header and footer), as every member of the cast, in Chromium at a
desktop's and a phone's width: no console error, no Content Security Policy violation, no page wider than the
screen. The pages come from the registry (`apps.core.sections.menu_for`), so the sections other apps add join the
walk without editing it; from each list the walk also opens the first row's link (a child's, a school's, an
import's, a user's page).

Then what a phone needs: the menu button, the folding filter panel of the student list, and the census year."""

import os
import time
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.test_browser import ARGS, CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-trinh-duyet-2025"
CAST = [  # the demo cast (conftest.Cast), one account per role
    "admin",
    "so.gddt",
    "xa.tralinh",
    "phuong.haichau",
    "hieutruong.tranam",
    "giaovien.tranam",
    "giaovien.phudong",
    "khuyenhoc.tralinh",
]
WIDTHS = (1280, 360)
# Watches for what the browser refuses under the site's CSP (also reported on the console, but an event is certain).
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = e.sourceFile + ":" + e.lineNumber;
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " at " + where);
});
"""
OVERFLOW = "document.scrollingElement.scrollWidth - window.innerWidth"
# What the header and footer offer besides the menu: the bell, password change, API tokens and docs.
FRAME_LINKS = """
() => [...document.querySelectorAll("header a[href^='/'], footer a[href^='/']")].map((a) => a.getAttribute("href"))
"""
# The first row's link of a list (tables of results), if any: a detail page to walk too.
FIRST_ROW_LINK = """
() => {
  const link = document.querySelector("main table tbody tr td:first-child a[href^='/']");
  return link ? link.getAttribute("href") : null;
}
"""


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
def cast_accounts(live_server):
    """The demo cast with a known password (a transactional test starts from a flushed database: seed again)."""
    call_command("seed_demo", province="48", stdout=open(os.devnull, "w"))
    from apps.accounts.models import User

    users = {u.username: u for u in User.objects.filter(username__in=CAST)}
    assert set(users) == set(CAST)
    for user in users.values():
        user.set_password(PASSWORD)
        user.save()
    return users


def signed_in(browser, base_url, username, width=1280):
    """A context of its own for one person (its cookies are their session), with the CSP watch installed."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.goto(f"{base_url}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base_url}/")
    return context, page


def menu_paths(user) -> list[str]:
    from apps.core import sections

    return ["/"] + [reverse(entry.url_name) for entry in sections.menu_for(user)]


def check_page(page, base_url, path, width, problems, console) -> str | None:
    """Open `path`, note what is wrong with it, and return the first row's link of its list (if any)."""
    for message in console:  # what arrived after the previous page was checked is not lost
        problems.append(f"before {path} @{width}px (the page before): console: {message}")
    console.clear()
    response = page.goto(f"{base_url}{path}")
    page.wait_for_load_state("load")
    # What htmx loads on arrival (a tree's branches, an import's progress) is part of the page.
    page.wait_for_function("!document.querySelector('.htmx-request')")
    where = f"{path} @{width}px"
    if response is None or response.status != 200:
        problems.append(f"{where}: HTTP {response.status if response else '—'}")
    for message in console:
        problems.append(f"{where}: console: {message}")
    console.clear()
    for violation in page.evaluate("window.__csp || []"):
        problems.append(f"{where}: CSP: {violation}")
    overflow = page.evaluate(OVERFLOW)
    if overflow > 0:
        problems.append(f"{where}: {overflow}px wider than the screen")
    return page.evaluate(FIRST_ROW_LINK)


def test_every_menu_page_of_every_role_at_desktop_and_phone_width(live_server, browser, cast_accounts):
    started, checked, problems = time.monotonic(), set(), []
    for username in CAST:
        user = cast_accounts[username]
        context, page = signed_in(browser, live_server.url, username)
        console = []
        page.on("console", lambda msg, console=console: console.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc, console=console: console.append(str(exc)))
        paths = menu_paths(user)
        assert len(paths) > 1, f"{username} has no menu"
        paths += [p for p in dict.fromkeys(page.evaluate(FRAME_LINKS)) if urlsplit(p).path not in paths]
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            details = []
            for path in paths:
                link = check_page(page, live_server.url, path, width, problems, console)
                checked.add((username, path))
                if link and urlsplit(link).path not in paths:
                    details.append(link)
            for link in dict.fromkeys(details):
                check_page(page, live_server.url, link, width, problems, console)
                checked.add((username, urlsplit(link).path))
        context.close()
    # And what a visitor who is not signed in reaches: the sign-in page and a page that does not exist.
    context = browser.new_context()
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    console = []
    page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        check_page(page, live_server.url, "/login/", width, problems, console)
        page.goto(f"{live_server.url}/khong-co-trang-nay/")
        assert "Không tìm thấy" in page.content() and page.evaluate(OVERFLOW) <= 0
        assert page.evaluate("window.__csp") == []
        assert console == ["Failed to load resource: the server responded with a status of 404 (Not Found)"]
        console.clear()
    context.close()
    roles, pages = len(CAST), len({path for _u, path in checked})
    print(
        f"\nbrowser walk: {len(checked)} role × page pairs ({pages} distinct pages × {roles} roles) "
        f"at {' and '.join(f'{w}px' for w in WIDTHS)} in {time.monotonic() - started:.1f}s"
    )
    assert problems == [], "\n".join(problems)
    assert any(path.startswith("/students/children/") for _u, path in checked)  # the walk reached a child's page


def test_the_menu_button_opens_the_menu_at_phone_width(live_server, browser, cast_accounts):
    context, page = signed_in(browser, live_server.url, "xa.tralinh", width=360)
    menu, button = page.locator("#site-menu"), page.get_by_role("button", name="Menu")
    assert button.is_visible() and not menu.is_visible()
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    assert menu.is_visible() and button.get_attribute("aria-expanded") == "true"
    menu.get_by_role("link", name="Học sinh", exact=True).click()
    page.wait_for_url(f"{live_server.url}/students/")
    assert not page.locator("#site-menu").is_visible()  # a new page starts with it folded
    page.keyboard.press("Escape")
    # At a desktop's width there is no button: the menu is always there.
    page.set_viewport_size({"width": 1280, "height": 800})
    assert not page.get_by_role("button", name="Menu").is_visible() and page.locator("#site-menu").is_visible()
    context.close()


def test_the_student_list_starts_near_the_top_and_its_filter_panel_filters_at_360px(
    live_server, browser, cast_accounts
):
    from playwright.sync_api import expect

    from apps.students.models import Enrolment

    school = "Trường PTDTBT Tiểu học Trà Nam"
    context, page = signed_in(browser, live_server.url, "xa.tralinh", width=360)
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/students/")
    table = page.locator("#results table")
    assert table.bounding_box()["y"] < 500, "the list should start within the first screen, not below its filters"
    panel = page.locator("details.filter-panel")
    assert panel.get_attribute("open") is None and not page.locator("select[name=school]").is_visible()
    panel.locator("summary").click()
    page.locator("select[name=school]").select_option(label=school)
    summary = page.locator("#results .list-summary")
    in_school = Enrolment.objects.filter(school__name=school).count()
    expect(summary).to_contain_text(f"{in_school} hồ sơ")
    expect(summary).to_contain_text(f"Trường: {school}")
    # Each row is a card at this width: the cells carry their labels, and the page is no wider than the phone.
    first = page.locator("#results tbody tr").first
    assert first.locator("td[data-label='Trường']").inner_text() == school
    assert page.evaluate(OVERFLOW) <= 0
    # The chip's × drops the filter.
    summary.get_by_role("link", name="Bỏ lọc Trường").click()
    expect(page.locator("#results .list-summary")).not_to_contain_text("Trường:")
    assert errors == [], errors
    context.close()


def test_a_wide_table_keeps_its_first_column_in_view_while_it_scrolls_sideways(live_server, browser, cast_accounts):
    # Between a phone's card rows (up to 640 px) and a desktop, the student list's table is wider than the screen.
    context, page = signed_in(browser, live_server.url, "xa.tralinh", width=700)
    page.goto(f"{live_server.url}/students/")
    wrap = page.locator("#results .table-wrap")
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth"), "the table should be wider than the screen here"
    name = page.locator("#results tbody tr").first.locator("td").first
    second = page.locator("#results tbody tr").first.locator("td").nth(1)
    left, second_left = name.bounding_box()["x"], second.bounding_box()["x"]
    wrap.evaluate("w => { w.scrollLeft = 200; }")
    page.wait_for_function("document.querySelector('#results .table-wrap').scrollLeft > 0")
    assert abs(name.bounding_box()["x"] - left) < 1  # the name stays where it was
    assert second.bounding_box()["x"] < second_left - 100  # the rest moved
    assert page.evaluate(OVERFLOW) <= 0  # the table scrolls, not the page
    context.close()


def test_the_census_year_can_be_changed(live_server, browser, cast_accounts):
    from apps.schools.models import SchoolYear

    years = list(SchoolYear.objects.filter(province__code="48").order_by("start_year"))
    assert len(years) >= 2
    context, page = signed_in(browser, live_server.url, "xa.tralinh")
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/students/census/")
    select = page.locator("select[name=year]")
    other = next(y for y in years if str(y.pk) != select.input_value())
    with page.expect_navigation():
        select.select_option(label=other.name)  # no button pressed: choosing the year is enough
    assert f"year={other.pk}" in page.url
    assert page.locator("select[name=year]").input_value() == str(other.pk)
    hamlet = page.locator("main table tbody a").first
    assert f"year={other.pk}" in hamlet.get_attribute("href")
    assert page.evaluate("window.__csp") == [] and errors == [], errors
    context.close()


@pytest.mark.skipif(not os.environ.get("SCREENSHOTS"), reason="set SCREENSHOTS=folder to take the phone screenshots")
def test_phone_screenshots(live_server, browser, cast_accounts):
    """SCREENSHOTS=var/screens: the home page, the student list (its filter panel folded, then open) and a child's
    page at 360 px, as the commune officer, to look at."""
    folder = os.environ["SCREENSHOTS"]
    os.makedirs(folder, exist_ok=True)
    context, page = signed_in(browser, live_server.url, "xa.tralinh", width=360)
    page.screenshot(path=os.path.join(folder, "home-360.png"), full_page=True)
    page.get_by_role("button", name="Menu").click()
    page.screenshot(path=os.path.join(folder, "menu-open-360.png"))
    page.goto(f"{live_server.url}/students/")
    page.screenshot(path=os.path.join(folder, "students-360.png"))
    page.locator("details.filter-panel summary").click()
    page.set_viewport_size({"width": 360, "height": 1400})
    page.screenshot(path=os.path.join(folder, "students-filters-360.png"))
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/students/")
    child = page.locator("#results tbody tr td:first-child a").first.get_attribute("href")
    page.goto(f"{live_server.url}{child}")
    page.screenshot(path=os.path.join(folder, "child-360.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/students/")
    page.screenshot(path=os.path.join(folder, "students-1280.png"))
    context.close()
