"""The issued plan's Word file, opened: its outline (headings, the month table with "10+11", the four parties of a
coordination plan side by side, the commune's stacked "TM. … / KT. …" confirmation, recipients with "Lưu: VT" last,
an annex) and its layout (title and motto, number, date, fonts, margins, page numbers from page 2)."""

import io

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn

from apps.plans import services
from apps.plans.tests.conftest import DAY, issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(cast):
    plan = services.plan_create(actor=cast.principal_a, kind="coordination", school=cast.school_a, on=DAY)
    plan = services.plan_update(
        actor=cast.principal_a,
        plan=plan,
        annexes=[
            {"title": "Danh sách học sinh có hoàn cảnh khó khăn được hỗ trợ", "text": "Theo danh sách của nhà trường."}
        ],
    )
    plan = issue(plan, cast)
    plan.refresh_from_db()
    with plan.document.file.open("rb") as fh:
        return plan, open_docx(io.BytesIO(fh.read()))


def texts(doc) -> list[str]:
    out = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                out += [p.text for p in cell.paragraphs]
    return out


def test_the_outline_has_the_numbered_sections_in_order(issued):
    _plan, doc = issued
    headings = [p.text for p in doc.paragraphs if p.text[:3] in ("I. ", "II.", "III", "IV.", "V. ")]
    assert headings == [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "II. NỘI DUNG VÀ GIẢI PHÁP",
        "III. CHỈ TIÊU",
        "IV. TỔ CHỨC THỰC HIỆN",
        "V. CHẾ ĐỘ BÁO CÁO",
    ]
    assert "KẾ HOẠCH" in [p.text for p in doc.paragraphs]


def test_the_month_table_keeps_10_plus_11_in_one_cell(issued):
    _plan, doc = issued
    schedule = next(t for t in doc.tables if t.rows[0].cells[0].text == "Thời gian")
    assert [c.text for c in schedule.rows[0].cells] == [
        "Thời gian",
        "Nội dung công việc",
        "Người, đơn vị thực hiện",
        "Ghi chú",
    ]
    firsts = [row.cells[0].text for row in schedule.rows[1:]]
    assert firsts == ["9/2025", "10+11/2025"]
    assert "Ủy ban MTTQ Việt Nam xã Trà Linh" in schedule.rows[2].cells[2].text


def test_the_four_parties_sign_side_by_side(issued):
    _plan, doc = issued
    row = next(t for t in doc.tables if len(t.columns) == 4 and "CT.CĐCS" in t.rows[0].cells[1].text).rows[0]
    firsts = [cell.paragraphs[0].text for cell in row.cells]
    assert firsts == ["MẶT TRẬN TỔ QUỐC XÃ", "CT.CĐCS", "HIỆU TRƯỞNG", "TỔNG PHỤ TRÁCH ĐỘI"]
    front = [p.text for p in row.cells[0].paragraphs]
    assert front[:3] == ["MẶT TRẬN TỔ QUỐC XÃ", "TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"]


def test_the_commune_confirms_with_stacked_prefixes(issued):
    _plan, doc = issued
    confirm = next(t for t in doc.tables if t.rows[0].cells[0].paragraphs[0].text == "XÁC NHẬN CỦA UBND XÃ")
    lines = [p.text for p in confirm.rows[0].cells[0].paragraphs if p.text]
    assert lines[:4] == ["XÁC NHẬN CỦA UBND XÃ", "TM. ỦY BAN NHÂN DÂN XÃ", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def test_recipients_end_with_luu_vt(issued):
    _plan, doc = issued
    lines = [p.text for p in doc.paragraphs]
    start = lines.index("Nơi nhận:")
    listed = [line for line in lines[start + 1 :] if line.startswith("- ")]
    assert listed[0] == "- UBND Xã Trà Linh (để báo cáo);"
    assert listed[-1] == "- Lưu: VT."
    assert sum(1 for line in listed if "Lưu" in line) == 1


def test_the_annex_is_on_a_page_of_its_own(issued):
    plan, doc = issued
    lines = [p.text for p in doc.paragraphs]
    at = lines.index("PHỤ LỤC I")
    assert lines[at + 1] == "DANH SÁCH HỌC SINH CÓ HOÀN CẢNH KHÓ KHĂN ĐƯỢC HỖ TRỢ"
    assert lines[at + 2] == f"(Kèm theo Kế hoạch số {plan.document.symbol} ngày 05/09/2025)"
    breaks = doc.paragraphs[at - 1]._p.findall(".//" + qn("w:br"))
    assert any(b.get(qn("w:type")) == "page" for b in breaks)


def test_the_layout_is_the_state_layout(issued):
    plan, doc = issued
    head = doc.tables[0].rows[0].cells
    left = [p.text for p in head[0].paragraphs]
    right = [p.text for p in head[1].paragraphs]
    assert right[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert head[1].paragraphs[1].runs[0].underline
    assert f"Số: {plan.document.symbol}" in left
    assert plan.document.symbol.startswith("01/KH-")
    date = head[1].paragraphs[2]
    assert date.text.endswith("ngày 05 tháng 9 năm 2025") and date.runs[0].italic
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert {fonts.get(qn(a)) for a in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")} == {"Times New Roman"}
    section = doc.sections[0]
    mm = [round(x.mm) for x in (section.page_width, section.page_height)]
    assert mm == [210, 297]
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(x.mm) for x in margins] == [20, 20, 30, 15]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml and "PAGE" not in section.first_page_header._element.xml
