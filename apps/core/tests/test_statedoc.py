import datetime
import io

from docx import Document as open_docx

from apps.core import statedoc


def test_the_date_line_pads_days_below_ten_and_months_one_and_two():
    assert statedoc.date_line("Trà Nam", datetime.date(2025, 9, 5)) == "Trà Nam, ngày 05 tháng 9 năm 2025"
    assert statedoc.date_line("Trà Nam", datetime.date(2026, 2, 14)) == "Trà Nam, ngày 14 tháng 02 năm 2026"
    assert statedoc.date_line("Trà Nam", datetime.date(2026, 12, 1)) == "Trà Nam, ngày 01 tháng 12 năm 2026"


def test_a_document_opens_with_the_state_header_and_the_signature_block():
    content = statedoc.render(
        statedoc.Document(
            header=statedoc.Header(
                parent="UBND xã Trà Linh",
                body="Trường PTDTBT Tiểu học Trà Nam",
                number="Số: 12/TB-THTN",
                place="Trà Linh",
                on=datetime.date(2025, 9, 5),
            ),
            title="Thư cảm ơn",
            summary="Về việc tiếp nhận tài trợ",
            paragraphs=["Nhà trường trân trọng cảm ơn."],
            signature=statedoc.Signature(position="Hiệu trưởng", name="Trần Văn Bình"),
            recipients=["Như trên;", "Lưu: VT."],
        )
    )
    doc = open_docx(io.BytesIO(content))
    head = doc.tables[0].rows[0].cells
    left = [p.text for p in head[0].paragraphs]
    right = head[1].paragraphs
    assert left == ["UBND XÃ TRÀ LINH", "TRƯỜNG PTDTBT TIỂU HỌC TRÀ NAM", "Số: 12/TB-THTN"]
    assert head[0].paragraphs[1].runs[0].bold
    assert [p.text for p in right] == [statedoc.NATIONAL_TITLE, statedoc.MOTTO, "Trà Linh, ngày 05 tháng 9 năm 2025"]
    assert right[1].runs[0].underline and right[2].runs[0].italic
    body = [p.text for p in doc.paragraphs]
    assert "THƯ CẢM ƠN" in body and "Nhà trường trân trọng cảm ơn." in body
    sign = [p.text for p in doc.tables[1].rows[0].cells[1].paragraphs]
    assert sign[0] == "HIỆU TRƯỞNG" and sign[-1] == "Trần Văn Bình"
    recipients = doc.tables[1].rows[0].cells[0].paragraphs
    assert recipients[0].text == "Nơi nhận:" and recipients[0].runs[0].bold and recipients[0].runs[0].italic
    section = doc.sections[0]
    assert round(section.left_margin.mm) == 30 and round(section.page_width.mm) == 210
