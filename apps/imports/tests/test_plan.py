"""The shared table reader: headers of one to three rows, and the rows around a table that are not data."""

from apps.core.spreadsheets import RowError
from apps.core.tests.test_spreadsheets import ods
from apps.imports.plan import Plan, TableReader, check_file
from apps.imports.registry import Importer
from apps.students.importers import FIELD_LABELS, vocabulary


def read(rows, required=({"full_name"},)):
    plan = Plan(filename="ds.ods")
    reader = TableReader(plan, vocabulary=vocabulary(), labels=FIELD_LABELS)
    body = reader.open(ods(rows), required)
    return plan, body


def test_a_three_row_header_reads_each_sub_heading_with_its_groups():
    rows = [
        ["STT", "Họ và tên", "Thông tin gia đình", "", "", ""],
        ["", "", "Cha", "", "Mẹ", ""],
        ["", "", "Họ tên", "Nghề nghiệp", "Họ tên", "Nghề nghiệp"],
        ["1", "Trẻ Ba Dòng", "Cha Ba Dòng", "Làm ruộng", "Mẹ Ba Dòng", "Buôn bán"],
    ]
    plan, body = read(rows)
    assert plan.header_rows == 3 and [n for n, _r in body] == [4]
    assert plan.columns == {
        "row_number": 0,
        "full_name": 1,
        "father_name": 2,
        "father_job": 3,
        "mother_name": 4,
        "mother_job": 5,
    }
    assert plan.header[5] == "Thông tin gia đình / Mẹ / Nghề nghiệp"


def test_a_data_row_right_under_a_one_row_header_is_data():
    plan, body = read([["STT", "Họ và tên", "Ngày sinh"], ["1", "Họ Và Tên Thật", "01/01/2018"]])
    assert plan.header_rows == 1 and [r[1] for _n, r in body] == ["Họ Và Tên Thật"]


def test_numbering_rows_repeated_headers_totals_and_signatures_are_not_data():
    rows = [
        ["STT", "Họ và tên", "Ngày sinh", "Lớp"],
        ["(1)", "(2)", "(3)", "(4)"],
        ["1", "Em Một", "01/01/2018", "2A"],
        ["", "Cộng: 1 học sinh"],
        ["STT", "Họ và tên", "Ngày sinh", "Lớp"],
        ["2", "Em Hai", "01/01/2018", "2B"],
        ["", "", "", "Trang 2"],
        ["", "Tổng số"],
        ["", "Trà Linh, ngày 05 tháng 9 năm 2025"],
        ["", "HIỆU TRƯỞNG"],
        ["", "Nguyễn Văn Ký"],
    ]
    _plan, body = read(rows)
    assert [r[1] for _n, r in body] == ["Em Một", "Em Hai", ""]
    assert [n for n, _r in body] == [3, 6, 7]


def test_the_mother_s_name_column_is_never_read_as_the_child_s():
    rows = [
        ["STT", "Họ đệm", "Tên", "Ngày sinh", "Mẹ", ""],
        ["", "", "", "", "Họ và tên", "Nghề nghiệp"],
        ["1", "Nguyễn Văn", "An", "01/01/2018", "Trần Thị Mẹ", "Làm ruộng"],
    ]
    plan, body = read(rows, required=({"full_name"}, {"last_middle_name", "given_name"}))
    assert plan.header_row == 1 and plan.header_rows == 2 and [n for n, _r in body] == [3]
    assert plan.columns["last_middle_name"] == 1 and plan.columns["given_name"] == 2
    assert "full_name" not in plan.columns and plan.columns["mother_job"] == 5


def test_a_group_heading_that_is_a_field_is_followed_by_its_sub_headings():
    rows = [
        ["STT", "Họ và tên", "", "Ngày sinh", "", ""],
        ["", "Họ đệm", "Tên", "Ngày", "Tháng", "Năm"],
        ["1", "Nguyễn Văn", "An", "5", "9", "2018"],
    ]
    plan, body = read(rows, required=({"full_name"}, {"last_middle_name", "given_name"}))
    assert plan.header_rows == 2 and [n for n, _r in body] == [3]
    assert {f: plan.columns.get(f) for f in ("last_middle_name", "given_name", "birth_day", "birth_month")} == {
        "last_middle_name": 1,
        "given_name": 2,
        "birth_day": 3,
        "birth_month": 4,
    }


def test_a_missing_column_keeps_the_header_so_the_mapping_can_be_fixed():
    plan = Plan(filename="ds.ods")
    reader = TableReader(plan, vocabulary=vocabulary(), labels=FIELD_LABELS)
    body = reader.open(ods([["STT", "Họ và tên"], ["1", "An"]]), ({"full_name"},), columns={"full_name": None})
    assert body is None and plan.header == ["STT", "Họ và tên"] and plan.header_row == 1 and plan.errors


def test_a_list_printed_class_by_class_is_read_past_each_signature():
    header = ["STT", "Họ và tên", "Ngày sinh", "Lớp"]
    rows = [header, ["1", "Em Lớp Một", "01/01/2018", "2A"], ["", "HIỆU TRƯỞNG"], ["", "Nguyễn Văn Ký"]]
    rows += [header, ["1", "Em Lớp Hai", "01/01/2018", "2B"], ["", "Người lập biểu"], ["", "Trần Thị Lập"]]
    plan, body = read(rows)
    assert [r[1] for _n, r in body] == ["Em Lớp Một", "Em Lớp Hai"] and plan.notes == []


def test_rows_left_under_a_signature_are_said_not_dropped():
    rows = [["STT", "Họ và tên", "Ngày sinh"], ["1", "Em Một", "01/01/2018"], ["", "HIỆU TRƯỞNG"]]
    rows += [[str(n), f"Em Sau Chữ Ký {n}", "01/01/2018"] for n in range(2, 7)]
    plan, body = read(rows)
    assert [r[1] for _n, r in body] == ["Em Một"]
    assert plan.notes and "5 dòng dưới phần chữ ký (từ dòng 4 đến 8)" in plan.notes[0]


def test_given_names_that_fold_like_total_words_are_read():
    plan, body = read([["STT", "Họ và tên"], ["", "Công"], ["", "Cộng: 1 học sinh"], ["", "Tống Văn Tổng"]])
    assert [r[1] for _n, r in body] == ["Công", "Tống Văn Tổng"]


class Pets(Importer):
    """A kind made up for the test: a name required, an age that must be a number, duplicates refused."""

    name = "tests.pets"
    fields = {"name": "Tên", "age": "Tuổi"}
    required = ({"name"},)

    def vocabulary(self):
        return {"name": {"ten"}, "age": {"tuoi"}}

    def parse_row(self, run, number, row, error):
        name, age = run.reader.cell(row, "name"), run.reader.cell(row, "age")
        if name == "bỏ qua":
            return None
        if not age.isdigit():
            error("age", age, "không phải số")
            error("age", age, "thiếu tuổi")
        return (number, name, age)

    def check(self, run):
        names = [r[1] for r in run.plan.rows]
        kept = []
        for number, name, age in run.plan.rows:
            if names.count(name) > 1:
                run.plan.reject(number, None, [RowError(number, "Tên", name, "trùng tên")])
            else:
                kept.append((number, name, age))
        run.plan.rows = kept


def test_every_kind_is_read_the_same_way_row_by_row_then_across_rows():
    rows = [["Tên", "Tuổi"], ["Mèo", "3"], ["Chó", "x"], ["bỏ qua", ""], ["Gà", "1"], ["Gà", "2"], ["Cộng", "6"]]
    seen = []
    plan = check_file(
        Pets(), actor=None, filename="p.ods", data=ods(rows), params={}, progress=lambda d, t: seen.append((d, t))
    )
    assert plan.rows == [(2, "Mèo", "3")]
    assert sorted(plan.rejected) == [3, 5, 6]  # each bad row once, with every reason; the total row is no row
    assert plan.rejected[3] == (["Chó", "x", ""], ["Tuổi: không phải số", "Tuổi: thiếu tuổi"])
    assert seen[-1] == (5, 5)


class TestRejectedWorkbook:
    def test_cells_come_back_as_the_text_they_were_never_as_formulas(self):
        import io

        from openpyxl import load_workbook

        from apps.imports.plan import rejected_workbook

        formula = '=HYPERLINK("http://x","y")'
        plan = Plan(filename="ds.xlsx", header=["Mã học sinh", "Họ và tên", "Điện thoại"])
        plan.reject(7, ["0480012", formula, "+84 905 000 000"], [RowError(7, "Họ và tên", formula, "không hợp lệ")])
        sheet = load_workbook(io.BytesIO(rejected_workbook(plan))).active
        code, name, phone, reason, number = next(sheet.iter_rows(min_row=2, max_row=2))
        assert [(c.data_type, c.value) for c in (code, name, phone)] == [
            ("s", "0480012"),
            ("s", formula),
            ("s", "+84 905 000 000"),
        ]
        assert reason.data_type == "s" and reason.value == "Họ và tên: không hợp lệ"
        assert (number.data_type, number.value) == ("n", 7)
