"""Excel exports: typed cells, never a formula, files named after what they hold, stamped for what they contain."""

import datetime
import io
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from apps.core.exports import Percent, export_filename, xlsx_response

FORMULA = '=HYPERLINK("http://x","y")'


class Exporter:
    """Stands for the user who exports: the stamp needs only their user name."""

    def get_username(self):
        return "xa.tralinh"


def export(*rows, personal=True, filename="thu.xlsx", headers=None):
    """(the response, its sheet) for rows written under as many headers as the first row has values."""
    headers = headers or [f"Cột {n}" for n in range(1, len(rows[0]) + 1)]
    response = xlsx_response(
        filename=filename, title="DANH SÁCH", headers=headers, rows=rows, user=Exporter(), personal=personal
    )
    return response, load_workbook(io.BytesIO(response.content)).active


def first_row(*values):
    """The cells of the first data row (the fifth: title, stamp, a blank row and the headers come first)."""
    _response, sheet = export(values)
    return list(sheet.iter_rows(min_row=5, max_row=5))[0]


class TestTypedCells:
    def test_whole_and_decimal_numbers_are_number_cells(self):
        whole, decimal, real = first_row(12, Decimal("1250000.5"), 2.25)
        assert (whole.data_type, whole.value) == ("n", 12)
        assert (decimal.data_type, decimal.value) == ("n", 1250000.5)
        assert (real.data_type, real.value) == ("n", 2.25)

    def test_a_percentage_is_its_fraction_shown_as_a_percentage(self):
        (cell,) = first_row(Percent(Decimal("97.5")))
        assert cell.data_type == "n" and cell.value == 0.975 and cell.number_format == "0.0%"

    def test_a_date_is_a_date_cell_shown_day_month_year(self):
        (cell,) = first_row(datetime.date(2018, 9, 5))
        assert cell.is_date and cell.value == datetime.datetime(2018, 9, 5) and cell.number_format == "dd/mm/yyyy"

    def test_a_moment_is_a_date_time_cell_in_local_time(self):
        utc = datetime.datetime(2025, 9, 5, 1, 30, tzinfo=ZoneInfo("UTC"))
        (cell,) = first_row(utc)
        assert cell.is_date and cell.number_format == "dd/mm/yyyy hh:mm"
        assert cell.value == datetime.datetime(2025, 9, 5, 8, 30)  # Asia/Ho_Chi_Minh, as the user reads it

    def test_yes_is_written_and_no_and_nothing_leave_the_cell_empty(self):
        _response, sheet = export((True, False, None, "sau"))
        assert [sheet.cell(5, col).value for col in range(1, 5)] == ["Có", None, None, "sau"]

    def test_a_code_keeps_its_leading_zeros(self):
        (cell,) = first_row("0480012")
        assert (cell.data_type, cell.value) == ("s", "0480012")

    def test_text_that_looks_like_a_formula_stays_text(self):
        cells = first_row(FORMULA, "+84 905", "-1", "@ten", "http://x.vn")
        assert [(c.data_type, c.value) for c in cells] == [
            ("s", FORMULA),
            ("s", "+84 905"),
            ("s", "-1"),
            ("s", "@ten"),
            ("s", "http://x.vn"),
        ]
        assert all(c.hyperlink is None for c in cells)

    def test_a_title_or_header_that_looks_like_a_formula_stays_text(self):
        _response, sheet = export(("x",), headers=[FORMULA])
        assert (sheet["A4"].data_type, sheet["A4"].value) == ("s", FORMULA)

    def test_columns_are_as_wide_as_their_longest_text(self):
        name = "Nguyễn Thị Thu Hương Giang"
        _response, sheet = export((name, datetime.date(2018, 9, 5)), headers=["Tên", "Ngày"])
        assert sheet.column_dimensions["A"].width >= len(name) and sheet.column_dimensions["B"].width >= len(
            "05/09/2018"
        )


class TestStamp:
    def test_a_file_of_personal_records_says_who_when_and_that_it_holds_personal_data(self):
        _response, sheet = export(("Em Một",), personal=True)
        stamp = sheet["A2"].value
        assert re.fullmatch(r"Xuất bởi xa\.tralinh lúc \d\d/\d\d/\d{4} \d\d:\d\d\. Có dữ liệu cá nhân: .+", stamp)

    def test_a_file_of_counts_says_who_when_and_that_it_holds_no_personal_data(self):
        _response, sheet = export(("Thôn 1", 12), personal=False)
        stamp = sheet["A2"].value
        assert re.fullmatch(r"Xuất bởi xa\.tralinh lúc \d\d/\d\d/\d{4} \d\d:\d\d\. Số liệu tổng hợp, .+", stamp)
        assert stamp.endswith("không có dữ liệu cá nhân.") and "Có dữ liệu cá nhân" not in stamp


class TestFilename:
    def test_it_names_the_file_after_its_parts_in_plain_lower_case(self):
        assert export_filename("Học sinh", "48095002", "2025-2026") == "hoc-sinh-48095002-2025-2026.xlsx"

    def test_diacritics_spaces_and_punctuation_become_plain_words(self):
        assert export_filename("Điều tra", "TN01", "Xã Trà Linh", "2025 - 2026") == (
            "dieu-tra-tn01-xa-tra-linh-2025-2026.xlsx"
        )

    def test_empty_parts_are_left_out_and_numbers_are_taken(self):
        assert export_filename("hoc-sinh", None, "", 2025, ext="csv") == "hoc-sinh-2025.csv"

    def test_the_response_names_the_file_with_nothing_that_could_break_the_header(self):
        response, _sheet = export(("x",), filename='Học "sinh"; a=b\r\n.xlsx')
        assert response["Content-Disposition"] == 'attachment; filename="hoc-sinh-a-b.xlsx"'

    def test_a_name_from_the_helper_is_kept_as_it_is(self):
        response, _sheet = export(("x",), filename=export_filename("Học sinh", "48095002", "2025-2026"))
        assert response["Content-Disposition"] == 'attachment; filename="hoc-sinh-48095002-2025-2026.xlsx"'
