"""In the browser (Playwright driving Debian's Chromium), under the site's CSP: the principal of school A creates a
monthly briefing with the Parents' Association, records the commune's study-promotion association as attending and
a decision owned by it (both in place, through htmx), writes the minutes, issues them and downloads the Word file."""

import io

import pytest
from docx import Document as open_docx

from tests.test_browser_walk import browser, cast_accounts, check_page, signed_in  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_principal_records_a_briefing_and_issues_its_minutes(live_server, browser, cast_accounts):  # noqa: F811
    from apps.plans.models import Meeting, Task

    context, page = signed_in(browser, live_server.url, "hieutruong.tranam")
    problems, console = [], []
    page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    check_page(page, live_server.url, "/plans/meetings/", 1280, problems, console)
    page.get_by_role("link", name="Tạo cuộc họp").click()
    page.get_by_label("Loại cuộc họp").select_option("briefing")
    page.get_by_label("Tên cuộc họp").fill("Giao ban tháng 10 với Ban đại diện CMHS")
    page.get_by_label("Ngày họp").fill("06/10/2025")
    page.get_by_label("Chủ trì").fill("Nguyễn Văn An")
    page.get_by_label("Thư ký").fill("Trần Thị Bình")
    page.get_by_role("button", name="Tạo cuộc họp").click()
    page.wait_for_url(f"{live_server.url}/plans/meetings/*/")
    meeting = Meeting.objects.get(title="Giao ban tháng 10 với Ban đại diện CMHS")

    page.get_by_label("Tổ chức").select_option(label="Hội Khuyến học xã Trà Linh")
    page.get_by_label("Người dự").fill("Ông Hồ Văn Cường")
    page.get_by_role("button", name="Thêm thành phần").click()
    page.wait_for_selector("#attendees li:has-text('Ông Hồ Văn Cường')")

    page.get_by_label("Nội dung kết luận").fill("Vận động học sinh nghỉ học nhiều ngày trở lại lớp")
    page.locator("#id_due_on").fill("31/10/2025")
    page.get_by_label("Người, đơn vị thực hiện").select_option(label="Hội Khuyến học xã Trà Linh")
    page.get_by_role("button", name="Thêm kết luận").click()
    row = page.locator("#decisions tbody tr", has_text="Vận động học sinh nghỉ học nhiều ngày trở lại lớp")
    row.wait_for()
    assert "31/10/2025" in row.inner_text()
    task = Task.objects.get(title="Vận động học sinh nghỉ học nhiều ngày trở lại lớp")
    assert task.owner_organisation.name == "Hội Khuyến học xã Trà Linh"

    page.get_by_label("Nội dung biên bản").fill("Đánh giá tình hình tháng 9.")
    page.get_by_role("button", name="Lưu nội dung").click()
    page.wait_for_selector("text=Đã lưu nội dung biên bản.")
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 800})
        check_page(page, live_server.url, f"/plans/meetings/{meeting.pk}/", width, problems, console)
    page.get_by_role("button", name="Ban hành biên bản").click()
    page.wait_for_selector("#minutes-issued")
    meeting.refresh_from_db()
    with page.expect_download() as caught:
        page.get_by_role("link", name="Tải biên bản (Word)").click()
    download = caught.value
    assert download.suggested_filename == f"{meeting.document.symbol.replace('/', '-')}.docx"
    doc = open_docx(io.BytesIO(open(download.path(), "rb").read()))
    assert "Đánh giá tình hình tháng 9." in [p.text for p in doc.paragraphs]
    assert not problems and not console
    context.close()
