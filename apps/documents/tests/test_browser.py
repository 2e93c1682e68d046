"""In the browser (Playwright driving Debian's Chromium), under the site's CSP: a principal opens the school's
issuing body, issues a plan, finds it in the register and downloads the Word file; the register fits a phone."""

import io

import pytest
from docx import Document as open_docx

from tests.test_browser_walk import browser, cast_accounts, check_page, signed_in  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_principal_issues_a_plan_and_downloads_it(live_server, browser, cast_accounts):  # noqa: F811
    from apps.documents.models import IssuingBody

    context, page = signed_in(browser, live_server.url, "hieutruong.tranam")
    problems, console = [], []
    page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    check_page(page, live_server.url, "/documents/", 1280, problems, console)
    page.get_by_role("link", name="Lập cơ quan ban hành").click()
    page.get_by_label("Tên cơ quan ban hành").fill("Trường PTDTBT Tiểu học Trà Nam")
    page.get_by_label("Cơ quan chủ quản").fill("UBND xã Trà Linh")
    page.get_by_label("Chữ viết tắt").fill("THTN")
    page.get_by_label("Địa danh").fill("Trà Linh")
    page.get_by_role("button", name="Lập cơ quan ban hành").click()
    body = IssuingBody.objects.get(abbreviation="THTN")
    page.wait_for_url(f"{live_server.url}/documents/bodies/{body.pk}/")
    page.get_by_role("link", name="Ban hành văn bản").click()
    page.get_by_label("Loại văn bản").select_option("ke_hoach")
    page.get_by_label("Trích yếu").fill("Huy động trẻ ra lớp năm học 2025-2026")
    page.get_by_label("Ngày ban hành").fill("05/09/2025")
    page.get_by_label("Nội dung").fill("Huy động 100% trẻ 6 tuổi vào lớp 1.")
    page.get_by_label("Họ tên người ký").fill("Trần Văn Bình")
    page.get_by_role("button", name="Ban hành", exact=True).click()
    page.wait_for_url(f"{live_server.url}/documents/bodies/{body.pk}/")
    assert "01/KH-THTN" in page.locator("main table").inner_text()
    with page.expect_download() as caught:
        page.get_by_role("link", name=".docx").click()
    download = caught.value
    assert download.suggested_filename == "01-KH-THTN.docx"
    doc = open_docx(io.BytesIO(open(download.path(), "rb").read()))
    assert "Số: 01/KH-THTN" in [p.text for p in doc.tables[0].rows[0].cells[0].paragraphs]
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 800})
        check_page(page, live_server.url, f"/documents/bodies/{body.pk}/", width, problems, console)
        check_page(page, live_server.url, f"/documents/bodies/{body.pk}/issue/", width, problems, console)
        check_page(page, live_server.url, f"/documents/bodies/{body.pk}/paper/", width, problems, console)
    context.close()
    assert not problems, problems
