"""The state layout of an official document (Decree 30/2020/NĐ-CP) as pure functions: data in, `.docx` bytes out.

    content = statedoc.render(statedoc.Document(
        header=statedoc.Header(parent="UBND XÃ TRÀ LINH", body="TRƯỜNG PTDTBT TIỂU HỌC TRÀ NAM",
                               number="Số: 12/TB-THTN", place="Trà Linh", on=datetime.date(2025, 9, 5)),
        title="THƯ CẢM ƠN", summary="Về việc tiếp nhận tài trợ", paragraphs=["…"],
        signature=statedoc.Signature(position="HIỆU TRƯỞNG", name="Trần Văn Bình"),
        recipients=["Như trên;", "Lưu: VT."]))

The pieces: the issuing body under its parent (top left; the body in bold), the national title and motto (top
right; the motto bold and underlined), the number and symbol under the body, the place and date in italics
("Trà Linh, ngày 05 tháng 9 năm 2025": days below 10 and months 1–2 zero-padded), the type in bold capitals and
the summary in bold, the body, the signer's block (TM./KT./TL. prefix, position, name) and the recipients ("Nơi
nhận:" bold italic 12 pt, the list 11 pt). A4 portrait, margins 20/20/30/15 mm, Times New Roman 13 pt. Numbering,
the register and PDF come with the documents app; this module knows no model.
"""

import datetime
import io
from dataclasses import dataclass, field

from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
FONT = "Times New Roman"


@dataclass(frozen=True)
class Header:
    body: str  # the issuing body, "TRƯỜNG PTDTBT TIỂU HỌC TRÀ NAM"
    place: str  # "Trà Linh"
    on: datetime.date
    parent: str = ""  # the body above it, "UBND XÃ TRÀ LINH"
    number: str = ""  # "Số: 12/TB-THTN"


@dataclass(frozen=True)
class Signature:
    position: str  # "HIỆU TRƯỞNG", "CHỦ TỊCH"
    name: str
    prefix: str = ""  # "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "TL. …": the line above the position


@dataclass(frozen=True)
class Document:
    header: Header
    title: str  # the type, "THƯ CẢM ƠN", "BÁO CÁO"
    signature: Signature
    summary: str = ""
    paragraphs: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    addressee: str = ""  # "Kính gửi: …", centred under the summary when set


def date_line(place: str, on: datetime.date) -> str:
    """ "Trà Linh, ngày 05 tháng 9 năm 2025": the day zero-padded below 10, the month below 3 (Decree 30/2020)."""
    month = f"{on.month:02d}" if on.month < 3 else str(on.month)
    return f"{place}, ngày {on.day:02d} tháng {month} năm {on.year}"


def _run(paragraph, text, *, bold=False, italic=False, underline=False, size=13):
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    run.font.name = FONT
    run.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return run


def _line(cell_or_doc, text, *, align=WD_ALIGN_PARAGRAPH.CENTER, first=False, **style):
    paragraph = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    _run(paragraph, text, **style)
    return paragraph


def _borderless(table):
    borders = table._tbl.tblPr.first_child_found_in("w:tblBorders")
    if borders is not None:
        table._tbl.tblPr.remove(borders)


def render(doc: Document) -> bytes:
    """The document as .docx bytes."""
    out = new_docx()
    section = out.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = out.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)

    head = out.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borderless(head)
    left, right = head.rows[0].cells
    left.width, right.width = Mm(65), Mm(100)
    if doc.header.parent:
        _line(left, doc.header.parent.upper(), first=True, size=13)
        _line(left, doc.header.body.upper(), bold=True)
    else:
        _line(left, doc.header.body.upper(), first=True, bold=True)
    if doc.header.number:
        _line(left, doc.header.number)
    _line(right, NATIONAL_TITLE, first=True, bold=True, size=12)
    _line(right, MOTTO, bold=True, underline=True, size=13)
    _line(right, date_line(doc.header.place, doc.header.on), italic=True)

    out.add_paragraph()
    _line(out, doc.title.upper(), bold=True, size=14)
    if doc.summary:
        _line(out, doc.summary, bold=True)
    if doc.addressee:
        out.add_paragraph()
        _line(out, doc.addressee)
    out.add_paragraph()
    for text in doc.paragraphs:
        paragraph = _line(out, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        paragraph.paragraph_format.first_line_indent = Mm(10)
        paragraph.paragraph_format.space_after = Pt(6)

    foot = out.add_table(rows=1, cols=2)
    _borderless(foot)
    left, right = foot.rows[0].cells
    if doc.recipients:
        _line(left, "Nơi nhận:", first=True, align=WD_ALIGN_PARAGRAPH.LEFT, bold=True, italic=True, size=12)
        for name in doc.recipients:
            _line(left, f"- {name}", align=WD_ALIGN_PARAGRAPH.LEFT, size=11)
    first = True
    if doc.signature.prefix:
        _line(right, doc.signature.prefix.upper(), first=True, bold=True)
        first = False
    _line(right, doc.signature.position.upper(), first=first, bold=True)
    for _blank in range(3):
        _line(right, "")
    _line(right, doc.signature.name, bold=True)

    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
