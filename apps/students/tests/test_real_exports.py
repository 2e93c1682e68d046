"""Rosters laid out the way school-management systems really export them: a two-row header (single columns merged
down over both rows, "Thông tin cha mẹ" merged across its sub-headings), the header printed again on every page,
sub-total rows, and the signature block written in the name column. They import whole, from the web and the
command line; an .ods (which carries no merges) is read from its cells."""

import datetime
import io

import pytest
import xlsxwriter
from django.core.management import call_command
from django.urls import reverse

from apps.core.tests.test_spreadsheets import ods
from apps.imports.models import ImportJob
from apps.schools.models import SchoolYear
from apps.students.importers import plan_roster
from apps.students.models import Enrolment

SINGLE = ["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Lớp"]
GROUP, SUBS = "Thông tin cha mẹ", ["Họ tên cha/mẹ", "Số điện thoại"]
SIGNATURE = ["Trà Linh, ngày 05 tháng 9 năm 2025", "HIỆU TRƯỞNG", "Người lập biểu", "", "Hồ Thị Ký", "Đinh Văn Lập"]
STUDENTS = 230
PAGE = 100


def students(n=STUDENTS):
    for i in range(1, n + 1):
        yield [
            i,
            f"RX{i:04d}",
            f"Học Sinh Thật Số {i}",
            (datetime.date(2017, 1, 1) + datetime.timedelta(days=i)).strftime("%d/%m/%Y"),
            "Nữ" if i % 2 else "Nam",
            "Xơ Đăng",
            "3A" if i <= 120 else "3B",
            f"Phụ Huynh Số {i}",
            f"09{i:08d}",
        ]


def layout():
    """The rows of the export, each as ("header" | "student" | "total" | "signature", cells)."""
    out, count = [], 0
    previous_class = None
    for row in students():
        if previous_class and row[6] != previous_class:
            out.append(("total", ["", "", f"Cộng: {count} học sinh"]))
            count = 0
        if (row[0] - 1) % PAGE == 0:
            out.append(("header", None))
        out.append(("student", row))
        previous_class, count = row[6], count + 1
    out.append(("total", ["", "", f"Cộng: {count} học sinh"]))
    out.append(("total", ["", "", "Tổng cộng", "", "", "", "", "", ""]))
    out += [("signature", ["", "", text]) for text in SIGNATURE]
    return out


def real_xlsx() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.merge_range(0, 0, 0, 8, "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO — TRƯỜNG PTDTBT TIỂU HỌC TRÀ NAM")
    sheet.write(1, 0, "DANH SÁCH HỌC SINH NĂM HỌC 2025 - 2026")
    r = 3
    for kind, cells in layout():
        if kind == "header":  # two rows: single columns merged down, the group merged across its sub-headings
            for col, title in enumerate(SINGLE):
                sheet.merge_range(r, col, r + 1, col, title)
            sheet.merge_range(r, 7, r, 8, GROUP)
            sheet.write_row(r + 1, 7, SUBS)
            r += 2
        else:
            sheet.write_row(r, 0, cells)
            r += 1
    book.close()
    return buffer.getvalue()


def real_ods() -> bytes:
    rows = [["PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"], ["DANH SÁCH HỌC SINH NĂM HỌC 2025 - 2026"], []]
    for kind, cells in layout():
        if kind == "header":  # no merges in an .ods as calamine reads it: the text sits in the top-left cell only
            rows.append([*SINGLE, GROUP, ""])
            rows.append([""] * len(SINGLE) + SUBS)
        else:
            rows.append(cells)
    return ods(rows)


@pytest.fixture
def year(cast):
    return SchoolYear.objects.get(province=cast.province, start_year=2025)


@pytest.mark.parametrize("name,build", [("ds.xlsx", real_xlsx), ("ds.ods", real_ods)])
def test_a_real_export_is_read_whole(cast, year, name, build):
    plan = plan_roster(actor=cast.principal_a, filename=name, data=build(), year=year, school=cast.school_a)
    assert plan.errors == [] and len(plan.rows) == STUDENTS
    assert plan.header_row == 4 and plan.header_rows == 2
    assert plan.columns["guardian_name"] == 7 and plan.columns["phone"] == 8 and plan.columns["birth_date"] == 3
    assert plan.header[8] == "Thông tin cha mẹ / Số điện thoại"
    names = {r.full_name for r in plan.rows}
    assert "Hồ Thị Ký" not in names and not any(n.startswith(("Cộng", "Họ và tên")) for n in names)
    last = plan.rows[-1]
    assert last.full_name == f"Học Sinh Thật Số {STUDENTS}" and last.guardians[0][0] == f"Phụ Huynh Số {STUDENTS}"


def test_a_real_export_imports_from_the_web(cast, year, client_for, django_capture_on_commit_callbacks):
    file = io.BytesIO(real_xlsx())
    file.name = "ds.xlsx"
    client = client_for(cast.principal_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("imports:new", args=["students.roster"]),
            {"school": cast.school_a.pk, "year": year.pk, "file": file},
        )
    job = ImportJob.objects.get()
    assert job.summary["error_count"] == 0 and job.summary["rows"] == STUDENTS
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and job.summary["result"]["created_enrolments"] == STUDENTS
    assert Enrolment.objects.filter(school=cast.school_a, student_code__startswith="RX").count() == STUDENTS


def test_a_real_export_imports_from_the_command_line(cast, year, tmp_path, capsys):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(real_xlsx())
    call_command(
        "import_students", str(path), "--year", "2025-2026", "--school", cast.school_a.moet_code, "--user", "admin"
    )
    out = capsys.readouterr()
    assert f"{STUDENTS} dòng hợp lệ, 0 lỗi" in out.out and out.err == ""
    assert Enrolment.objects.filter(school=cast.school_a, student_code__startswith="RX").count() == STUDENTS


def test_a_note_that_mentions_a_date_does_not_end_the_table(cast, year):
    rows = ["STT,Họ và tên,Ngày sinh,Giới tính,Lớp,Ghi chú"]
    rows += ["1,Ngày Tháng Năm,01/02/2018,Nam,2A,Chuyển đến ngày 05 tháng 9 năm 2025", "2,Người Sau,01/02/2018,Nam,2A,"]
    plan = plan_roster(
        actor=cast.principal_a, filename="ds.csv", data="\n".join(rows).encode(), year=year, school=cast.school_a
    )
    assert plan.errors == [] and [r.full_name for r in plan.rows] == ["Ngày Tháng Năm", "Người Sau"]


def test_a_student_named_tong_is_a_student(cast, year):
    data = "STT,Họ và tên,Ngày sinh,Giới tính,Lớp\n,Tống Văn Cộng,01/02/2018,Nam,2A\n".encode()
    plan = plan_roster(actor=cast.principal_a, filename="ds.csv", data=data, year=year, school=cast.school_a)
    assert [r.full_name for r in plan.rows] == ["Tống Văn Cộng"]


def namesake_roster() -> bytes:
    header = "STT,Mã học sinh,Họ và tên,Ngày sinh,Giới tính,Lớp,Thôn,Xã,Tỉnh\n"
    return (header + "1,NS0001,Trùng Thôn Ba,01/02/2018,Nam,2A,Thôn 3,xã Trà Linh,TP Đà Nẵng\n").encode()


def test_a_namesake_hamlet_is_a_question_never_a_blank(cast, year, client_for, django_capture_on_commit_callbacks):
    client = client_for(cast.principal_a)
    file = io.BytesIO(namesake_roster())
    file.name = "ds.csv"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("imports:new", args=["students.roster"]),
            {"school": cast.school_a.pk, "year": year.pk, "file": file},
        )
    job = ImportJob.objects.get()
    (question,) = job.summary["questions"]
    assert question["key"] == "hamlet:20950|Thôn 3" and job.summary["question_count"] == 1
    assert [label for _v, label in question["candidates"]] == ["Thôn 3 (xã Trà Linh cũ)", "Thôn 3 (xã Trà Nam cũ)"]
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "có nhiều thôn mang tên này" in page and "Thôn 3 (xã Trà Nam cũ)" in page
    chosen = question["candidates"][1][0]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:revise", args=[job.pk]), {"q-0": chosen})
    job.refresh_from_db()
    assert job.summary["question_count"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[job.pk]))
    enrolment = Enrolment.objects.get(student_code="NS0001")
    assert enrolment.child.hamlet_id == int(chosen) and enrolment.child.hamlet.qualifier == "xã Trà Nam cũ"


def test_a_namesake_hamlet_exits_3_on_the_command_line_until_decided(cast, year, tmp_path, capsys):
    path, draft = tmp_path / "ds.csv", tmp_path / "quyet-dinh.csv"
    path.write_bytes(namesake_roster())
    args = [str(path), "--year", "2025-2026", "--school", cast.school_a.moet_code, "--user", "xa.tralinh"]
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_students", *args, "--write-decisions", str(draft))
    assert exit_info.value.code == 3 and "Thôn 3 (xã Trà Nam cũ)" in capsys.readouterr().out
    lines = draft.read_text(encoding="utf-8").splitlines()
    (row,) = [line for line in lines if line.startswith("hamlet,")]
    chosen = row.split(",")[3].split(" | ")[1].split()[0]  # the Trà Nam one
    draft.write_text("\n".join([lines[0], row + chosen]) + "\n", encoding="utf-8")
    call_command("import_students", *args, "--decisions", str(draft))
    assert Enrolment.objects.get(student_code="NS0001").child.hamlet.qualifier == "xã Trà Nam cũ"


def test_a_former_commune_written_in_the_address_tells_namesake_hamlets_apart(cast, year):
    header = "STT,Họ và tên,Ngày sinh,Giới tính,Lớp,Địa chỉ\n"
    data = (header + '1,Địa Chỉ Cũ,01/02/2018,Nam,2A,"Thôn 3, xã Trà Nam cũ, xã Trà Linh"\n').encode()
    plan = plan_roster(actor=cast.principal_a, filename="ds.csv", data=data, year=year, school=cast.school_a)
    assert plan.errors == [] and plan.typed_questions() == []
    (row,) = plan.rows
    assert row.commune.code == "20950" and row.hamlet.name == "Thôn 3" and row.hamlet.qualifier == "xã Trà Nam cũ"


def test_one_child_twice_at_one_school_is_refused_on_the_second_row(cast, year):
    header = "STT,Họ và tên,Số định danh cá nhân,Ngày sinh,Giới tính,Lớp\n"
    rows = "1,Hai Lần,048218555555,01/02/2018,Nam,2A\n2,Hai Lần,048218555555,01/02/2018,Nam,2A\n"
    plan = plan_roster(
        actor=cast.principal_a, filename="ds.csv", data=(header + rows).encode(), year=year, school=cast.school_a
    )
    assert len(plan.rows) == 1 and any("Dòng 3" in str(e) and "trùng với dòng 2" in str(e) for e in plan.errors)
