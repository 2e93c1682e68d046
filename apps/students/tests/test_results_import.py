"""Semester results imported through the import layer, from workbooks shaped like the summaries schools' software
exports at the end of a semester: title rows, a two-row header ("Kết quả đánh giá" merged over "Học tập" and
"Rèn luyện", the other columns merged down over both rows), a total row and the signature block."""

import io

import pytest
import xlsxwriter
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.imports.models import ImportJob
from apps.students.models import ClassGroup, Enrolment
from apps.students.records import SemesterResult


@pytest.fixture
def class_a(cast):
    return ClassGroup.objects.get(school=cast.school_a, name="1A", year__start_year=2025)


@pytest.fixture
def pupils(class_a):
    """Three pupils of 1A: the first found by its student code, the second by its learner ID, the third by name."""
    found = list(Enrolment.objects.filter(class_group=class_a).select_related("child").order_by("pk")[:4])
    child = found[1].child
    child.learner_id = "4809500254321"
    child.save(update_fields=["learner_id"])
    return found


def summary_sheet(rows, *, group="Kết quả đánh giá", learning="Học tập", conduct="Rèn luyện") -> bytes:
    """A semester's summary as the schools' software prints it: rows are (code, learner id, name, learning,
    conduct)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Tong hop")
    bold = book.add_format({"bold": True, "align": "center"})
    sheet.write(0, 0, "SỞ GIÁO DỤC VÀ ĐÀO TẠO")
    sheet.merge_range(1, 0, 1, 7, "BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ HỌC KỲ I", bold)
    sheet.write(2, 0, "Lớp: 1A    Năm học 2025-2026")
    first = 4
    for col, title in enumerate(["STT", "Mã học sinh", "Mã định danh", "Họ và tên", "Ngày sinh"]):
        sheet.merge_range(first, col, first + 1, col, title, bold)
    sheet.merge_range(first, 5, first, 6, group, bold)
    sheet.write(first + 1, 5, learning, bold)
    sheet.write(first + 1, 6, conduct, bold)
    sheet.merge_range(first, 7, first + 1, 7, "Ghi chú", bold)
    r = first + 2
    for n, (code, learner, name, learn, conduct_mark) in enumerate(rows, start=1):
        sheet.write_number(r, 0, n)
        sheet.write_string(r, 1, code)
        sheet.write_string(r, 2, learner)
        sheet.write_string(r, 3, name)
        sheet.write_string(r, 4, "01/01/2019")
        sheet.write_string(r, 5, learn)
        sheet.write_string(r, 6, conduct_mark)
        r += 1
    sheet.write(r, 3, f"Cộng: {len(rows)} học sinh")
    sheet.write(r + 2, 5, "Trà Linh, ngày 15 tháng 01 năm 2026")
    sheet.write(r + 3, 5, "HIỆU TRƯỞNG")
    sheet.write(r + 6, 5, "Nguyễn Văn Ký")
    book.close()
    return buffer.getvalue()


def upload(client, group, data, *, semester=1, name="ketqua_hk1.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(
        reverse("imports:new", args=["students.results"]), {"class_group": group.pk, "semester": semester, "file": file}
    )


class TestPrimary:
    def test_the_homeroom_teacher_imports_a_semester_with_the_preview_then_confirms(
        self, cast, class_a, pupils, client_for, django_capture_on_commit_callbacks
    ):
        first, second, third, fourth = pupils
        SemesterResult.objects.create(enrolment=fourth, semester=1, learning="ht", conduct="dat")
        data = summary_sheet(
            [
                (first.student_code, "", first.child.full_name.upper(), "Hoàn thành tốt", "Tốt"),
                ("", "4809500254321", "", "CHT", "Cần cố gắng"),
                ("", "", third.child.full_name, "ht", "Đ"),
                ("", "", fourth.child.full_name, "Hoàn thành tốt", ""),  # conduct left blank: kept
            ]
        )
        client = client_for(cast.teacher_a)
        with django_capture_on_commit_callbacks(execute=True):
            response = upload(client, class_a, data)
        job = ImportJob.objects.get()
        assert response["Location"] == reverse("imports:detail", args=[job.pk])
        assert job.status == "checked" and job.summary["error_count"] == 0, job.summary["errors"]
        assert job.summary["rows"] == 4 and job.summary["header_row"] == 5
        assert [r["match"] for r in job.summary["first_rows"]] == ["mã học sinh", "mã định danh", "họ tên", "họ tên"]
        assert not SemesterResult.objects.filter(enrolment=first).exists()  # nothing written before confirming
        page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
        assert "4 học sinh có kết quả, 1 học sinh chưa hoàn thành hoặc chưa đạt" in page
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("imports:confirm", args=[job.pk]))
        job.refresh_from_db()
        assert job.status == "done", job.summary
        got = dict(
            (r.enrolment_id, (r.learning, r.conduct))
            for r in SemesterResult.objects.filter(semester=1, enrolment__in=pupils)
        )
        assert got == {
            first.pk: ("htt", "tot"),
            second.pk: ("cht", "ccg"),
            third.pk: ("ht", "dat"),
            fourth.pk: ("htt", "dat"),
        }
        logged = AuditEvent.objects.filter(action="students.results_record").latest("pk")
        assert logged.changes == {"created": 3, "changed": 1, "semester": 1}

    def test_bad_rows_are_named_by_file_row_column_and_value(
        self, cast, class_a, pupils, client_for, django_capture_on_commit_callbacks
    ):
        first, second = pupils[:2]
        data = summary_sheet(
            [
                (first.student_code, "", first.child.full_name, "Khá", "Tốt"),  # a secondary mark in a primary class
                ("", "", "Trẻ Lạ", "Hoàn thành", "Tốt"),
                (second.student_code, "", second.child.full_name, "", "Tốt"),
            ]
        )
        with django_capture_on_commit_callbacks(execute=True):
            upload(client_for(cast.teacher_a), class_a, data)
        job = ImportJob.objects.get()
        errors = " | ".join(job.summary["errors"])
        assert "Dòng 7" in errors and "Kết quả đánh giá / Học tập" in errors and "“Khá”" in errors, errors
        assert "Hoàn thành tốt, Hoàn thành, Chưa hoàn thành" in errors
        assert "Dòng 8" in errors and "không có học sinh này trong lớp 1A" in errors
        assert "Dòng 9" in errors and "thiếu đánh giá học tập" in errors
        assert job.summary["rows"] == 0 and job.summary["rejected_count"] == 3
        assert not SemesterResult.objects.filter(enrolment__in=pupils).exists()

    def test_a_teacher_of_another_school_cannot_import_into_the_class(self, cast, class_a, client_for):
        response = upload(client_for(cast.teacher_b), class_a, summary_sheet([]))
        assert response.status_code in (400, 403)
        assert not ImportJob.objects.exists()


class TestSecondary:
    def test_a_secondary_class_reads_circular_22_marks_under_a_learning_and_conduct_header(
        self, cast, client_for, django_capture_on_commit_callbacks
    ):
        group = (
            ClassGroup.objects.filter(year__start_year=2025, grade__in=["6", "7", "8", "9", "10", "11", "12"])
            .filter(enrolments__isnull=False)
            .distinct()
            .first()
        )
        pupils = list(Enrolment.objects.filter(class_group=group).select_related("child").order_by("pk")[:2])
        data = summary_sheet(
            [
                (pupils[0].student_code, "", pupils[0].child.full_name, "Khá", "Tốt"),
                (pupils[1].student_code, "", pupils[1].child.full_name, "Chưa đạt", "Đạt"),
            ],
            group="Kết quả cả học kỳ",
            learning="Kết quả học tập",
            conduct="Kết quả rèn luyện",
        )
        client = client_for(cast.admin)
        with django_capture_on_commit_callbacks(execute=True):
            upload(client, group, data, semester=2)
        job = ImportJob.objects.get()
        assert job.summary["error_count"] == 0, job.summary["errors"]
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("imports:confirm", args=[job.pk]))
        got = sorted(SemesterResult.objects.filter(semester=2, enrolment__in=pupils).values_list("learning", "conduct"))
        assert got == [("cd", "dat"), ("kha", "tot")]


def test_a_file_without_a_learning_column_is_refused_with_its_name(
    cast, class_a, pupils, client_for, django_capture_on_commit_callbacks
):
    data = summary_sheet([(pupils[0].student_code, "", pupils[0].child.full_name, "HT", "T")], learning="Ghi chú 2")
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_for(cast.teacher_a), class_a, data, name="thieu_cot.xlsx")
    errors = ImportJob.objects.get().summary["errors"]
    assert errors and "thieu_cot.xlsx" in errors[0] and "Học tập" in errors[0]
