"""The indicator pages at a phone's width (360 px) in Debian's Chromium (Playwright): the unit and school figures,
universal education per commune and the province's roll-up, the snapshot and its amendment page — nothing wider
than the screen but the tables' own scrolling boxes, no script error or CSP violation."""

import datetime
import os

import pytest
from django.core.management import call_command

from tests.test_browser import ARGS, CHROMIUM, PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Anything sticking out of the page's width, except inside a table's scrolling box (a table of cards on a phone,
# `card-rows`, must fit too): [tag.class (left–right px)].
OVERFLOWING = """() => {
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest("thead") || (el.closest(".table-wrap") && !el.closest("table.card-rows"))) continue;
    const r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > window.innerWidth + 1 || r.left < -1)) {
      out.push(`${el.tagName.toLowerCase()}.${el.className} (${Math.round(r.left)}–${Math.round(r.right)})`);
    }
  }
  return out;
}"""


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
def demo(live_server):
    # A transactional test starts from whatever the session loaded and flushes at the end: seed again if needed.
    call_command("seed_demo", province="48", stdout=open(os.devnull, "w"))
    # The thresholds are a migration's data, which an earlier transactional test's flush took away.
    import importlib

    from django.apps import apps

    importlib.import_module("apps.indicators.migrations.0002_seed_thresholds").seed(apps, None)
    from apps.accounts.models import User
    from apps.indicators import snapshots
    from apps.schools.models import SchoolYear

    for username in ("xa.tralinh", "so.gddt"):
        user = User.objects.get(username=username)
        user.set_password(PASSWORD)
        user.save()
    officer = User.objects.get(username="so.gddt")
    year = SchoolYear.objects.get(province__code="48", start_year=2025)
    if not hasattr(year, "snapshot"):
        snapshots.snapshot_take(actor=officer, year=year, on=datetime.date(2025, 9, 22))
    return year


def check(page, url: str, errors: list) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{url} is {width}px wide: {page.evaluate(OVERFLOWING)}"
    assert page.evaluate(OVERFLOWING) == [], url
    if os.environ.get("SCREENSHOTS"):
        name = url.split("/indicators/")[-1].strip("/").replace("/", "-").replace("?", "-") or "index"
        page.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], f"indicators-{name}-360.png"), full_page=True)
    for table in page.locator("table.card-rows").all():  # cards on a phone: one cell under the other
        assert table.evaluate("t => t.getBoundingClientRect().width") <= 360, url
    assert errors == [], errors


def in_view(page, locator) -> bool:
    """The element lies within the phone's width (not scrolled off to the right of a table)."""
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360


def watch(page) -> list:
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def test_the_commune_officers_indicator_pages_fit_a_360px_phone(live_server, browser, demo):
    from apps.orgunits.models import OrgUnit
    from apps.schools.models import School

    commune = OrgUnit.objects.current().get(level=3, code="20950")
    school = School.objects.get(moet_code="48095002")
    page = browser.new_page(viewport={"width": 360, "height": 740})
    errors = watch(page)
    sign_in(page, live_server.url, "xa.tralinh")
    base = f"{live_server.url}/indicators"
    for path in (
        f"/units/{commune.pk}/?year=2025",
        f"/units/{commune.pk}/?year=2025&indicator=retention&by=sex",
        f"/schools/{school.pk}/?year=2025&on=2025-10-15",
        f"/universal/{commune.pk}/?year=2025",
        "/snapshots/",
        f"/snapshots/{demo.pk}/schools/{school.pk}/",
        f"/snapshots/{demo.pk}/amend/?school={school.pk}",
    ):
        check(page, base + path, errors)
        if path.startswith("/units/"):  # every figure of a commune and of its schools, readable without scrolling
            figures = page.locator("h2:has-text('Các chỉ số') + .table-wrap td[data-label]")
            assert figures.count() > 10 and all(in_view(page, f) for f in figures.all()[:12]), path
        if path.startswith("/universal/"):  # which criterion fails and by how many children
            short = page.get_by_text("thiếu", exact=False).locator("visible=true")
            assert short.count() and all(in_view(page, s) for s in short.all()), path
    # The amendment's two steps, on the phone.
    page.get_by_role("link", name="Chọn").first.click()
    page.get_by_label("Trường dữ liệu").select_option(label="Giới tính")
    with page.expect_navigation():  # the step is a GET of the same page: wait for it before reading it
        page.get_by_role("button", name="Tiếp").click()
    new_value = page.get_by_label("Giá trị mới")
    new_value.wait_for(state="visible")
    assert new_value.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert errors == [], errors


def test_the_province_pages_fit_a_360px_phone(live_server, browser, demo):
    from apps.orgunits.models import OrgUnit

    province = OrgUnit.objects.current().get(level=1, code="48")
    page = browser.new_page(viewport={"width": 360, "height": 740})
    errors = watch(page)
    sign_in(page, live_server.url, "so.gddt")
    for path in (f"/units/{province.pk}/?year=2025", f"/universal/{province.pk}/?year=2025", "/thresholds/"):
        if path == "/thresholds/":
            continue  # administrators only
        check(page, f"{live_server.url}/indicators{path}", errors)
