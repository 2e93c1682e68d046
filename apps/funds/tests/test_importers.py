"""A donation list collected at a meeting, imported through the import layer (kind `funds.donations`): a real
workbook with a title, a header, a total row and a signature block; a preview first; all rows or none."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from apps.funds.models import Donation, Donor
from apps.imports import services as imports
from apps.imports.models import ImportJob

pytestmark = pytest.mark.django_db

HEADER = ["STT", "Họ và tên", "Địa chỉ", "Số tiền (đồng)", "Hiện vật", "Số lượng", "ĐVT", "Giá trị quy đổi", "Ghi chú"]
ROWS = [
    [1, "Ông Thử Văn Hảo", "Thôn 1", "500.000", "", "", "", "", ""],
    [2, "Bà Thử Thị Tâm", "Thôn 2", 200000, "", "", "", "", ""],
    [3, "Ẩn danh", "", "1 000 000", "", "", "", "", ""],
    [4, "Cửa hàng Thử Phát", "Thôn 1", "", "Vở ô li", "50", "quyển", "400.000", ""],
]


def meeting_list(rows=ROWS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH ỦNG HỘ QUỸ KHUYẾN HỌC XÃ TRÀ LINH"])
    sheet.append(["Hội nghị cha mẹ học sinh đầu năm học 2025-2026"])
    sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    sheet.append(["", "Cộng", "", 1_700_000, "", "", "", 400_000, ""])
    sheet.append([])
    sheet.append(["", "", "", "", "", "Trà Linh, ngày 05 tháng 9 năm 2025"])
    sheet.append(["", "NGƯỜI LẬP BIỂU", "", "", "", "TRƯỞNG BAN"])
    sheet.append([])
    sheet.append(["", "Đinh Văn Sơn", "", "", "", "Hồ Văn Thanh"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def start(cast, fund, capture, data=None, actor=None, campaign="Hội nghị đầu năm"):
    upload = SimpleUploadedFile("ung-ho.xlsx", data or meeting_list())
    with capture(execute=True):
        job = imports.import_start(
            actor=actor or cast.partner,
            kind="funds.donations",
            upload=upload,
            cleaned={
                "fund": fund,
                "received_on": datetime.date(2025, 9, 5),
                "received_by": "Đinh Văn Sơn",
                "campaign": campaign,
            },
        )
    job.refresh_from_db()
    return job


class TestDonationListImport:
    def test_a_meeting_s_list_is_previewed_then_written(
        self, cast, client_for, study_fund, django_capture_on_commit_callbacks
    ):
        job = start(cast, study_fund, django_capture_on_commit_callbacks)
        assert job.status == ImportJob.Status.CHECKED, job.summary
        assert job.summary["header_row"] == 4
        assert job.summary["rows"] == 4 and job.summary["error_count"] == 0
        assert job.summary["total_cash"] == 1_700_000 and job.summary["total_goods"] == 400_000
        assert [r["name"] for r in job.summary["first_rows"]] == [
            "Ông Thử Văn Hảo",
            "Bà Thử Thị Tâm",
            "Ẩn danh",
            "Cửa hàng Thử Phát",
        ]
        assert not Donation.objects.filter(fund=study_fund).exists()  # the preview writes nothing
        page = client_for(cast.partner).get(reverse("imports:detail", args=[job.pk])).content.decode()
        assert "Ông Thử Văn Hảo" in page
        with django_capture_on_commit_callbacks(execute=True):
            imports.import_confirm(actor=cast.partner, job=job)
        job.refresh_from_db()
        assert job.status == "done", job.summary
        donations = Donation.objects.filter(fund=study_fund).order_by("receipt_number")
        assert [d.receipt_number for d in donations] == [f"T-KH-TL-2025-000{n}" for n in range(1, 5)]
        assert sum(d.value for d in donations) == 2_100_000
        assert donations.filter(donor__isnull=True).get().amount == 1_000_000
        assert Donor.objects.filter(name="Cửa hàng Thử Phát", org_unit=cast.commune_a).exists()
        assert {d.campaign for d in donations} == {"Hội nghị đầu năm"}

    def test_a_bad_row_is_named_and_nothing_is_written(self, cast, study_fund, django_capture_on_commit_callbacks):
        rows = ROWS + [[5, "Ông Sai Số", "", "năm trăm", "", "", "", "", ""]]
        job = start(cast, study_fund, django_capture_on_commit_callbacks, data=meeting_list(rows))
        assert job.summary["error_count"] == 1
        assert any("năm trăm" in str(e) and "9" in str(e) for e in job.summary["errors"])
        with pytest.raises(Exception):
            imports.import_confirm(actor=cast.partner, job=job)
        assert not Donation.objects.filter(fund=study_fund).exists()

    def test_a_levy_in_a_parents_association_list_is_refused(
        self, cast, parents_fund, pa_officer, django_capture_on_commit_callbacks
    ):
        rows = [[1, "Phụ huynh em A", "", "200.000", "", "", "", "", "mức đóng 200.000đ/học sinh"]]
        job = start(
            cast,
            parents_fund,
            django_capture_on_commit_callbacks,
            data=meeting_list(rows),
            actor=pa_officer,
            campaign="Quỹ hội",
        )
        assert job.summary["error_count"] == 1
        assert any("tự nguyện" in str(e) for e in job.summary["errors"])

    def test_only_the_fund_s_managers_may_import_into_it(self, cast, client_for, study_fund):
        assert client_for(cast.partner).get(reverse("imports:new", args=["funds.donations"])).status_code == 200
        page = client_for(cast.teacher_a).get(reverse("imports:new", args=["funds.donations"]))
        assert page.status_code in (403, 404)
