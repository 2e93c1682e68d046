"""Loading a criteria set from a spreadsheet through the import layer (kind `standards.criteria`)."""

import io

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.models import AuditEvent
from apps.imports import services as imports
from apps.imports.models import ImportJob
from apps.standards import services
from apps.standards.models import CriteriaSet, Criterion, Indicator

HEADER = [
    "STT",
    "Mã bộ",
    "Tên bộ",
    "Loại trường",
    "Tiêu chuẩn",
    "Tên tiêu chuẩn",
    "Tiêu chí",
    "Nội dung tiêu chí",
    "Mức",
    "Chỉ báo",
    "Nội dung chỉ báo",
]


def workbook(rows) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["BỘ TIÊU CHUẨN (nội dung thử)"])
    sheet.write_row(2, 0, HEADER)
    for i, row in enumerate(rows):
        sheet.write_row(3 + i, 0, [i + 1, *row])
    book.close()
    return buffer.getvalue()


NEW_SET = [
    ["tt-thu-2030", "Bộ thử năm 2030", "Tiểu học", 1, "Tiêu chuẩn một", "1.1", "Tiêu chí một", 1, "a", "Chỉ báo 1a"],
    ["tt-thu-2030", "", "", 1, "", "1.1", "", 1, "b", "Chỉ báo 1b"],
    ["tt-thu-2030", "", "", 1, "", "1.1", "", 2, "a", "Chỉ báo 2a"],
    ["tt-thu-2030", "", "", 1, "", "1.2", "Tiêu chí hai", 1, "a", "Chỉ báo của 1.2"],
    ["tt-thu-2030", "", "", 2, "Tiêu chuẩn hai", "2.1", "Tiêu chí ba", 1, "a", "Chỉ báo của 2.1"],
    ["tt-thu-2030", "", "", 2, "", "", "", 4, "1", "Yêu cầu mức 4 thứ nhất"],
]


def load(cast, rows, capture, filename="bo-tieu-chuan.xlsx"):
    upload = SimpleUploadedFile(filename, workbook(rows))
    with capture(execute=True):
        job = imports.import_start(actor=cast.admin, kind="standards.criteria", upload=upload, cleaned={})
    job.refresh_from_db()
    return job


def confirm(cast, job, capture):
    with capture(execute=True):
        imports.import_confirm(actor=cast.admin, job=job)
    job.refresh_from_db()
    return job


class TestLoadingASet:
    def test_a_new_set_loads_from_a_spreadsheet_and_an_existing_cycle_keeps_its_set(
        self, cast, django_capture_on_commit_callbacks
    ):
        old = services.cycle_start(actor=cast.principal_a, school=cast.school_a, year=2029)
        job = load(cast, NEW_SET, django_capture_on_commit_callbacks)
        assert job.status == ImportJob.Status.CHECKED, job.summary
        assert job.summary["error_count"] == 0
        assert not CriteriaSet.objects.filter(code="tt-thu-2030").exists()  # the preview writes nothing
        job = confirm(cast, job, django_capture_on_commit_callbacks)
        assert job.status == "done", (job.summary, job.failure)
        loaded = CriteriaSet.objects.get(code="tt-thu-2030")
        assert (loaded.kind, loaded.verified, loaded.national_levels) == ("primary", False, {"1": 2, "2": 3})
        assert [s.title for s in loaded.standards.all()] == ["Tiêu chuẩn một", "Tiêu chuẩn hai"]
        assert list(Criterion.objects.filter(standard__criteria_set=loaded).values_list("text", flat=True)) == [
            "Tiêu chí một",
            "Tiêu chí hai",
            "Tiêu chí ba",
        ]
        assert loaded.indicators.count() == 6
        assert loaded.indicators.get(criterion__isnull=True).level == 4
        assert AuditEvent.objects.filter(action="standards.set_import", object_id=str(loaded.pk)).exists()
        # Verified, it applies to new cycles; the old cycle keeps the set it started with.
        services.set_verify(actor=cast.admin, criteria_set=loaded)
        new = services.cycle_start(actor=cast.principal_a, school=cast.school_a, year=2030)
        old.refresh_from_db()
        assert new.criteria_set == loaded
        assert old.criteria_set.code == "tt17-2018"
        assert old.assessments.count() == 27

    def test_loading_again_fills_texts_and_deletes_nothing(self, cast, django_capture_on_commit_callbacks):
        confirm(cast, load(cast, NEW_SET, django_capture_on_commit_callbacks), django_capture_on_commit_callbacks)
        fix = [["tt-thu-2030", "", "", 1, "", "1.1", "Tiêu chí một (sửa)", 1, "a", "Chỉ báo 1a (sửa)"]]
        job = confirm(cast, load(cast, fix, django_capture_on_commit_callbacks), django_capture_on_commit_callbacks)
        assert job.status == "done", job.summary
        loaded = CriteriaSet.objects.get(code="tt-thu-2030")
        assert loaded.indicators.count() == 6
        assert Indicator.objects.filter(criteria_set=loaded, text="Chỉ báo 1a (sửa)").exists()

    def test_a_bad_row_is_named_with_its_file_row_and_column_and_nothing_is_written(
        self, cast, django_capture_on_commit_callbacks
    ):
        rows = [*NEW_SET, ["tt-thu-2030", "", "", 1, "", "1.1", "", 7, "a", "mức sai"]]
        job = load(cast, rows, django_capture_on_commit_callbacks, filename="sai.xlsx")
        assert job.summary["error_count"] == 1
        error = str(job.summary["errors"][0])
        assert "Dòng 10" in error and "Mức" in error and "mức từ 1 đến 4" in error, error
        with pytest.raises(ValidationError):
            imports.import_confirm(actor=cast.admin, job=job)
        assert not CriteriaSet.objects.filter(code="tt-thu-2030").exists()

    def test_a_verified_set_is_not_loaded_over(self, cast, test_set, django_capture_on_commit_callbacks):
        rows = [["test-primary", "", "", 1, "", "1.1", "Khác", 1, "a", "Khác"]]
        job = load(cast, rows, django_capture_on_commit_callbacks)
        assert any("đã được xác minh" in str(e) for e in job.summary["errors"]), job.summary

    def test_only_a_system_administrator_may_load(self, cast):
        from django.core.exceptions import PermissionDenied

        upload = SimpleUploadedFile("bo.xlsx", workbook(NEW_SET))
        with pytest.raises(PermissionDenied):
            imports.import_start(actor=cast.province_officer, kind="standards.criteria", upload=upload, cleaned={})
