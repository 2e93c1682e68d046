"""In the browser (Playwright driving Debian's Chromium), under the site's CSP: the principal of school A creates
this year's socialisation plan from its template, sees its targets' live progress, assigns a monthly activity over
"10+11", edits a target, records an attested target's assessment, names a party's signer, sends it to the
parties, agrees for the school and records the parents' association as signed on paper with a scan; the commune
officer confirms it, it is issued and its Word file downloads: the school under its commune, the number, the title
and every activity of the plan in the month table."""

import io

import pytest
from docx import Document as open_docx

from tests.test_browser_walk import browser, cast_accounts, check_page, signed_in  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_principal_takes_a_plan_from_template_to_issued(live_server, browser, cast_accounts, tmp_path):  # noqa: F811
    from apps.plans import progress
    from apps.plans.models import Plan

    context, page = signed_in(browser, live_server.url, "hieutruong.tranam")
    problems, console = [], []
    page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    check_page(page, live_server.url, "/plans/", 1280, problems, console)
    page.get_by_role("link", name="Lập kế hoạch").click()
    page.get_by_label("Loại kế hoạch").select_option("socialisation")
    page.get_by_label("Năm học").select_option(label="2025-2026")
    page.get_by_role("button", name="Lập kế hoạch").click()
    page.wait_for_url(f"{live_server.url}/plans/*/")
    # The newest: the demo already holds the school's plan of this year, with its parties for agreement.
    plan = Plan.objects.filter(kind="socialisation", school__moet_code="48095002").latest("pk")
    assert page.locator("h1").inner_text() == "Kế hoạch: Thực hiện xã hội hóa giáo dục năm học 2025-2026"

    # The targets' live progress: the engine's figure for the school, as the page shows it.
    expected = progress.measure(plan)[0].progress.text
    shown = page.locator("#targets tbody tr").first.locator("td.progress").inner_text()
    assert shown == expected and "%" in shown

    # A monthly activity over two months, owned by the commune's study-promotion association (through htmx).
    page.get_by_label("Nội dung công việc").fill("Trao học bổng cho học sinh vượt khó")
    page.get_by_label("Tháng (ví dụ 9/2025 hoặc 10+11/2025)").fill("10+11/2025")
    page.get_by_label("Người, đơn vị thực hiện").select_option(label="Hội Khuyến học xã Trà Linh")
    page.get_by_role("button", name="Thêm hoạt động").click()
    row = page.locator("#schedule tbody tr", has_text="Trao học bổng cho học sinh vượt khó")
    assert row.locator("td").first.inner_text() == "10+11/2025"

    # Its targets and parties are edited on their own pages; an attested target's assessment is recorded in place.
    page.locator("#targets tbody tr").first.get_by_role("link", name="Sửa").click()
    page.get_by_label("Giá trị").fill("99")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_url(f"{live_server.url}/plans/{plan.pk}/#targets")
    assert page.locator("#targets tbody tr").first.locator("td").nth(1).inner_text() == "≥ 99"
    attested = page.locator("#targets tbody tr", has_text="Họp, phối hợp với nhà trường thường xuyên")
    attested.get_by_text("Ghi đánh giá").click()
    attested.get_by_label("Minh chứng, ghi chú").fill("Họp giao ban hằng tháng với Hội Khuyến học")
    attested.get_by_role("button", name="Lưu đánh giá").click()
    page.wait_for_selector("text=Đã ghi đánh giá chỉ tiêu.")
    attested = page.locator("#targets tbody tr", has_text="Họp, phối hợp với nhà trường thường xuyên")
    assert attested.locator("td.assessment").inner_text() == "Đạt"
    parents = page.locator("#parties tbody tr", has_text="BAN ĐẠI DIỆN CMHS")
    parents.get_by_role("link", name="Sửa").click()
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Hoa")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_url(f"{live_server.url}/plans/{plan.pk}/#parties")
    assert "Nguyễn Thị Hoa" in page.locator("#parties").inner_text()

    page.get_by_role("button", name="Gửi các bên thống nhất").click()
    page.wait_for_selector("text=Đang lấy ý kiến thống nhất")
    page.get_by_role("button", name="Thống nhất", exact=True).click()
    page.wait_for_selector("text=Đã thống nhất")
    scan = tmp_path / "ban-dai-dien-cmhs-da-ky.pdf"
    scan.write_bytes(SCAN)
    page.get_by_label("Bản quét văn bản đã ký").set_input_files(str(scan))
    page.get_by_role("button", name="Ghi nhận ký trên giấy").click()
    page.wait_for_selector("text=Đã ký trên giấy")
    assert "Chờ xác nhận" in page.locator("#status").inner_text()
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 800})
        check_page(page, live_server.url, f"/plans/{plan.pk}/", width, problems, console)
        check_page(page, live_server.url, f"/plans/{plan.pk}/edit/", width, problems, console)
        check_page(page, live_server.url, "/plans/tasks/", width, problems, console)
        check_page(page, live_server.url, "/plans/tasks/calendar/", width, problems, console)
    context.close()

    context, page = signed_in(browser, live_server.url, "xa.tralinh")
    page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.get_by_role("button", name="Xác nhận và ban hành").click()
    page.wait_for_selector("text=Đã ban hành")
    plan.refresh_from_db()
    symbol = plan.document.symbol
    assert symbol in page.locator("#status").inner_text()
    with page.expect_download() as caught:
        page.get_by_role("link", name="Tải tệp Word").click()
    download = caught.value
    assert download.suggested_filename == f"{symbol.replace('/', '-')}.docx"
    doc = open_docx(io.BytesIO(open(download.path(), "rb").read()))
    issuer = [p.text for p in doc.tables[0].rows[0].cells[0].paragraphs if p.text]
    assert issuer == ["UBND XÃ TRÀ LINH", "TRƯỜNG PTDTBT TIỂU HỌC TRÀ NAM", f"Số: {symbol}"]
    lines = [p.text for p in doc.paragraphs]
    title = lines.index("KẾ HOẠCH")
    assert lines[title + 1] == "Thực hiện xã hội hóa giáo dục năm học 2025-2026"
    # Every activity of the plan is a row of the month table (time, what, who), the new one among them.
    schedule = next(t for t in doc.tables if t.rows[0].cells[0].text == "Thời gian")
    rows = [[c.text for c in r.cells][:3] for r in schedule.rows[1:]]
    activities = [[t.when, t.title, t.owner_label] for t in plan.tasks.order_by("due_on", "order", "pk")]
    assert rows == activities and len(rows) > 1
    assert ["10+11/2025", "Trao học bổng cho học sinh vượt khó", "Hội Khuyến học xã Trà Linh"] in rows
    context.close()
    assert not problems, problems
