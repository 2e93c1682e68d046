"""Hostile and oversized spreadsheets are refused before any reader allocates their grid, with the limit named;
readers that still blow up do so in a child process, never in the worker."""

import io
import os
import time
import zipfile

import pytest
import xlsxwriter

from apps.core import sheetguard
from apps.core.spreadsheets import SpreadsheetError, read_sheet


def sparse_xlsx() -> bytes:
    """1.6 KB: a cell at A1 and one at XFD1048576 (python-calamine would allocate 17 billion cells)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write(0, 0, "Họ và tên")
    sheet.write(1048575, 16383, "x")
    book.close()
    return buffer.getvalue()


def handmade_xlsx(sheet_xml: bytes, *, deflate: bool = True) -> bytes:
    """A minimal workbook around the given sheet XML, the way any writer lays it out."""
    buffer = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    with zipfile.ZipFile(buffer, "w", method) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="DS" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buffer.getvalue()


def sheet_xml(dimension: str, rows: list[tuple[int, list[str]]], padding: int = 0) -> bytes:
    body = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{ref}" t="inlineStr"><is><t>v</t></is></c>' for ref in refs) + "</row>"
        for r, refs in rows
    )
    return (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{body}</sheetData>{" " * padding}</worksheet>'
    ).encode()


class TestPrescan:
    def test_the_sparse_grid_is_refused_in_a_moment_naming_the_far_cell(self):
        data = sparse_xlsx()
        assert len(data) < 8000
        started = time.monotonic()
        with pytest.raises(SpreadsheetError) as error:
            read_sheet("thua.xlsx", data)
        assert time.monotonic() - started < 5
        assert "thua.xlsx" in str(error.value) and "XFD1048576" in str(error.value)

    def test_a_declared_grid_over_the_row_limit_is_refused_before_reading(self, settings):
        settings.IMPORT_MAX_ROWS = 50_000
        data = handmade_xlsx(sheet_xml("A1:Z100000", [(1, ["A1", "B1"]), (2, ["A2"])]))
        with pytest.raises(SpreadsheetError) as error:
            read_sheet("khai-bao.xlsx", data)
        assert "Z100000" in str(error.value) and "50.000 dòng" in str(error.value)

    def test_a_declared_100000_by_26_grid_is_refused_under_the_default_limits(self):
        data = handmade_xlsx(sheet_xml("A1:Z100000", [(1, ["A1", "B1"]), (2, ["A2"])]))
        started = time.monotonic()
        with pytest.raises(SpreadsheetError) as error:
            read_sheet("khai-bao.xlsx", data)
        assert time.monotonic() - started < 5
        message = str(error.value)
        assert "khai-bao.xlsx" in message and "Z100000" in message and "2 dòng có dữ liệu" in message
        assert "50.000 dòng" in message

    def test_a_sparse_grid_to_its_far_cell_is_refused_and_a_dense_one_read(self, settings):
        settings.IMPORT_SPARSE_ROWS = 50
        sparse = handmade_xlsx(sheet_xml("A1:A1", [(1, ["A1", "B1"]), (2, ["A2"]), (70, ["AB70"])]))
        with pytest.raises(SpreadsheetError, match="AB70"):
            read_sheet("thua.xlsx", sparse)
        dense = handmade_xlsx(sheet_xml("A1:B60", [(r, [f"A{r}", f"B{r}"]) for r in range(1, 61, 2)]))
        assert len(read_sheet("day.xlsx", dense).rows) == 59  # a blank row between each: half the rows, dense enough

    @pytest.mark.parametrize(
        "cell,prefix", [("A999999999", ""), ("C400000", ""), ("IV65536", ""), ("A999999999", "x:")]
    )
    def test_a_cell_placed_far_below_its_row_is_found(self, cell, prefix):
        """calamine places a cell by its own reference: A999999999 inside `<row r="1">` is a billion-row grid (it
        aborted the process before the pre-scan read cells' rows)."""
        xml = sheet_xml("A1:B2", [(1, ["A1", "B1"]), (2, ["A2", cell])])
        if prefix:
            xml = xml.replace(b"<c ", b"<x:c ").replace(b"</c>", b"</x:c>")
        with pytest.raises(SpreadsheetError) as error:
            read_sheet("xa.xlsx", data=handmade_xlsx(xml))
        assert cell in str(error.value) or f"dòng {int(cell.lstrip('ABCIV')):,}".replace(",", ".") in str(error.value)

    def test_cells_really_present_far_out_are_found_even_under_a_small_dimension(self, settings):
        data = handmade_xlsx(sheet_xml("A1:B2", [(1, ["A1"]), (2, ["B2", "ZZZ2"])]))
        with pytest.raises(SpreadsheetError) as error:
            read_sheet("cot.xlsx", data)
        assert "ZZZ" in str(error.value) and f"{settings.IMPORT_MAX_COLUMNS} cột" in str(error.value)

    def test_a_zip_bomb_stops_at_the_uncompressed_limit(self, settings):
        settings.IMPORT_MAX_UNCOMPRESSED_MB = 1
        data = handmade_xlsx(sheet_xml("A1:A1", [(1, ["A1"])], padding=3 * 2**20))
        assert len(data) < 20_000  # three megabytes of spaces deflate to a few kilobytes
        with pytest.raises(SpreadsheetError) as error:
            read_sheet("bom.xlsx", data)
        assert "1 MB" in str(error.value)

    def test_an_ordinary_workbook_passes(self):
        data = handmade_xlsx(sheet_xml("A1:B2", [(1, ["A1", "B1"]), (2, ["A2", "B2"])]))
        assert read_sheet("ok.xlsx", data).rows == [["v", "v"], ["v", "v"]]


@pytest.mark.parametrize(
    "tags",
    [b"<row><c/><c/><c/><c/><c/><c/><c/><c/><c/><c/></row>", b'<row r="1"><c r="AB1"/><c r="AC1"/></row>'],
    ids=["without positions", "wide columns"],
)
def test_the_scan_of_a_dense_sheet_deflated_to_kilobytes_stays_small(tags):
    """Tags a few bytes each, a megabyte and more of them deflated into a few kilobytes (the importer fuzzing found
    one that made the scan hold 49 MB of matches at once): the scan holds a chunk's worth, not the sheet's."""
    import tracemalloc

    data = handmade_xlsx(b"<worksheet><sheetData>" + tags * (2 * 2**20 // len(tags)) + b"</sheetData></worksheet>")
    assert len(data) < 20_000
    tracemalloc.start()
    try:
        assert sheetguard.prescan_xlsx("day.xlsx", data)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 12 * 2**20, f"{peak / 2**20:.1f} MB"


class TestRowLimit:
    def test_reading_stops_as_soon_as_the_file_is_over_the_row_limit(self, settings, monkeypatch):
        settings.IMPORT_MAX_ROWS = 10
        monkeypatch.setattr(sheetguard, "ROW_MARGIN", 5)
        data = "".join(f"{n},Tên {n}\n" for n in range(100_000)).encode()
        with pytest.raises(SpreadsheetError) as error:
            read_sheet("dai.csv", data)
        assert "hơn 10 dòng" in str(error.value)


class TestChildReader:
    def test_a_reader_that_aborts_kills_only_its_child(self):
        with pytest.raises(sheetguard.TooLarge) as error:
            sheetguard.read_in_child(lambda name, data: os.abort(), "hong.ods", b"")
        assert "hong.ods" in str(error.value) and "quá lớn hoặc hỏng" in str(error.value)
        assert sheetguard.read_in_child(lambda name, data: (name, len(data)), "a.ods", b"abc") == ("a.ods", 3)

    def test_a_reader_over_the_memory_limit_fails_in_its_child(self, settings):
        settings.IMPORT_MEMORY_MB = 64
        with pytest.raises(sheetguard.TooLarge):
            sheetguard.read_in_child(lambda name, data: bytearray(512 * 2**20), "to.xls", b"")

    def test_errors_of_the_reader_come_back_as_themselves(self):
        def refuse(name, data):
            raise SpreadsheetError("không đọc được")

        with pytest.raises(SpreadsheetError, match="không đọc được"):
            sheetguard.read_in_child(refuse, "x.xls", b"")


def test_a_child_that_hangs_is_killed_after_its_time(monkeypatch):
    monkeypatch.setattr(sheetguard, "CHILD_SECONDS", 1)
    started = time.monotonic()
    with pytest.raises(sheetguard.TooLarge):
        sheetguard.read_in_child(lambda name, data: time.sleep(30), "treo.ods", b"")
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    "cell",
    [
        '<c s="0" r="XFD1048576" t="inlineStr"><is><t>v</t></is></c>',
        "<c r='XFD1048576' t='inlineStr'><is><t>v</t></is></c>",
        '<x:c r="XFD1048576" t="inlineStr"><x:is><x:t>v</x:t></x:is></x:c>',
    ],
)
def test_the_far_cell_is_found_whatever_the_writer_s_attribute_order_quotes_or_prefix(cell):
    xml = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>v</t></is></c></row>'
        f'<row spans="1:16384" r="1048576">{cell}</row></sheetData></worksheet>'
    ).encode()
    with pytest.raises(SpreadsheetError) as error:
        read_sheet("lach.xlsx", handmade_xlsx(xml))
    assert "XFD1048576" in str(error.value) or "1.048.576" in str(error.value)


def test_a_zip_that_is_not_a_plain_workbook_is_read_in_a_child(monkeypatch):
    from apps.core.tests.test_spreadsheets import ods

    data = ods([["Họ và tên"], ["Nguyễn Văn An"]])
    reordered = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(reordered, "w") as target:
        for info in reversed(source.infolist()):  # "mimetype" no longer first
            target.writestr(info.filename, source.read(info.filename))
    calls = []
    real = sheetguard.read_in_child
    monkeypatch.setattr(sheetguard, "read_in_child", lambda *a: calls.append(a[1]) or real(*a))
    assert read_sheet("ds.ods", reordered.getvalue()).rows[1] == ["Nguyễn Văn An"]
    assert calls == ["ds.ods"]
