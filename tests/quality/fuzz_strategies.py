"""Hostile spreadsheets for the fuzz checks (hypothesis strategies): CSV in every encoding the reader claims,
.xlsx, .xls and .ods with random cells, broken and duplicated headers, wrong types, huge strings and formulas;
then truncated, corrupted or re-zipped with absurd declared dimensions. Each strategy draws `(filename, bytes)`.

The header words come from the kind's own table reader and labels (`Importer.reader(run).vocabulary`,
`Importer.fields`), so a kind registered later is fuzzed with its own columns without an edit here."""

import datetime
import io
import os
import re
import zipfile

import xlsxwriter
import xlwt
from hypothesis import strategies as st

# Settings under which the fuzz runs: small enough that a file over a limit is cheap to make.
LIMITS = {
    "IMPORT_MAX_ROWS": 400,
    "IMPORT_MAX_COLUMNS": 64,
    "IMPORT_MAX_CELLS": 40_000,
    "IMPORT_MAX_UNCOMPRESSED_MB": 8,
    "IMPORT_MEMORY_MB": 512,
}
ENV_EXAMPLES = "FUZZ_EXAMPLES"  # files per kind and strategy, in-process
ENV_BACKGROUND = "FUZZ_BACKGROUND_EXAMPLES"  # files per kind through the whole background import


def examples(default: int, env: str = ENV_EXAMPLES) -> int:
    """The number of examples of one fuzz test: the environment variable `env` when set, else `default`."""
    return int(os.environ.get(env) or default)


# A few cells that are hostile on their own: formulas (a CSV opened in Excel runs them), markup, control bytes,
# numbers read as text, dates in other shapes, legacy-font bytes, a name that is only combining marks.
NASTY = [
    "=1+1",
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+SUM(A1:A9)",
    "-2+3",
    "@SUM(1)",
    "<script>alert(1)</script>",
    "'; DROP TABLE students_child; --",
    "\x00\x01\x02",
    "\u202eRTL",
    "\ufeffBOM",
    "\u0301\u0301\u0301",
    "Nguy\u00ean V\u0103n A",
    "Nguye\u0302\u0303n",
    "01/01/1900",
    "31/02/2020",
    "29/02/2019",
    "1/1/99999",
    "2015-13-45",
    "-1",
    "0",
    "1e309",
    "NaN",
    "inf",
    "99999999999999999999999",
    "1.000.000.000.000.000 đ",
    "Nam",
    "Nữ",
    "x" * 300,
    "Cộng",
    "Tổng số: 35 học sinh",
    "Hiệu trưởng",
    "Trà Linh, ngày 05 tháng 9 năm 2025",
    "1",
    "2",
    "3",
    "Ho\u00e0ng Th\u1ecb B\u00e9",
    "Nguyễn Văn An",
    "48095002",
    "0905123456",
    "TN0001",
]

text_cell = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=20),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)).map(
        lambda d: d.strftime("%d/%m/%Y")
    ),
)
huge_cell = st.integers(min_value=10_000, max_value=200_000).map(lambda n: "Á" * n)
# A typed cell, for the workbook writers: numbers, dates, booleans and formulas where text is expected.
typed_cell = st.one_of(
    text_cell,
    st.floats(allow_nan=True, allow_infinity=False),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.booleans(),
    st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(2100, 12, 31)),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(2100, 12, 31)),
    st.sampled_from(["=1/0", "=A1", "=NOW()", '=REPT("x",30000)', "=SUM(A1:XFD1048576)"]).map(lambda f: ("f", f)),
    st.none(),
)


def header_words(reader, labels) -> tuple[list[str], list[str]]:
    """The headers a kind recognises: its table reader's vocabulary (folded) and its fields' labels."""
    words = set()
    for names in reader.vocabulary.values():
        words.update(names)
    words.update(str(label) for label in labels.values())
    return sorted(words), [str(label) for label in labels.values()]


@st.composite
def table(draw, words, typed=False, huge=True):
    """A header (from the kind's words, duplicated, misspelled, shifted down, or on two rows) and body rows of
    random cells, ragged widths, blanks and totals. `words` is `header_words(…)`: one in three tables has the
    kind's own labels for its header (then the rows are what is really fuzzed)."""
    words, labels = words
    if draw(st.integers(0, 2)) == 0:
        header = draw(st.permutations(labels))
    else:
        width = draw(st.integers(min_value=0, max_value=14))
        header = draw(
            st.lists(
                st.one_of(st.sampled_from(words), st.sampled_from(words).map(str.upper), text_cell, st.just("")),
                min_size=width,
                max_size=width,
            )
        )
    if header and draw(st.booleans()):  # a duplicated column
        header.append(draw(st.sampled_from(header)))
    if draw(st.integers(0, 4)) == 0 and header:  # a broken heading: cut in the middle
        i = draw(st.integers(0, len(header) - 1))
        header[i] = header[i][: len(header[i]) // 2]
    cell = typed_cell if typed else text_cell
    if huge and draw(st.integers(0, 9)) == 0:
        cell = st.one_of(cell, huge_cell)
    rows = draw(st.lists(st.lists(cell, max_size=len(header) + 3), max_size=25))
    if draw(st.integers(0, 11)) == 0:  # many rows: around the row limit of the fuzz settings
        many = draw(st.integers(min_value=300, max_value=500))
        rows += [rows[i % len(rows)] if rows else ["x"] * len(header) for i in range(many)]
    above = draw(st.lists(st.lists(text_cell, max_size=4), max_size=3))  # title lines above the header
    body = [*above, header]
    if draw(st.integers(0, 4)) == 0:  # a second header row (a group heading with sub-headings)
        body.append(draw(st.lists(st.sampled_from(words), max_size=len(header))))
    return body + rows


def _text(value) -> str:
    if isinstance(value, tuple):
        return value[1]
    if value is None:
        return ""
    return str(value)


# CSV ----------------------------------------------------------------------------------------------------------
# The encodings the reader claims (apps.core.spreadsheets: UTF-8 with or without BOM, Windows-1258, and TCVN3 or
# VNI text saved in the Western code page), and some it does not (UTF-16, random bytes).
TCVN3_SAMPLE = "NguyÔn V¨n An,Tr­êng TiÓu häc".encode("cp1252", errors="replace")


@st.composite
def csv_file(draw, words):
    rows = draw(table(words))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    quote = draw(st.booleans())
    lines = []
    for row in rows:
        cells = [_text(c) for c in row]
        if quote:
            cells = ['"' + c.replace('"', '""') + '"' for c in cells]
        lines.append(delimiter.join(cells))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1258", "cp1252", "latin-1", "utf-16", "tcvn3"]))
    if encoding == "tcvn3":
        data = TCVN3_SAMPLE + b"\n" + text.encode("cp1252", errors="replace")
    else:
        data = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 5)) == 0:  # stray bytes anywhere: invalid UTF-8, NULs, undefined code points
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
    if draw(st.integers(0, 6)) == 0:  # an unterminated quote
        data += b'"' + b"x" * draw(st.integers(0, 100))
    name = draw(st.sampled_from(["ds.csv", "ds.CSV", "ds.xlsx", "ds.txt", "ds", "../../etc/ds.csv"]))
    return name, data


# XLSX, XLS, ODS -----------------------------------------------------------------------------------------------


def _xlsx_bytes(rows, merges=()) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "nan_inf_to_errors": True})
    sheet = book.add_worksheet()
    book.set_properties({"created": datetime.datetime(2025, 9, 5)})  # the same bytes for the same draw
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, tuple):
                sheet.write_formula(r, c, value[1])
            elif isinstance(value, str):
                sheet.write_string(r, c, value[:32767])
            elif isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, (datetime.date, datetime.datetime)):
                sheet.write_datetime(r, c, value, dates)
            elif value is None:
                sheet.write_blank(r, c, None)
            else:
                sheet.write_number(r, c, value)
    for r0, c0, r1, c1 in merges:
        sheet.merge_range(r0, c0, r1, c1, "")
    book.close()
    return buffer.getvalue()


def _xls_bytes(rows) -> bytes:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    for r, row in enumerate(rows[:65535]):
        for c, value in enumerate(row[:255]):
            if isinstance(value, tuple):
                value = value[1]
            if isinstance(value, float) and value != value:
                value = "NaN"
            if isinstance(value, (datetime.date, datetime.datetime)):
                value = value.strftime("%d/%m/%Y")
            if isinstance(value, str):
                value = value[:32767]
            sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
    'xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type='
    '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
    'manifest:media-type="text/xml"/></manifest:manifest>'
)


def _xml(text: str) -> str:
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _ods_bytes(rows, repeat_rows: int = 1, repeat_cols: int = 1) -> bytes:
    """A hand-written OpenDocument spreadsheet; `repeat_*` on the last row and cell declare absurd dimensions."""
    body = []
    for r, row in enumerate(rows):
        cells = "".join(
            f'<table:table-cell office:value-type="string"><text:p>{_xml(_text(v))}</text:p></table:table-cell>'
            for v in row
        )
        if r == len(rows) - 1 and repeat_cols > 1:
            cells += (
                f'<table:table-cell table:number-columns-repeated="{repeat_cols}"><text:p>x</text:p></table:table-cell>'
            )
        rep = f' table:number-rows-repeated="{repeat_rows}"' if r == len(rows) - 1 and repeat_rows > 1 else ""
        body.append(f"<table:table-row{rep}>{cells}</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Sheet1">'
        + "".join(body)
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def rezip(data: bytes, change) -> bytes:
    """The archive with each member's bytes passed through `change(name, data)` (None drops the member)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            member = change(info.filename, source.read(info.filename))
            if member is not None:
                archive.writestr(zipfile.ZipInfo(info.filename, date_time=info.date_time), member, zipfile.ZIP_DEFLATED)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
FAR_CELLS = ["XFD1048576", "ZZZZ1", "A999999999", "AMJ1048576", "IV65536", "Z401", "BM1"]


@st.composite
def dimension_edit(draw):
    """A change to the sheet's XML: an absurd declared dimension, a far cell, a far row, cells without positions,
    namespace prefixes, or the whole XML cut short."""
    far = draw(st.sampled_from(FAR_CELLS))
    how = draw(st.sampled_from(["dimension", "cell", "row", "positionless", "prefix", "cut", "many-cells"]))

    def change(name, data):
        if name != SHEET:
            return data
        if how == "dimension":
            return re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="A1:{far}"'.encode(), data)
        if how == "cell":
            return data.replace(b"</sheetData>", f'<row r="1"><c r="{far}"><v>1</v></c></row></sheetData>'.encode())
        if how == "row":
            row = re.sub(r"[A-Z]", "", far) or "1"
            return data.replace(b"</sheetData>", f'<row r="{row}"><c><v>1</v></c></row></sheetData>'.encode())
        if how == "positionless":
            return data.replace(b"</sheetData>", b"<row>" + b"<c><v>1</v></c>" * 5000 + b"</row></sheetData>")
        if how == "prefix":
            return data.replace(b"<c ", b"<x:c ").replace(b"</c>", b"</x:c>")
        if how == "many-cells":
            return data.replace(
                b"</sheetData>",
                b"".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>'.encode() for n in range(2, 900))
                + b"</sheetData>",
            )
        return data[: len(data) // 2]

    return how, change


@st.composite
def corruption(draw, data: bytes):
    """Bytes of a file cut short, with bytes flipped or overwritten, or left whole."""
    how = draw(st.sampled_from(["none", "none", "truncate", "flip", "overwrite", "zeros"]))
    if how == "none" or not data:
        return data
    if how == "truncate":
        return data[: draw(st.integers(0, len(data) - 1))]
    if how == "zeros":
        at = draw(st.integers(0, len(data) - 1))
        return data[:at] + b"\x00" * min(64, len(data) - at) + data[at + 64 :]
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(buf) - 1))
        buf[at] = buf[at] ^ 0xFF if how == "flip" else draw(st.integers(0, 255))
    return bytes(buf)


@st.composite
def workbook_file(draw, words):
    fmt = draw(st.sampled_from(["xlsx", "xlsx", "xlsx", "xls", "ods"]))
    rows = draw(table(words, typed=True))
    if fmt == "xlsx":
        merges = []
        if rows and draw(st.booleans()):
            r, c = draw(st.integers(0, 3)), draw(st.integers(0, 5))
            merges.append((r, c, r + draw(st.integers(0, 2)), c + draw(st.integers(1, 4))))
        try:
            data = _xlsx_bytes(rows, merges)
        except Exception:  # a merge over another: xlsxwriter refuses it; write without
            data = _xlsx_bytes(rows)
        if draw(st.integers(0, 2)) == 0:
            _how, change = draw(dimension_edit())
            data = rezip(data, change)
        if draw(st.integers(0, 8)) == 0:  # a member dropped (no workbook.xml, no sheet)
            gone = draw(
                st.sampled_from([SHEET, "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"])
            )
            data = rezip(data, lambda name, member: None if name == gone else member)
    elif fmt == "xls":
        data = _xls_bytes([[c if not isinstance(c, tuple) else c[1] for c in row] for row in rows])
    else:
        big = draw(st.sampled_from([1, 1, 1, 2000, 1048576, 2**31 - 1]))
        data = _ods_bytes(rows, repeat_rows=big, repeat_cols=draw(st.sampled_from([1, 1, 300, 16384])))
    data = draw(corruption(data))
    name = draw(st.sampled_from([f"ds.{fmt}", f"ds.{fmt}", "ds.csv", "ds.xlsm", "ds"]))
    return name, data


@st.composite
def junk_file(draw):
    """Bytes that only look like a spreadsheet: a magic number and random bytes, an empty file, a zip of junk."""
    prefix = draw(st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf", b"%PDF-"]))
    data = prefix + draw(st.binary(max_size=2048))
    if draw(st.integers(0, 3)) == 0:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for n in range(draw(st.integers(0, 3))):
                archive.writestr(draw(st.sampled_from([SHEET, "xl/workbook.xml", "content.xml", f"m{n}"])), data)
        data = buffer.getvalue()
    return draw(st.sampled_from(["ds.xlsx", "ds.xls", "ds.ods", "ds.csv", "ds"])), data


def any_file(words):
    return st.one_of(csv_file(words), workbook_file(words), workbook_file(words), junk_file())


def print_figures(request, text: str) -> None:
    """A check's figures on the terminal, past pytest's capture (they are the point of `make check-long`)."""
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None:
        return
    if capture is None:
        reporter.write_line(text)
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(text)
