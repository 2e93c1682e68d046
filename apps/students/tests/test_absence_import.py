"""Absences imported through the import layer, from workbooks shaped like the registers schools' software exports:
the month grid (SMAS-style: title rows, a three-row header with the days under "Ngày trong tháng" and the weekdays
under them, a total row, the homeroom teacher's signature) and the list of absent days (vnEdu-style)."""

import datetime
import io

import pytest
import xlsxwriter
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.imports.models import ImportJob
from apps.students.models import ClassGroup, Enrolment
from apps.students.records import Absence

WEEKDAYS = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")


@pytest.fixture
def class_a(cast):
    return ClassGroup.objects.get(school=cast.school_a, name="1A", year__start_year=2025)


@pytest.fixture
def pupils(class_a):
    """Three pupils of 1A: the first found by its student code, the second by its learner ID, the third by name."""
    found = list(Enrolment.objects.filter(class_group=class_a).select_related("child").order_by("pk")[:3])
    child = found[1].child
    child.learner_id = "4809500212345"
    child.save(update_fields=["learner_id"])
    return found


def month_grid(rows, *, month=(10, 2025)) -> bytes:
    """A month register as SMAS prints it: rows are (code, learner id, name, {day: mark})."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Diem danh")
    bold = book.add_format({"bold": True, "align": "center"})
    sheet.write(0, 0, "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", bold)
    sheet.merge_range(1, 0, 1, 20, "SỔ ĐIỂM DANH HỌC SINH", bold)
    sheet.write(2, 0, f"Lớp: 1A    Tháng {month[0]:02d} năm {month[1]}")
    days = 31
    first = 4
    for col, title in enumerate(["STT", "Mã học sinh", "Mã định danh", "Họ và tên", "Ngày sinh"]):
        sheet.merge_range(first, col, first + 2, col, title, bold)
    sheet.merge_range(first, 5, first, 5 + days - 1, "Ngày trong tháng", bold)
    for d in range(1, days + 1):
        sheet.write_number(first + 1, 4 + d, d, bold)
        sheet.write(first + 2, 4 + d, WEEKDAYS[datetime.date(month[1], month[0], d).weekday()], bold)
    sheet.merge_range(first, 5 + days, first, 6 + days, "Tổng số ngày nghỉ", bold)
    sheet.merge_range(first + 1, 5 + days, first + 2, 5 + days, "Có phép", bold)
    sheet.merge_range(first + 1, 6 + days, first + 2, 6 + days, "Không phép", bold)
    r = first + 3
    for n, (code, learner, name, marks) in enumerate(rows, start=1):
        sheet.write_number(r, 0, n)
        sheet.write_string(r, 1, code)
        sheet.write_string(r, 2, learner)
        sheet.write_string(r, 3, name)
        sheet.write_string(r, 4, "01/01/2019")
        for d, mark in marks.items():
            sheet.write_string(r, 4 + d, mark)
        sheet.write_number(r, 5 + days, sum(m.upper() == "P" for m in marks.values()))
        sheet.write_number(r, 6 + days, sum(m.upper() != "P" for m in marks.values()))
        r += 1
    sheet.write(r, 3, "Cộng")
    sheet.write(r + 2, 20, "Trà Linh, ngày 31 tháng 10 năm 2025")
    sheet.write(r + 3, 20, "GIÁO VIÊN CHỦ NHIỆM")
    book.close()
    return buffer.getvalue()


def absent_list(rows) -> bytes:
    """A list of absent days as vnEdu exports it: rows are (code, name, date, kind)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write(0, 0, "DANH SÁCH HỌC SINH NGHỈ HỌC")
    sheet.write(1, 0, "Từ ngày 01/10/2025 đến ngày 31/10/2025")
    for col, title in enumerate(["STT", "Mã HS", "Họ tên học sinh", "Lớp", "Ngày nghỉ", "Có phép/Không phép", "Lý do"]):
        sheet.write(3, col, title)
    for n, (code, name, day, kind) in enumerate(rows, start=1):
        sheet.write_number(3 + n, 0, n)
        sheet.write_string(3 + n, 1, code)
        sheet.write_string(3 + n, 2, name)
        sheet.write_string(3 + n, 3, "1A")
        sheet.write_datetime(3 + n, 4, datetime.datetime.combine(day, datetime.time()), dates)
        sheet.write_string(3 + n, 5, kind)
        sheet.write_string(3 + n, 6, "Ốm")
    book.close()
    return buffer.getvalue()


def upload(client, group, data, *, month="10/2025", name="diemdanh.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(
        reverse("imports:new", args=["students.absences"]), {"class_group": group.pk, "month": month, "file": file}
    )


class TestMonthGrid:
    def test_the_homeroom_teacher_imports_a_month_with_the_preview_then_confirms(
        self, cast, class_a, pupils, client_for, django_capture_on_commit_callbacks
    ):
        first, second, third = pupils
        data = month_grid(
            [
                (first.student_code, "", first.child.full_name.upper(), {6: "K", 7: "K", 8: "p"}),
                ("", "4809500212345", "", {9: "x"}),
                ("", "", third.child.full_name, {}),
            ]
        )
        Absence.objects.create(enrolment=third, on=datetime.date(2025, 10, 13), excused=False)  # blank in the file
        client = client_for(cast.teacher_a)
        with django_capture_on_commit_callbacks(execute=True):
            response = upload(client, class_a, data)
        job = ImportJob.objects.get()
        assert response["Location"] == reverse("imports:detail", args=[job.pk])
        assert job.status == "checked" and job.summary["error_count"] == 0, job.summary["errors"]
        assert job.summary["rows"] == 3 and job.summary["header_row"] == 5
        assert [r["match"] for r in job.summary["first_rows"]] == ["mã học sinh", "mã định danh", "họ tên"]
        assert not Absence.objects.filter(enrolment=first).exists()  # nothing written before confirming
        page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
        assert "Sổ điểm danh tháng 10/2025" in page and "1 ngày nghỉ có phép, 3 ngày nghỉ không phép" in page
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("imports:confirm", args=[job.pk]))
        job.refresh_from_db()
        assert job.status == "done", job.summary
        assert sorted(Absence.objects.filter(enrolment=first).values_list("on", "excused")) == [
            (datetime.date(2025, 10, 6), False),
            (datetime.date(2025, 10, 7), False),
            (datetime.date(2025, 10, 8), True),
        ]
        assert Absence.objects.filter(enrolment=second, on=datetime.date(2025, 10, 9), excused=False).exists()
        assert not Absence.objects.filter(enrolment=third).exists()  # the whole month: the blank day is present
        logged = AuditEvent.objects.filter(action="students.absences_record").latest("pk")
        assert logged.changes["via"] == "import" and logged.changes["removed"] == 1

    def test_bad_rows_are_named_by_row_column_and_value(
        self, cast, class_a, pupils, client_for, django_capture_on_commit_callbacks
    ):
        first = pupils[0]
        data = month_grid([(first.student_code, "", first.child.full_name, {5: "K", 6: "Q"}), ("", "", "Trẻ Lạ", {})])
        with django_capture_on_commit_callbacks(execute=True):
            upload(client_for(cast.teacher_a), class_a, data)
        errors = " | ".join(ImportJob.objects.get().summary["errors"])
        assert "Dòng 8" in errors and "“Q”" in errors and "Chủ nhật" in errors
        assert "Dòng 9" in errors and "không có học sinh này trong lớp 1A" in errors

    def test_a_grid_without_its_month_is_refused_with_a_message(
        self, cast, class_a, pupils, client_for, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            upload(client_for(cast.teacher_a), class_a, month_grid([]), month="")
        assert "hãy ghi tháng" in ImportJob.objects.get().summary["errors"][0]

    def test_a_teacher_of_another_school_cannot_import_into_the_class(self, cast, class_a, client_for):
        response = upload(client_for(cast.teacher_b), class_a, month_grid([]))
        assert response.status_code in (400, 403)
        assert not ImportJob.objects.exists()


class TestList:
    def test_a_list_of_absent_days_adds_them_and_refuses_a_repeated_day(
        self, cast, class_a, pupils, client_for, django_capture_on_commit_callbacks
    ):
        first = pupils[0]
        day = datetime.date(2025, 10, 15)
        data = absent_list(
            [
                (first.student_code, first.child.full_name, day, "Không phép"),
                (first.student_code, first.child.full_name, day.replace(day=16), "Có phép"),
                (first.student_code, first.child.full_name, day, "K"),
            ]
        )
        client = client_for(cast.principal_a)
        with django_capture_on_commit_callbacks(execute=True):
            upload(client, class_a, data, month="", name="nghihoc.xlsx")
        job = ImportJob.objects.get()
        assert job.summary["rows"] == 2 and "trùng ngày với dòng 5" in job.summary["errors"][0]
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("imports:confirm", args=[job.pk]), {"only_valid": "1"})
        assert sorted(Absence.objects.filter(enrolment=first).values_list("on", "excused")) == [
            (day, False),
            (day.replace(day=16), True),
        ]
