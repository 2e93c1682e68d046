"""The retention flow in Debian's Chromium at a phone's width (360 px): a homeroom teacher records absences in the
month grid, sees the student turn high-risk with the reason in words, logs a home visit from the overdue list, and
the student leaves it; a visit whose first send lost its connection is kept and sent again, once. No script error,
no CSP violation, no page wider than the screen."""

import os

import pytest
from django.core.management import call_command

from tests.test_browser import ARGS, CHROMIUM, PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSP_WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""
OVERFLOW = "document.scrollingElement.scrollWidth - window.innerWidth"


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
def pupil(live_server):
    """Teacher A (homeroom teacher of 1A) with a known password, and a pupil of 1A who is an orphan and nothing
    else that weighs (living outside the ĐBKK commune)."""
    call_command("seed_demo", province="48", stdout=open(os.devnull, "w"))
    from apps.accounts.models import User
    from apps.orgunits.models import OrgUnit
    from apps.students.models import Enrolment

    teacher = User.objects.get(username="giaovien.tranam")
    teacher.set_password(PASSWORD)
    teacher.save()
    enrolment = (
        Enrolment.objects.filter(
            class_group__name="1A", school__moet_code="48095002", year__start_year=2025, ongoing=True
        )
        .select_related("child", "class_group")
        .order_by("pk")
        .first()
    )
    child = enrolment.child
    for flag in ("poor", "near_poor", "disability", "remote_area"):
        setattr(child, flag, False)
    child.orphan, child.birth_year, child.hamlet = True, 2019, None
    child.commune = OrgUnit.objects.current().get(level=3, code="20242")
    child.save()
    return enrolment


def watch(page) -> list:
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def fits(page, problems):
    if (over := page.evaluate(OVERFLOW)) > 0:
        problems.append(f"{page.url}: {over}px wider than the screen")
    problems.extend(page.evaluate("window.__csp || []"))


def test_a_teacher_records_absences_sees_the_risk_logs_a_visit_and_the_student_leaves_the_overdue_list(
    live_server, browser, pupil
):
    from playwright.sync_api import expect

    from apps.retention.models import HomeVisit

    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    errors, problems = watch(page), []
    sign_in(page, live_server.url, "giaovien.tranam")
    name = pupil.child.full_name

    # The class's register: the year is over, so the grid opens on its last month (June 2026).
    page.goto(f"{live_server.url}/students/classes/")
    page.get_by_role("link", name="Điểm danh").first.click()
    page.wait_for_selector(".absence-grid")
    assert "tháng 06/2026" in page.locator("h1").inner_text()
    fits(page, problems)
    for count, day in enumerate((22, 23, 24, 25, 26, 27), 1):  # Monday to Saturday, without leave
        page.locator(f'select[name="m-{pupil.pk}-2026-06-{day}"]').select_option("K")
        # The cell as the server saved it, then the row's total.
        page.wait_for_selector(f'td.mark-k select[name="m-{pupil.pk}-2026-06-{day}"]')
        expect(page.locator(f"#unexcused-{pupil.pk}")).to_have_text(str(count))
    assert page.locator(f"#row-{pupil.pk} td.total").nth(1).inner_text() == "6"

    # The list of students at risk: high, with the reasons in words.
    page.goto(f"{live_server.url}/retention/")
    row = page.locator("tbody tr", has_text=name)
    assert "Cao" in row.inner_text()
    assert "vắng 6 ngày không phép trong 30 ngày qua" in row.inner_text() and "mồ côi" in row.inner_text()
    fits(page, problems)

    # First on the home page: the overdue visits; the visit is logged from there.
    page.goto(f"{live_server.url}/")
    tile = page.locator("article", has_text="Cần thăm hỏi gia đình").first
    assert name in tile.inner_text()
    tile.locator("li", has_text=name).get_by_role("link", name="Ghi thăm").click()
    page.wait_for_selector("form.visit-form")
    fits(page, problems)
    page.locator("#id_on").fill("2026-06-29")
    page.get_by_label("Gặp ai").fill("Bà ngoại")
    page.get_by_label("Tình hình gia đình").fill("Em phải trông em nhỏ khi bà lên nương")
    page.get_by_label("Việc đã thống nhất").fill("Bà đưa em đến trường mỗi sáng")
    page.get_by_role("button", name="Lưu lần thăm").click()
    page.wait_for_url(f"{live_server.url}/students/children/{pupil.child_id}/")
    assert "Em phải trông em nhỏ khi bà lên nương" in page.content()
    fits(page, problems)

    page.goto(f"{live_server.url}/")
    assert name not in page.locator("article", has_text="Cần thăm hỏi gia đình").first.inner_text()
    assert HomeVisit.objects.filter(enrolment=pupil).count() == 1
    assert problems == [] and errors == [], (problems, errors)
    context.close()


def test_a_visit_sent_without_a_connection_is_kept_and_sent_again_once(live_server, browser, pupil):
    from apps.retention.models import HomeVisit

    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, live_server.url, "giaovien.tranam")
    page.goto(f"{live_server.url}/retention/enrolments/{pupil.pk}/visit/")
    page.locator("#id_on").fill("2026-06-29")
    page.get_by_label("Gặp ai").fill("Mẹ")
    page.get_by_label("Tình hình gia đình").fill("Mẹ ốm, em nghỉ để chăm mẹ")
    context.set_offline(True)
    page.get_by_role("button", name="Lưu lần thăm").click()
    page.wait_for_function("document.getElementById('visit-status').textContent.startsWith('Mất kết nối')")
    assert HomeVisit.objects.filter(enrolment=pupil).count() == 0
    context.set_offline(False)  # the browser's "online" event sends it again
    page.wait_for_url(f"{live_server.url}/students/children/{pupil.child_id}/")
    assert "Mẹ ốm, em nghỉ để chăm mẹ" in page.content()
    # A second tap before the answer, or a resend of the same form, still makes one visit.
    assert HomeVisit.objects.filter(enrolment=pupil).count() == 1
    context.close()


def test_a_second_day_marked_before_the_first_day_s_answer_is_back_stays_marked(live_server, browser, pupil):
    """On a slow connection the teacher marks the next day before the first cell's answer is back. Each answer
    replaces only its own cell and a row's sends go in turn, so both days stay marked and the total is 2 (when the
    answer was the whole row, the late first answer wiped the second day from the screen)."""
    from playwright.sync_api import expect

    from apps.students.records import Absence

    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    errors = watch(page)
    sign_in(page, live_server.url, "giaovien.tranam")
    page.goto(f"{live_server.url}/students/classes/{pupil.class_group_id}/absences/?month=2026-06")
    held = []

    def hold_the_first_answer(route):
        if held:
            route.continue_()
        else:
            held.append((route, route.fetch()))  # saved by the server; its answer is kept back

    page.route("**/absences/cell/", hold_the_first_answer)
    first, second = (page.locator(f'select[name="m-{pupil.pk}-2026-06-{day}"]') for day in (22, 23))
    first.select_option("K")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    second.select_option("K")
    page.wait_for_timeout(500)  # time for a second send, were it not queued behind the first
    route, response = held[0]
    route.fulfill(response=response)
    expect(page.locator(f"#unexcused-{pupil.pk}")).to_have_text("2", timeout=10_000)
    page.wait_for_selector(f'td.mark-k select[name="m-{pupil.pk}-2026-06-23"]', timeout=10_000)
    assert first.input_value() == "K" and second.input_value() == "K"
    assert Absence.objects.filter(enrolment=pupil, excused=False).count() == 2
    assert errors == [], errors
    context.close()
