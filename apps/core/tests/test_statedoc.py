import datetime
import io

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn

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


def _plan(**overrides):
    """Seed 000/001/004 in small: numbered sections with a month table, stacked prefixes, four signers side by side,
    the commune's confirmation, recipients with purposes, an annex."""
    fields = dict(
        header=statedoc.Header(
            parent="UBND xã Trà Linh",
            body="Trường PTDTBT Tiểu học Trà Nam",
            number="Số: 07/KH-THTN",
            place="Trà Linh",
            on=datetime.date(2025, 2, 3),
        ),
        title="Kế hoạch",
        summary="Phối hợp giữa nhà trường và các tổ chức năm học 2025-2026",
        basis=["Căn cứ Nghị định số 30/2020/NĐ-CP;"],
        sections=[
            statedoc.Section("MỤC ĐÍCH, YÊU CẦU", paragraphs=["Huy động trẻ đến trường."]),
            statedoc.Section(
                "NỘI DUNG VÀ GIẢI PHÁP",
                sections=[
                    statedoc.Section("Công tác tuyên truyền", paragraphs=["Tuyên truyền đến phụ huynh."]),
                    statedoc.Section(
                        "Lịch hoạt động",
                        tables=[
                            statedoc.Table(
                                ["Tháng", "Nội dung", "Người thực hiện"],
                                [["9/2025", "Khai giảng", "BGH"], ["10+11/2025", "Thăm hỏi gia đình", "GVCN"]],
                            )
                        ],
                    ),
                ],
            ),
        ],
        signatures=[
            statedoc.Signature("CHỦ TỊCH", "Nguyễn Văn A", label="MẶT TRẬN TỔ QUỐC XÃ"),
            statedoc.Signature("CT.CĐCS", "Lê Thị B"),
            statedoc.Signature("HIỆU TRƯỞNG", "Trần Văn Bình"),
            statedoc.Signature("TỔNG PHỤ TRÁCH ĐỘI", "Hồ Văn C"),
        ],
        confirmation=statedoc.Signature(
            "PHÓ CHỦ TỊCH",
            "Phạm Văn D",
            prefixes=("TM. ỦY BAN NHÂN DÂN XÃ", "KT. CHỦ TỊCH"),
            label="XÁC NHẬN CỦA UBND XÃ",
        ),
        recipients=[
            "Lưu: VT.",
            statedoc.Recipient("UBND xã", "để báo cáo"),
            statedoc.Recipient("Các tổ chức", "để phối hợp"),
        ],
        annexes=[
            statedoc.Annex("Chỉ tiêu năm học", tables=[statedoc.Table(["Chỉ tiêu", "Mức"], [["Huy động", "100%"]])])
        ],
    )
    fields.update(overrides)
    return open_docx(io.BytesIO(statedoc.render(statedoc.Document(**fields))))


def _texts(doc):
    return [p.text for p in doc.paragraphs]


class TestTheFullLayout:
    def test_sections_are_numbered_by_level(self):
        texts = _texts(_plan())
        assert "I. MỤC ĐÍCH, YÊU CẦU" in texts and "II. NỘI DUNG VÀ GIẢI PHÁP" in texts
        assert "1. Công tác tuyên truyền" in texts and "2. Lịch hoạt động" in texts
        assert texts.index("I. MỤC ĐÍCH, YÊU CẦU") < texts.index("Huy động trẻ đến trường.")
        assert statedoc.section_number(2, 1) == "b)"

    def test_a_month_table_keeps_a_range_in_one_cell(self):
        doc = _plan()
        table = doc.tables[1]
        assert [c.text for c in table.rows[0].cells] == ["Tháng", "Nội dung", "Người thực hiện"]
        assert table.rows[0].cells[0].paragraphs[0].runs[0].bold
        assert [r.cells[0].text for r in table.rows[1:]] == ["9/2025", "10+11/2025"]
        assert table.style.name == "Table Grid"

    def test_four_parties_sign_side_by_side(self):
        doc = _plan()
        signers = doc.tables[2].rows[0].cells
        assert [c.paragraphs[0].text for c in signers] == [
            "MẶT TRẬN TỔ QUỐC XÃ",
            "CT.CĐCS",
            "HIỆU TRƯỞNG",
            "TỔNG PHỤ TRÁCH ĐỘI",
        ]
        assert signers[0].paragraphs[1].text == "CHỦ TỊCH" and signers[0].paragraphs[-1].text == "Nguyễn Văn A"

    def test_the_confirmation_stacks_its_prefixes(self):
        block = [p.text for p in _plan().tables[3].rows[0].cells[0].paragraphs]
        assert block[:4] == ["XÁC NHẬN CỦA UBND XÃ", "TM. ỦY BAN NHÂN DÂN XÃ", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
        assert block[-1] == "Phạm Văn D"

    def test_one_signer_stacks_tm_over_kt(self):
        doc = _plan(
            signatures=[],
            signature=statedoc.Signature(
                "PHÓ CHỦ TỊCH", "Phạm Văn D", prefixes=("TM. ỦY BAN NHÂN DÂN XÃ", "KT. CHỦ TỊCH")
            ),
            confirmation=None,
        )
        block = [p.text for p in doc.tables[2].rows[0].cells[1].paragraphs]
        assert block[:3] == ["TM. ỦY BAN NHÂN DÂN XÃ", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]

    def test_recipients_carry_their_purpose_and_luu_vt_comes_last(self):
        texts = _texts(_plan())
        start = texts.index("Nơi nhận:")
        assert texts[start + 1 : start + 4] == ["- UBND xã (để báo cáo);", "- Các tổ chức (để phối hợp);", "- Lưu: VT."]
        assert statedoc.recipient_lines(["UBND xã;"]) == ["UBND xã;", "Lưu: VT."]

    def test_an_annex_starts_on_a_page_of_its_own(self):
        doc = _plan()
        texts = _texts(doc)
        at = texts.index("PHỤ LỤC I")
        assert texts[at + 1] == "CHỈ TIÊU NĂM HỌC"
        breaks = doc.paragraphs[at - 1]._p.xpath(".//w:br[@w:type='page']")
        assert breaks, "the annex must follow a page break"
        assert doc.tables[-1].rows[1].cells[0].text == "Huy động"

    def test_the_page_is_a4_with_the_decree_margins_and_fonts(self):
        doc = _plan(font_size=14)
        section = doc.sections[0]
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert round(section.top_margin.mm) == 20 and round(section.bottom_margin.mm) == 20
        assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
        normal = doc.styles["Normal"]
        assert normal.font.name == "Times New Roman" and normal.font.size.pt == 14
        fonts = normal.element.rPr.rFonts
        assert {fonts.get(qn(a)) for a in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")} == {"Times New Roman"}
        runs = [r for p in doc.paragraphs for r in p.runs if r.text]
        assert runs and all(r.font.name == "Times New Roman" for r in runs)
        body = [p for p in doc.paragraphs if p.text == "Huy động trẻ đến trường."][0]
        assert body.runs[0].font.size.pt == 14
        with pytest.raises(ValueError):
            statedoc.render(statedoc.Document(header=_plan_header(), title="X", font_size=12))

    def test_page_numbers_start_on_page_two(self):
        section = _plan().sections[0]
        assert section.different_first_page_header_footer
        assert not section.first_page_header.paragraphs[0].text
        header = section.header.paragraphs[0]
        assert header.alignment == 1  # centred
        assert "PAGE" in "".join(header._p.xpath(".//w:instrText/text()"))

    def test_the_title_motto_and_date_keep_their_places(self):
        doc = _plan()
        left, right = doc.tables[0].rows[0].cells
        assert [p.text for p in left.paragraphs][-1] == "Số: 07/KH-THTN"
        assert [p.text for p in right.paragraphs] == [
            statedoc.NATIONAL_TITLE,
            statedoc.MOTTO,
            "Trà Linh, ngày 03 tháng 02 năm 2025",
        ]


def _plan_header():
    return statedoc.Header(body="UBND XÃ TRÀ LINH", place="Trà Linh", on=datetime.date(2025, 1, 1))
