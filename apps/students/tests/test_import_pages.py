import io

from django.urls import reverse

from apps.schools.models import SchoolYear
from apps.students.models import Child, ImportJob
from apps.students.tests.test_importers import ROWS, roster


def upload(client, cast, data, name="ds.xlsx"):
    year = SchoolYear.objects.get(province=cast.province, start_year=2025)
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("students:import_new"), {"school": cast.school_a.pk, "year": year.pk, "file": file})


def test_upload_preview_confirm_result(cast, client_for, django_capture_on_commit_callbacks):
    client = client_for(cast.principal_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, cast, roster(ROWS))
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("students:import_detail", args=[job.pk])
    assert job.status == "checked" and job.summary["rows"] == 3 and job.summary["header_row"] == 5
    assert not Child.objects.filter(name_folded="ho van trong").exists()  # nothing written before confirming
    page = client.get(reverse("students:import_detail", args=[job.pk])).content.decode()
    assert "Hồ Văn Trọng" in page and "Xác nhận nhập" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("students:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and job.summary["result"]["created_children"] == 3
    assert Child.objects.filter(name_folded="ho van trong").exists()


def test_a_file_with_errors_needs_an_explicit_choice(cast, client_for, django_capture_on_commit_callbacks):
    client = client_for(cast.principal_a)
    bad = [ROWS[0], ["TN0202", "Trẻ Lạ", "", "01/01/2018", "Nam", "Sao Hỏa", "2B", "", "", "", "", "", "", ""]]
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, cast, roster(bad))
    job = ImportJob.objects.get()
    assert job.summary["error_count"] == 1 and "Sao Hỏa" in job.summary["errors"][0]
    client.post(reverse("students:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "checked" and not Child.objects.filter(name_folded="ho van trong").exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("students:import_confirm", args=[job.pk]), {"only_valid": "1"})
    job.refresh_from_db()
    assert job.status == "done" and job.summary["result"]["created_children"] == 1


def test_an_unreadable_file_ends_with_a_message(cast, client_for, django_capture_on_commit_callbacks):
    client = client_for(cast.principal_a)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, cast, b"PK\x03\x04 not a workbook")
    job = ImportJob.objects.get()
    assert job.status == "checked" and "Không đọc được" in job.summary["errors"][0]


def test_the_rejected_rows_come_back_as_a_workbook_with_reasons(cast, client_for, django_capture_on_commit_callbacks):
    from openpyxl import load_workbook

    client = client_for(cast.principal_a)
    bad = [ROWS[0], ["TN0202", "Trẻ Lạ", "", "01/01/2018", "Nam", "Sao Hỏa", "2B", "", "", "", "", "", "", ""]]
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, cast, roster(bad))
    job = ImportJob.objects.get()
    response = client.get(reverse("students:import_rejected", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2] == "Họ và tên (*)" and rows[0][-2] == "Lý do bị từ chối"
    assert len(rows) == 2 and rows[1][2] == "Trẻ Lạ" and "Sao Hỏa" in rows[1][-2] and rows[1][-1] == 7
    assert client_for(cast.teacher_b).get(reverse("students:import_rejected", args=[job.pk])).status_code == 404
