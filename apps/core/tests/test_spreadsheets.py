"""read_sheet on real files of every kind officials upload, written here with the libraries that make them."""

import datetime
import io
import os
import unicodedata
import zipfile
from xml.sax.saxutils import escape

import pytest
import xlsxwriter

from apps.core.spreadsheets import SAMPLE, SpreadsheetError, find_table, read_sheet

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính"]
# (Unicode, TCVN3 as a .VnTime file stores it, VNI as a VNI-Times file stores it), typed from UniKey's tables
HEADERS = [
    ("Họ và tên", "Hä vµ tªn", "Hoï vaø teân"),
    ("Ngày sinh", "Ngµy sinh", "Ngaøy sinh"),
    ("Giới tính", "Giíi tÝnh", "Giôùi tính"),
]
SEXES = [("Nam", "Nam", "Nam"), ("Nữ", "N÷", "Nöõ")]
PEOPLE = [
    ("Nguyễn Văn An", "NguyÔn V¨n An", "Nguyeãn Vaên An"),
    ("Nguyễn Thị Ánh Tuyết", "NguyÔn ThÞ ¸nh TuyÕt", "Nguyeãn Thò AÙnh Tuyeát"),
    ("Trần Văn Đức", "TrÇn V¨n §øc", "Traàn Vaên Ñöùc"),
    ("Huỳnh Thị Kiều Oanh", "Huúnh ThÞ KiÒu Oanh", "Huyønh Thò Kieàu Oanh"),
]
PLACES = [
    ("Trường Tiểu học Hải Châu", "Tr\xadêng TiÓu häc H¶i Ch©u", "Tröôøng Tieåu hoïc Haûi Chaâu"),
    ("Phường Hải Châu, Đà Nẵng", "Ph\xadêng H¶i Ch©u, §µ N½ng", "Phöôøng Haûi Chaâu, Ñaø Naüng"),
]
LEGACY = {"tcvn3": 1, "vni": 2}  # column of PEOPLE and PLACES


def xlsx(rows, merge=None, at=(0, 0)) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Danh sách")
    date = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write_datetime(at[0] + r, at[1] + c, value, date)
            elif value not in (None, ""):
                sheet.write(at[0] + r, at[1] + c, value)
    if merge:
        first_row, first_col, last_row, last_col, value = merge
        sheet.merge_range(first_row, first_col, last_row, last_col, value)
    workbook.close()
    return buffer.getvalue()


def xls(rows, merge=None) -> bytes:
    """A real BIFF8 workbook (Excel 97-2003), as xlwt writes it."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("Danh sách")
    date = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    start = 0
    if merge:
        first_row, first_col, last_row, last_col, value = merge
        sheet.write_merge(first_row, last_row, first_col, last_col, value)
        start = last_row + 1
    for r, row in enumerate(rows, start=start):
        for c, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write(r, c, value, date)
            elif value not in (None, ""):
                sheet.write(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ods(rows) -> bytes:
    """An OpenDocument spreadsheet as LibreOffice stores it: a zip whose first entry is the uncompressed
    mimetype, with the cells in content.xml."""
    cells = []
    for row in rows:
        xml = []
        for value in row:
            if isinstance(value, datetime.date):
                xml.append(f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}"/>')
            elif isinstance(value, int | float):
                xml.append(f'<table:table-cell office:value-type="float" office:value="{value}"/>')
            else:
                xml.append(
                    f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'
                )
        cells.append("<table:table-row>" + "".join(xml) + "</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Danh sách">'
        + "".join(cells)
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def csv_text(rows, delimiter=",") -> str:
    return "\r\n".join(delimiter.join(str(v) for v in row) for row in rows) + "\r\n"


def cp1258(text: str) -> bytes:
    """Windows-1258 as Windows writes it: ă â ê ô ơ ư đ are letters of the code page, tone marks are
    combining characters after them."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in decomposed if c in "\u0300\u0301\u0303\u0309\u0323")
        out.append(unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones)) + tones)
    return "".join(out).encode("cp1258")


def roster(column: int = 0):
    """A title row, an empty row, the header and the people, in Unicode (column 0) or a legacy font."""
    title = [PLACES[0][column], "", "", ""]
    header = ["STT", *(h[column] for h in HEADERS)]
    people = [
        [n, person[column], datetime.date(2015, 3, 9 + n), SEXES[n % 2][column]]
        for n, person in enumerate(PEOPLE, start=1)
    ]
    return [title, ["", "", "", ""], header, *people]


class TestWorkbooks:
    def test_an_xlsx_comes_back_as_text(self):
        sheet = read_sheet("ds.xlsx", xlsx([["Mã", "Điểm", "Ngày", "Tên"], [42, 7.5, datetime.date(2015, 3, 9), "An"]]))
        assert sheet.rows == [["Mã", "Điểm", "Ngày", "Tên"], ["42", "7.5", "09/03/2015", "An"]]
        assert sheet.legacy_encoding is None

    def test_true_and_false_are_not_mistaken_for_one_and_zero(self):
        # Equal values share one string; True == 1 and False == 0 as dict keys must not share theirs.
        sheet = read_sheet("ds.xlsx", xlsx([[1, True, 0, False], [True, 1, False, 0], [1, 1, 0, 0]]))
        assert sheet.rows == [["1", "True", "0", "False"], ["True", "1", "False", "0"], ["1", "1", "0", "0"]]

    def test_decomposed_unicode_comes_back_composed(self):
        decomposed = unicodedata.normalize("NFD", "Nguyễn  Thị Hoà ")
        sheet = read_sheet("ds.xlsx", xlsx([[decomposed]]))
        assert sheet.rows == [["Nguyễn Thị Hoà"]]
        assert len(sheet.rows[0][0]) == len("Nguyễn Thị Hoà")

    def test_an_xls_of_excel_97_is_read(self):
        data = xls(roster()[2:])
        assert data.startswith(b"\xd0\xcf\x11\xe0")
        sheet = read_sheet("ds.xls", data)
        assert sheet.rows[0] == HEADER
        assert sheet.rows[1] == ["1", "Nguyễn Văn An", "10/03/2015", "Nữ"]
        assert sheet.rows[4][1] == "Huỳnh Thị Kiều Oanh"

    def test_an_ods_is_read(self):
        sheet = read_sheet("ds.ods", ods(roster()[2:]))
        assert sheet.rows[0] == HEADER
        assert sheet.rows[2] == ["2", "Nguyễn Thị Ánh Tuyết", "11/03/2015", "Nam"]

    def test_merged_header_cells_are_filled_from_their_top_left_cell(self):
        rows = [["STT", "Họ và tên", "Ngày sinh", "", ""], ["", "", "Ngày", "Tháng", "Năm"], [1, "An", 9, 3, 2015]]
        data = xlsx(rows, merge=(0, 2, 0, 4, "Ngày sinh"))
        sheet = read_sheet("ds.xlsx", data)
        assert sheet.rows[0] == ["STT", "Họ và tên", "Ngày sinh", "Ngày sinh", "Ngày sinh"]
        assert sheet.rows[1] == ["", "", "Ngày", "Tháng", "Năm"]

    def test_merged_title_of_an_xls_is_filled_across(self):
        sheet = read_sheet("ds.xls", xls([HEADER, [1, "An", "", "Nam"]], merge=(0, 0, 0, 3, "Danh sách học sinh")))
        assert sheet.rows[0] == ["Danh sách học sinh"] * 4
        assert sheet.rows[1] == HEADER

    def test_a_sheet_that_starts_lower_down_keeps_its_cells_in_place(self):
        # Data from C3: rows and columns before it are there, empty, so that merged ranges (counted from A1)
        # and the row numbers shown to the user stay right.
        data = xlsx([["Danh sách", "", ""], ["Họ và tên", "Lớp", "Ghi chú"], ["An", "5A", ""]], at=(2, 2))
        sheet = read_sheet("ds.xlsx", data)
        assert sheet.rows[0] == ["", "", "", "", ""]
        assert sheet.rows[3] == ["", "", "Họ và tên", "Lớp", "Ghi chú"]
        assert sheet.rows[4] == ["", "", "An", "5A", ""]

    def test_merged_cells_of_a_sheet_that_starts_lower_down_are_filled(self):
        data = xlsx(
            [["", "", ""], ["Họ và tên", "Lớp", "Trường"], ["An", "5A", "X"]], merge=(2, 1, 2, 3, "Tiêu đề"), at=(2, 1)
        )
        sheet = read_sheet("ds.xlsx", data)
        assert sheet.rows[2] == ["", "Tiêu đề", "Tiêu đề", "Tiêu đề"]
        assert sheet.rows[3] == ["", "Họ và tên", "Lớp", "Trường"]

    def test_title_rows_above_the_header_are_kept_and_the_header_is_found_below_them(self):
        sheet = read_sheet("ds.xlsx", xlsx(roster()))
        assert sheet.rows[0][0] == "Trường Tiểu học Hải Châu"
        vocabulary = {"full_name": {"ho va ten"}, "sex": {"gioi tinh"}}
        header = find_table(sheet, vocabulary, {"full_name"})
        assert (header.first, header.last, header.columns) == (2, 2, {"full_name": 1, "sex": 3})

    def test_a_password_protected_workbook_is_named_as_such(self, tmp_path):
        from msoffcrypto.format.ooxml import OOXMLFile

        encrypted = io.BytesIO()
        OOXMLFile(io.BytesIO(xlsx(roster()))).encrypt("mat-khau", encrypted)
        data = encrypted.getvalue()
        assert data.startswith(b"\xd0\xcf\x11\xe0")  # a real encrypted package, an OLE file
        with pytest.raises(SpreadsheetError) as error:
            read_sheet("bi-mat.xlsx", data)
        assert "bi-mat.xlsx được đặt mật khẩu" in str(error.value)

    def test_an_empty_file_is_refused(self):
        with pytest.raises(SpreadsheetError) as error:
            read_sheet("rong.xlsx", b"")
        assert str(error.value) == "Tệp rong.xlsx rỗng."

    def test_random_bytes_are_not_a_spreadsheet(self):
        with pytest.raises(SpreadsheetError) as error:
            read_sheet("anh.xlsx", bytes([0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0x0D]) + os.urandom(2000))
        assert "không phải bảng tính hay CSV" in str(error.value)

    def test_text_in_no_known_encoding_is_refused(self):
        # Not UTF-8, and 0x81 0x8A are undefined in Windows-1258.
        with pytest.raises(SpreadsheetError) as error:
            read_sheet("la.csv", b"Ho ten,Lop\r\nAn\x81\x8a,5A\r\n")
        assert str(error.value) == "Không nhận ra bảng mã của tệp la.csv."

    def test_a_zip_that_is_not_a_workbook_is_refused(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("bao-cao.txt", "Không phải bảng tính")
        with pytest.raises(SpreadsheetError) as error:
            read_sheet("nen.xlsx", buffer.getvalue())
        assert "Không đọc được tệp nen.xlsx như một bảng tính" in str(error.value)

    def test_a_truncated_workbook_is_refused(self):
        with pytest.raises(SpreadsheetError) as error:
            read_sheet("hong.xlsx", xlsx(roster())[:3000])
        assert "Không đọc được tệp hong.xlsx" in str(error.value)

    def test_an_empty_workbook_has_no_rows(self):
        sheet = read_sheet("trong.xlsx", xlsx([]))
        assert sheet.rows == []


class TestCsv:
    def test_utf8(self):
        sheet = read_sheet("ds.csv", csv_text(roster()[2:]).encode("utf-8"))
        assert sheet.rows[0] == HEADER
        assert sheet.rows[2] == ["2", "Nguyễn Thị Ánh Tuyết", "2015-03-11", "Nam"]
        assert sheet.legacy_encoding is None

    def test_utf8_with_bom_and_semicolons(self):
        sheet = read_sheet("ds.csv", csv_text(roster()[2:], ";").encode("utf-8-sig"))
        assert sheet.rows[0] == HEADER  # no BOM glued to "STT"
        assert sheet.rows[3][1] == "Trần Văn Đức"

    def test_windows_1258(self):
        data = cp1258(csv_text(roster()))
        assert "Nguyễn".encode() not in data and b"Nguy\xea\xden" in data  # ê, then a combining tilde
        sheet = read_sheet("ds.csv", data)
        assert sheet.rows[0][0] == "Trường Tiểu học Hải Châu"
        assert [row[1] for row in sheet.rows[3:]] == [p[0] for p in PEOPLE]
        assert sheet.legacy_encoding is None


class TestLegacyFonts:
    @pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
    def test_an_xlsx_typed_in_a_legacy_font_comes_back_in_unicode(self, encoding):
        sheet = read_sheet("cu.xlsx", xlsx(roster(LEGACY[encoding])))
        assert sheet.legacy_encoding == encoding
        assert sheet.rows == read_sheet("moi.xlsx", xlsx(roster())).rows
        assert [row[1] for row in sheet.rows[3:]] == [p[0] for p in PEOPLE]

    def test_the_sheet_tells_the_user_which_font_it_was(self):
        assert read_sheet("cu.xlsx", xlsx(roster(1))).legacy_note == (
            "Tệp cu.xlsx được gõ bằng bảng mã TCVN3 (phông .VnTime); chữ đã được chuyển sang Unicode."
        )
        assert "bảng mã VNI (phông VNI-Times)" in read_sheet("cu.xlsx", xlsx(roster(2))).legacy_note
        assert read_sheet("moi.xlsx", xlsx(roster())).legacy_note == ""

    @pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
    def test_an_xls_typed_in_a_legacy_font_comes_back_in_unicode(self, encoding):
        sheet = read_sheet("cu.xls", xls(roster(LEGACY[encoding])))
        assert sheet.legacy_encoding == encoding
        assert sheet.rows[0][0] == "Trường Tiểu học Hải Châu"
        assert sheet.rows[4][1] == "Nguyễn Thị Ánh Tuyết"

    @pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
    def test_a_csv_saved_from_a_legacy_font_workbook_comes_back_in_unicode(self, encoding):
        # Excel saves "CSV" in the Western code page, which keeps the font's codes byte for byte.
        data = csv_text(roster(LEGACY[encoding])).encode("cp1252")
        sheet = read_sheet("cu.csv", data)
        assert sheet.legacy_encoding == encoding
        assert sheet.rows[0][0] == "Trường Tiểu học Hải Châu"
        assert [row[1] for row in sheet.rows[3:]] == [p[0] for p in PEOPLE]

    @pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
    def test_a_utf8_csv_of_legacy_text_comes_back_in_unicode(self, encoding):
        sheet = read_sheet("cu.csv", csv_text(roster(LEGACY[encoding])).encode("utf-8-sig"))
        assert sheet.legacy_encoding == encoding
        assert sheet.rows[5][1] == "Trần Văn Đức"

    def test_a_unicode_header_over_a_legacy_body_keeps_its_header(self):
        rows = [HEADER] + [[n, p[1], "", "N÷"] for n, p in enumerate(PEOPLE, start=1)]
        sheet = read_sheet("tron.xlsx", xlsx(rows))
        assert sheet.legacy_encoding == "tcvn3"
        assert sheet.rows[0] == HEADER
        assert sheet.rows[1] == ["1", "Nguyễn Văn An", "", "Nữ"]

    def test_rows_after_the_sample_are_converted_too(self):
        rows = [HEADER] + [[n, PEOPLE[n % 4][1], PLACES[n % 2][1], f"Th«n {n}"] for n in range(1, 3 * SAMPLE)]
        sheet = read_sheet("dai.xlsx", xlsx(rows))
        assert sheet.legacy_encoding == "tcvn3"
        assert len(sheet.rows) == 3 * SAMPLE
        assert sheet.rows[1] == ["1", "Nguyễn Thị Ánh Tuyết", "Phường Hải Châu, Đà Nẵng", "Thôn 1"]
        assert sheet.rows[-1] == [
            str(3 * SAMPLE - 1),
            "Huỳnh Thị Kiều Oanh",
            "Phường Hải Châu, Đà Nẵng",
            f"Thôn {3 * SAMPLE - 1}",
        ]
        legacy_marks = set("ÔÞ¨§¸µ½©«\xad")
        assert [row for row in sheet.rows if legacy_marks & set("".join(row))] == []

    @pytest.mark.parametrize(
        "rows",
        [
            [[v.strftime("%d/%m/%Y") if isinstance(v, datetime.date) else str(v) for v in row] for row in roster()],
            [
                ["Khách sạn", "Địa chỉ"],
                ["Café de la Paix", "Paris"],
                ["Hôtel du Nord", "Marseille"],
                ["José", "Córdoba"],
            ],
            [
                ["Họ tên", "Ghi chú"],
                ["Lê Hà", "ê ô â"],
                ["Tô Hoài", "Bé Tí"],
                ["Hoàng Toán", "Cà Mau"],
                ["Lê Bé", "Ô Môn"],
            ],
            [["Name", "Note"], ["François Müller", "Straße 5"], ["Loïc", "naïve"], ["Zoë", "Noël"], ["Peña", "año"]],
        ],
    )
    def test_unicode_files_are_left_exactly_as_they_were(self, rows):
        for name, data in (("u.xlsx", xlsx(rows)), ("u.ods", ods(rows)), ("u.csv", csv_text(rows).encode("utf-8"))):
            sheet = read_sheet(name, data)
            assert sheet.legacy_encoding is None, name
            assert sheet.rows == rows, name

    def test_western_csv_with_accents_is_not_taken_for_a_legacy_font(self):
        rows = [["Name", "City"], ["François Müller", "Zürich"], ["José Peña", "Córdoba"], ["Hôtel", "café"]]
        sheet = read_sheet("eu.csv", csv_text(rows).encode("cp1252"))
        assert sheet.legacy_encoding is None
        assert sheet.rows[1] == ["François Müller", "Zürich"]  # Windows-1258 reads these bytes the same
