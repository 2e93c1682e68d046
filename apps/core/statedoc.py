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
nhận:" bold italic 12 pt, the list 11 pt). A4 portrait, margins 20/20/30/15 mm, Times New Roman 13 pt (14 on
request) named in the styles for every script, page numbers at the top centre from page 2 (the first page has a
header of its own, empty).

The full layout (plans, reports): numbered sections (I., 1., a)) holding paragraphs and tables (any cell text,
"10+11/2025" included), stacked signature prefixes ("TM. ỦY BAN NHÂN DÂN XÃ" over "KT. CHỦ TỊCH"), several signers
side by side (four parties of a coordination plan), a confirming block ("XÁC NHẬN CỦA UBND XÃ"), recipients each
with a purpose and "Lưu: VT" always last, annexes ("Phụ lục") each on a page of its own. Numbering, the register
and PDF come with the documents app; this module knows no model.
"""

import datetime
import io
from dataclasses import dataclass, field

from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
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
    position: str  # "HIỆU TRƯỞNG", "CHỦ TỊCH", "PHÓ CHỦ TỊCH"
    name: str
    prefix: str = ""  # one line above the position: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "TL. …"
    prefixes: tuple[str, ...] = ()  # stacked lines above it, top first: ("TM. ỦY BAN NHÂN DÂN XÃ", "KT. CHỦ TỊCH")
    label: str = ""  # the party above a co-signer's block: "MẶT TRẬN TỔ QUỐC XÃ", "CT.CĐCS"

    def lines(self) -> list[str]:
        """The block's capitalised lines above the blank space for the signature, top first."""
        head = [self.label] if self.label else []
        return [*head, *self.prefixes, *([self.prefix] if self.prefix else []), self.position]


@dataclass(frozen=True)
class Recipient:
    """One line of "Nơi nhận": who, and why it is sent ("để báo cáo", "để thực hiện")."""

    name: str
    purpose: str = ""

    def text(self) -> str:
        return f"{self.name} ({self.purpose});" if self.purpose else f"{self.name};"


@dataclass(frozen=True)
class Table:
    """A ruled table: the header row in bold, then the rows as given (a cell is text: "10+11/2025" stays one)."""

    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    widths_mm: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    """A numbered part of the body: its heading (numbered by level: I., 1., a)), paragraphs, tables, subsections."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    sections: list["Section"] = field(default_factory=list)


@dataclass(frozen=True)
class Annex:
    """A "Phụ lục" on a page of its own, after the signatures: its label, title, and the same parts as the body."""

    title: str
    label: str = ""  # "Phụ lục I"; numbered in order when empty
    summary: str = ""  # "(Kèm theo Kế hoạch số 12/KH-THTN ngày 05/9/2025)"
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


@dataclass(frozen=True)
class Document:
    header: Header
    title: str  # the type, "THƯ CẢM ƠN", "BÁO CÁO"
    signature: Signature | None = None  # the one signer; or `signatures` side by side
    summary: str = ""
    paragraphs: list[str] = field(default_factory=list)
    recipients: list[str | Recipient] = field(default_factory=list)
    addressee: str = ""  # "Kính gửi: …", centred under the summary when set
    basis: list[str] = field(default_factory=list)  # "Căn cứ …" lines before the body
    sections: list[Section] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)  # several signers in one row, left to right
    confirmation: Signature | None = None  # "XÁC NHẬN CỦA UBND XÃ": its position line is the block's title
    annexes: list[Annex] = field(default_factory=list)
    font_size: int = 13  # 13 or 14 (Decree 30/2020)

    def signers(self) -> list[Signature]:
        return list(self.signatures) or ([self.signature] if self.signature else [])


def date_line(place: str, on: datetime.date) -> str:
    """ "Trà Linh, ngày 05 tháng 9 năm 2025": the day zero-padded below 10, the month below 3 (Decree 30/2020)."""
    month = f"{on.month:02d}" if on.month < 3 else str(on.month)
    return f"{place}, ngày {on.day:02d} tháng {month} năm {on.year}"


def recipient_lines(recipients) -> list[str]:
    """The recipients' lines with "Lưu: VT" last, always: one given anywhere in the list moves to the end, and
    "Lưu: VT." is added when none is given."""
    lines = [r.text() if isinstance(r, Recipient) else str(r) for r in recipients]
    kept = [line for line in lines if line.strip().startswith("Lưu")]
    rest = [line for line in lines if not line.strip().startswith("Lưu")]
    last = kept[-1].strip().rstrip(";").rstrip(".") + "." if kept else "Lưu: VT."
    return [*rest, last]


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI"]


def section_number(level: int, index: int) -> str:
    """ "I.", "1.", "a)" for levels 0, 1, 2 (and "-" deeper): how Vietnamese official documents number parts."""
    if level == 0:
        return f"{ROMAN[index] if index < len(ROMAN) else index + 1}."
    if level == 1:
        return f"{index + 1}."
    if level == 2:
        return f"{chr(ord('a') + index % 26)})"
    return "-"


def _fonts(element) -> None:
    """Name the font for every script (ascii, hAnsi, east Asian, complex), so Word and LibreOffice agree."""
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _run(paragraph, text, *, bold=False, italic=False, underline=False, size=13):
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    run.font.name = FONT
    _fonts(run._r)
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


def _page_field(paragraph, size):
    """A PAGE field (the page's number, computed by Word or LibreOffice when the page is laid out)."""
    run = _run(paragraph, "", size=size)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            node = OxmlElement("w:instrText")
            node.set(qn("xml:space"), "preserve")
            node.text = " PAGE "
        else:
            node = OxmlElement("w:t")
            node.text = text
        run._r.append(node)


def _setup(out, size: int) -> None:
    section = out.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    for name in ("Normal", "Table Grid"):
        style = out.styles[name]
        style.font.name, style.font.size = FONT, Pt(size)
        _fonts(style.element)
    # Page numbers at the top centre from page 2: the first page has a header of its own, left empty.
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(number, size)
    section.first_page_header.paragraphs[0].text = ""


def _table(out, table: Table, size: int) -> None:
    grid = out.add_table(rows=1 + len(table.rows), cols=len(table.columns))
    grid.style = out.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, heading in enumerate(table.columns):
        _line(grid.rows[0].cells[i], heading, first=True, bold=True, size=size - 1)
    for r, row in enumerate(table.rows, start=1):
        for i in range(len(table.columns)):
            text = row[i] if i < len(row) else ""
            _line(grid.rows[r].cells[i], str(text), first=True, align=WD_ALIGN_PARAGRAPH.LEFT, size=size - 1)
    for i, width in enumerate(table.widths_mm[: len(table.columns)]):
        for row in grid.rows:
            row.cells[i].width = Mm(width)
    out.add_paragraph()


def _paragraph(out, text: str, size: int) -> None:
    paragraph = _line(out, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, size=size)
    paragraph.paragraph_format.first_line_indent = Mm(10)
    paragraph.paragraph_format.space_after = Pt(6)


def _parts(out, paragraphs, tables, sections, size: int, level: int = 0) -> None:
    for text in paragraphs:
        _paragraph(out, text, size)
    for table in tables:
        _table(out, table, size)
    for index, part in enumerate(sections):
        heading = _line(
            out,
            f"{section_number(level, index)} {part.heading}",
            align=WD_ALIGN_PARAGRAPH.LEFT,
            bold=True,
            italic=level >= 2,
            size=size,
        )
        heading.paragraph_format.first_line_indent = Mm(10)
        heading.paragraph_format.space_before = Pt(6)
        heading.paragraph_format.space_after = Pt(3)
        _parts(out, part.paragraphs, part.tables, part.sections, size, level + 1)


def _signature_block(cell, signature: Signature, size: int, *, first=True) -> None:
    for line in signature.lines():
        _line(cell, line.upper(), first=first, bold=True, size=size)
        first = False
    for _blank in range(3):
        _line(cell, "", size=size)
    if signature.name:
        _line(cell, signature.name, bold=True, size=size)


def _recipients_block(cell, recipients, *, first=True) -> None:
    _line(cell, "Nơi nhận:", first=first, align=WD_ALIGN_PARAGRAPH.LEFT, bold=True, italic=True, size=12)
    for name in recipient_lines(recipients):
        _line(cell, f"- {name}", align=WD_ALIGN_PARAGRAPH.LEFT, size=11)


def render(doc: Document) -> bytes:
    """The document as .docx bytes."""
    size = doc.font_size
    if size not in (13, 14):
        raise ValueError("Decree 30/2020 sets the body in 13 or 14 pt")
    out = new_docx()
    _setup(out, size)

    head = out.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borderless(head)
    head.autofit = False
    left, right = head.rows[0].cells
    for column, cell, width in zip(head.columns, (left, right), (Mm(70), Mm(95)), strict=True):
        column.width = cell.width = width
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
        _line(out, doc.summary, bold=True, size=size)
    if doc.addressee:
        out.add_paragraph()
        _line(out, doc.addressee, size=size)
    out.add_paragraph()
    for text in doc.basis:
        _line(
            out, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, italic=True, size=size
        ).paragraph_format.first_line_indent = Mm(10)
    _parts(out, doc.paragraphs, [], doc.sections, size)

    signers = doc.signers()
    if len(signers) <= 1:
        # The usual foot: recipients on the left, the one signer on the right.
        foot = out.add_table(rows=1, cols=2)
        _borderless(foot)
        left, right = foot.rows[0].cells
        if doc.recipients:
            _recipients_block(left, doc.recipients)
        if signers:
            _signature_block(right, signers[0], size)
    else:
        # Several parties sign side by side (a coordination plan): one column each, the recipients below.
        foot = out.add_table(rows=1, cols=len(signers))
        _borderless(foot)
        for cell, signature in zip(foot.rows[0].cells, signers, strict=True):
            _signature_block(cell, signature, 12 if len(signers) > 2 else size)
        if doc.recipients:
            _recipients_block(out, doc.recipients, first=False)
    if doc.confirmation:
        out.add_paragraph()
        confirm = out.add_table(rows=1, cols=2)
        _borderless(confirm)
        _signature_block(confirm.rows[0].cells[0], doc.confirmation, size)

    for index, annex in enumerate(doc.annexes):
        page = out.add_paragraph()
        page.add_run().add_break(WD_BREAK.PAGE)
        label = annex.label or (f"Phụ lục {ROMAN[index]}" if index < len(ROMAN) else f"Phụ lục {index + 1}")
        _line(out, label.upper(), bold=True, size=size)
        _line(out, annex.title.upper(), bold=True, size=size)
        if annex.summary:
            _line(out, annex.summary, italic=True, size=size)
        out.add_paragraph()
        _parts(out, annex.paragraphs, annex.tables, annex.sections, size)

    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
