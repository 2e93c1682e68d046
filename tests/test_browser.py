"""Flows a person clicks through, in Debian's Chromium driven by Playwright (no browser download)."""

import os
import shutil

import pytest
from django.core.management import call_command

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "mat-khau-trinh-duyet-2025"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(monkeypatch):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is needed for the browser tests: apt-get install chromium ({CHROMIUM} missing)")
    # Playwright's event loop runs in this thread; the test still reads the database in it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def commune_officer(live_server):
    # A transactional test starts from whatever the session loaded and flushes at the end: seed again if needed.
    call_command("seed_demo", province="48", stdout=open(os.devnull, "w"))
    from apps.accounts.models import User

    user = User.objects.get(username="xa.tralinh")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base_url}/")


def test_commune_officer_browses_the_tree_and_a_school_and_sees_only_their_commune(
    live_server, browser, commune_officer
):
    page = browser.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sign_in(page, live_server.url, "xa.tralinh")
    assert "Xin chào, Hồ Văn Thanh" in page.content()

    page.get_by_role("link", name="Đơn vị hành chính").first.click()
    page.wait_for_url(f"{live_server.url}/units/")
    tree = page.locator(".tree")
    assert tree.locator("summary").count() == 1
    assert "Xã Trà Linh" in tree.inner_text() and "Hải Châu" not in tree.inner_text()

    # Expanding the commune loads its hamlets through htmx.
    tree.locator(".toggle").first.click()
    page.wait_for_selector(".tree .children summary")
    hamlets = tree.locator(".children summary").all_inner_texts()
    assert any("Thôn 1 (xã Trà Nam cũ)" in h for h in hamlets)

    page.get_by_role("link", name="Trường học").first.click()
    rows = page.locator("#results tbody tr")
    names = rows.all_inner_texts()
    assert len(names) == 4 and all("Xã Trà Linh" in row for row in names)
    page.get_by_role("link", name="Trường PTDTBT Tiểu học Trà Nam").click()
    assert page.locator("h1").inner_text() == "Trường PTDTBT Tiểu học Trà Nam"
    assert "Điểm Thôn 2" in page.content() and "Xã Trà Linh" in page.content()

    assert errors == [], errors  # no CSP violations or script errors

    # Another commune's school answers "not found", not its page.
    from apps.schools.models import School

    other = School.objects.get(moet_code="48010002")
    response = page.goto(f"{live_server.url}/schools/{other.pk}/")
    assert response.status == 404 and "Không tìm thấy" in page.content()


def test_commune_officer_adds_a_hamlet_without_leaving_the_page(live_server, browser, commune_officer):
    from apps.orgunits.models import OrgUnit

    commune = OrgUnit.objects.current().get(level=3, code="20950")
    page = browser.new_page()
    sign_in(page, live_server.url, "xa.tralinh")
    page.goto(f"{live_server.url}/units/{commune.pk}/")
    page.get_by_label("Tên thôn").fill("Thôn Long Viên")
    page.get_by_role("button", name="Thêm thôn").click()  # an htmx POST carrying the CSRF token
    page.wait_for_selector("#hamlet-form a:has-text('Thôn Long Viên')")
    assert page.url == f"{live_server.url}/units/{commune.pk}/"
    assert OrgUnit.objects.current().filter(parent=commune, name="Thôn Long Viên").exists()
    page.get_by_label("Tên thôn").fill("Thôn Long Viên")
    page.get_by_role("button", name="Thêm thôn").click()
    page.wait_for_selector("#hamlet-form .errorlist")
    assert "đã có thôn" in page.locator("#hamlet-form").inner_text()


def test_pages_fit_a_360px_phone(live_server, browser, commune_officer):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    sign_in(page, live_server.url, "xa.tralinh")
    for path in ("/", "/units/", "/schools/"):
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide"


def test_commune_officer_filters_students_by_school_then_class(live_server, browser, commune_officer):
    from playwright.sync_api import expect

    from apps.students.models import ClassGroup, Enrolment

    school = "Trường PTDTBT Tiểu học Trà Nam"
    in_school = Enrolment.objects.filter(school__name=school).count()
    in_class = Enrolment.objects.filter(school__name=school, class_group__name="2A").count()
    page = browser.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sign_in(page, live_server.url, "xa.tralinh")
    page.goto(f"{live_server.url}/students/")
    classes, rows = page.locator("select[name=class_group] option"), page.locator("#results tbody tr")
    expect(page.locator("select[name=class_group] optgroup")).to_have_count(4)  # the commune's four schools

    # Choosing a school narrows the class options, then the list follows.
    page.locator("select[name=school]").select_option(label=school)
    expect(classes).to_have_count(ClassGroup.objects.filter(school__name=school).count() + 1)
    expect(page.locator("#results .list-summary")).to_contain_text(f"{in_school} hồ sơ")

    page.locator("select[name=class_group]").select_option(label="2A")
    expect(page.locator("#results .list-summary")).to_contain_text(f"{in_class} hồ sơ")
    assert all("2A" in row for row in rows.all_inner_texts()) and "class_group=" in page.url

    # Another school: the class chosen before is dropped rather than emptying the list with an error.
    page.locator("select[name=school]").select_option(label="Trường Mẫu giáo Trà Linh")
    expect(page.locator("select[name=class_group] optgroup")).to_have_attribute(
        "label", "Trường Mẫu giáo Trà Linh (2025-2026)"
    )
    expect(rows.first).to_contain_text("Trường Mẫu giáo Trà Linh")
    expect(page.locator("select[name=class_group]")).to_have_value("")
    assert page.locator("#results .errorlist").count() == 0
    assert errors == [], errors


def test_commune_officer_imports_a_roster_fixing_a_column_in_the_preview(live_server, browser, commune_officer):
    from apps.students.models import Child

    page = browser.new_page()
    sign_in(page, live_server.url, "xa.tralinh")
    page.goto(f"{live_server.url}/imports/new/students.roster/")
    page.get_by_label("Trường").select_option(label="Trường PTDTBT Tiểu học Trà Nam")
    page.get_by_label("Năm học").select_option(label="2025-2026")
    roster = "STT,Mã học sinh,Họ và tên,Năm sinh,Giới tính,Lớp\n1,4800055555,Trình Duyệt Văn Nhập,2018,Nam,2B\n"
    page.get_by_label("Tệp danh sách học sinh (.xlsx, .xls, .ods, .csv)").set_input_files(
        files=[{"name": "ds.csv", "mimeType": "text/csv", "buffer": roster.encode()}]
    )
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.get_by_role("button", name="Xác nhận nhập").wait_for()
    # "Mã học sinh" was read as the school's own code; this school exports the sector database's learner ID there.
    page.get_by_text("Các cột của tệp").click()
    page.get_by_label("Cột Mã học sinh đọc là").select_option(label="Mã định danh CSDL ngành")
    page.get_by_role("button", name="Kiểm tra lại với các lựa chọn này").click()
    page.get_by_role("button", name="Xác nhận nhập").wait_for()
    page.get_by_role("button", name="Xác nhận nhập").click()
    page.get_by_text("Đã thêm 1 trẻ").wait_for()
    assert Child.objects.get(name_folded="trinh duyet van nhap").learner_id == "4800055555"


def test_commune_officer_chooses_the_school_on_the_preview_of_a_file_that_names_none(
    live_server, browser, commune_officer
):
    from apps.students.models import Child

    page = browser.new_page(viewport={"width": 360, "height": 800})
    sign_in(page, live_server.url, "xa.tralinh")
    page.goto(f"{live_server.url}/imports/new/students.roster/")
    page.get_by_label("Năm học").select_option(label="2025-2026")
    roster = "STT,Họ và tên,Năm sinh,Giới tính,Lớp\n1,Trình Duyệt Chọn Trường,2018,Nam,2B\n"
    page.get_by_label("Tệp danh sách học sinh (.xlsx, .xls, .ods, .csv)").set_input_files(
        files=[{"name": "ds.csv", "mimeType": "text/csv", "buffer": roster.encode()}]
    )
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.get_by_label("Trường nhập vào").select_option(label="Trường PTDTBT Tiểu học Trà Nam")
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], "choose-school-360.png"), full_page=True)
    page.get_by_role("button", name="Kiểm tra lại với các lựa chọn này").click()
    page.get_by_role("button", name="Xác nhận nhập").wait_for()
    page.get_by_role("button", name="Xác nhận nhập").click()
    page.get_by_text("Đã thêm 1 trẻ").wait_for()
    child = Child.objects.get(name_folded="trinh duyet chon truong")
    assert child.enrolments.get().school.name == "Trường PTDTBT Tiểu học Trà Nam"
