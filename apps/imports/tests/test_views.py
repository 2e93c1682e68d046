import io

from django.urls import reverse

from apps.core.models import AuditEvent
from apps.imports.models import ImportJob
from apps.schools.models import SchoolYear
from apps.students.models import Child
from apps.students.tests.test_importers import ROWS, roster


def upload(client, cast, data, name="ds.xlsx"):
    year = SchoolYear.objects.get(province=cast.province, start_year=2025)
    file = io.BytesIO(data)
    file.name = name
    return client.post(
        reverse("imports:new", args=["students.roster"]), {"school": cast.school_a.pk, "year": year.pk, "file": file}
    )


def test_upload_preview_confirm_result(cast, client_for, django_capture_on_commit_callbacks):
    client = client_for(cast.principal_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, cast, roster(ROWS))
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("imports:detail", args=[job.pk])
    assert job.status == "checked" and job.summary["rows"] == 3 and job.summary["header_row"] == 5
    assert not Child.objects.filter(name_folded="ho van trong").exists()  # nothing written before confirming
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "Hồ Văn Trọng" in page and "Xác nhận nhập" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[job.pk]))
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
    client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "checked" and not Child.objects.filter(name_folded="ho van trong").exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[job.pk]), {"only_valid": "1"})
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
    response = client.get(reverse("imports:rejected", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2] == "Họ và tên (*)" and rows[0][-2] == "Lý do bị từ chối"
    assert len(rows) == 2 and rows[1][2] == "Trẻ Lạ" and "Sao Hỏa" in rows[1][-2] and rows[1][-1] == 7
    assert client_for(cast.teacher_b).get(reverse("imports:rejected", args=[job.pk])).status_code == 404


def test_the_user_changes_a_column_and_answers_a_question(cast, client_for, django_capture_on_commit_callbacks):
    from apps.students.services import child_create

    for _ in range(2):
        child_create(actor=cast.admin, full_name="Hồ Văn Trùng", birth_year=2018, sex="M", commune=cast.commune_a)
    data = "STT,Mã học sinh,Họ và tên,Năm sinh,Giới tính,Lớp\n1,4800077777,Hồ Văn Trùng,2018,Nam,2B\n".encode()
    client = client_for(cast.commune_officer)  # who sees the children living in the commune
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, cast, data, name="ds.csv")
    job = ImportJob.objects.get()
    assert job.summary["columns"]["student_code"] == 1 and job.summary["question_count"] == 1
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert 'name="col-1"' in page and 'name="q-0"' in page
    (question,) = job.summary["questions"]
    chosen = question["candidates"][0][0]
    form = {"col-0": "row_number", "col-1": "learner_id", "col-2": "full_name", "col-3": "birth_year"}
    form |= {"col-4": "sex", "col-5": "class_name", "q-0": str(chosen)}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:revise", args=[job.pk]), form)
    job.refresh_from_db()
    assert job.mapping["learner_id"] == 1 and job.mapping["student_code"] is None
    assert job.status == "checked" and job.summary["question_count"] == 0 and job.summary["error_count"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[job.pk]))
    assert Child.objects.get(pk=chosen).learner_id == "4800077777"  # the child the user chose, not a new one


def test_a_field_chosen_for_two_columns_is_refused(cast, client_for, django_capture_on_commit_callbacks):
    client = client_for(cast.principal_a)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, cast, roster(ROWS))
    job = ImportJob.objects.get()
    response = client.post(
        reverse("imports:revise", args=[job.pk]), {"col-1": "full_name", "col-2": "full_name"}, follow=True
    )
    job.refresh_from_db()
    assert "được chọn cho hai cột" in response.content.decode() and job.mapping == {}


def test_the_missing_count_equals_the_list_under_it(cast, client_for, django_capture_on_commit_callbacks):
    client = client_for(cast.principal_a)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, cast, roster(ROWS[:1]))
    job = ImportJob.objects.get()
    listed = job.summary["missing"]
    assert job.summary["missing_count"] == len(listed) > 100  # the demo school's other students
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert f"{len(listed)} học sinh không còn trong danh sách" in page
    assert page.count("<li>", page.index('id="missing"')) == len(listed)


def test_each_rejected_row_is_listed_once_with_its_cells(cast, client_for, django_capture_on_commit_callbacks):
    from openpyxl import load_workbook

    from apps.students.importers import apply_roster, plan_roster

    year = SchoolYear.objects.get(province=cast.province, start_year=2025)
    plan = plan_roster(actor=cast.admin, filename="a.xlsx", data=roster(ROWS[:1]), year=year, school=cast.school_a)
    apply_roster(actor=cast.admin, plan=plan)
    completed = [ROWS[0][:11] + ["Hoàn thành", "", ""]]
    plan = plan_roster(actor=cast.admin, filename="b.xlsx", data=roster(completed), year=year, school=cast.school_a)
    apply_roster(actor=cast.admin, plan=plan)
    # "Đang học" cannot follow "Hoàn thành" (refused after reading) and a bad ethnicity (refused while reading).
    bad = [ROWS[0], ["TN0202", "Trẻ Lạ", "", "01/01/2018", "Nam", "Sao Hỏa", "2B", "", "", "", "", "", "", ""]]
    client = client_for(cast.principal_a)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, cast, roster(bad))
    job = ImportJob.objects.get()
    response = client.get(reverse("imports:rejected", args=[job.pk]))
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    numbers = [r[-1] for r in rows[1:]]
    assert sorted(numbers) == [6, 7] and len(set(numbers)) == len(numbers)
    assert "Trẻ Lạ" in {r[2] for r in rows[1:]}
    assert all(r[2] for r in rows[1:])  # every rejected row comes back with its cells, to be fixed there


def test_the_list_page_costs_the_same_queries_for_few_and_many_jobs(cast, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    year = SchoolYear.objects.get(province=cast.province, start_year=2025)

    def add(n):
        for _n in range(n):
            ImportJob.objects.create(
                kind="students.roster",
                org_unit=cast.school_a.managed_by,
                target_id=cast.school_a.pk,
                params={"year": year.pk},
                filename="ds.csv",
                created_by=cast.principal_a,
            )

    client = client_for(cast.principal_a)
    add(2)
    with CaptureQueriesContext(connection) as few:
        page = client.get(reverse("imports:list")).content.decode()
    add(10)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("imports:list"))
    assert "Trường PTDTBT Tiểu học Trà Nam · năm học 2025-2026" in page
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_file_that_names_no_school_gets_its_school_chosen_on_the_preview(
    cast, client_for, django_capture_on_commit_callbacks
):
    """A commune officer's upload names no school and the file has no school column: the preview offers the
    schools they manage (not others), and the file is checked again and written for the one chosen."""
    client = client_for(cast.commune_officer)
    year = SchoolYear.objects.get(province=cast.province, start_year=2025)
    file = io.BytesIO(roster(ROWS))
    file.name = "ds.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:new", args=["students.roster"]), {"year": year.pk, "file": file})
    job = ImportJob.objects.get()
    assert job.target_id is None and job.summary["target_missing"] and job.summary["error_count"] == 1
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert 'name="target"' in page and cast.school_a.name in page and cast.school_b.name not in page
    assert not job.may_confirm and "Xác nhận nhập" not in page  # no row may be written until a school is chosen
    refused = client.post(reverse("imports:confirm", args=[job.pk]), follow=True).content.decode()
    assert "Tệp không có dòng hợp lệ nào để nhập." in refused
    # A school the officer does not manage is refused, and the job stays as it was.
    response = client.post(reverse("imports:revise", args=[job.pk]), {"target": cast.school_b.pk})
    job.refresh_from_db()
    assert response.status_code == 404 and job.target_id is None
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:revise", args=[job.pk]), {"target": cast.school_a.pk})
    job.refresh_from_db()
    assert job.target_id == cast.school_a.pk and job.org_unit == cast.school_a.managed_by
    assert job.summary["rows"] == 3 and not job.summary["error_count"] and not job.summary["target_missing"]
    assert "Trường nhập vào" not in client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    revised = AuditEvent.objects.filter(action="imports.revise").get()
    assert revised.changes["target"] == cast.school_a.pk
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done"
    assert Child.objects.get(name_folded="ho van trong").enrolments.get().school == cast.school_a


def test_a_file_that_names_its_school_cannot_be_moved_to_another(cast, client_for, django_capture_on_commit_callbacks):
    client = client_for(cast.principal_a)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, cast, roster(ROWS))
    job = ImportJob.objects.get()
    assert not job.summary["target_missing"]
    assert 'name="target"' not in client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    client.post(reverse("imports:revise", args=[job.pk]), {"target": cast.school_upper.pk})
    job.refresh_from_db()
    assert job.target_id == cast.school_a.pk and job.status == "checked"


def test_the_uploader_is_told_when_the_check_ends_and_both_when_the_file_is_written(
    cast, client_for, django_capture_on_commit_callbacks, mailoutbox
):
    from apps.notifications.models import Notification

    cast.principal_a.email = "hieutruong@example.vn"
    cast.principal_a.save()
    client = client_for(cast.principal_a)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, cast, roster(ROWS), name="ho-van-trong.xlsx")  # a file named after a child
    job = ImportJob.objects.get()
    checked = Notification.objects.get(recipient=cast.principal_a, kind="imports.checked")
    assert checked.url == f"/imports/{job.pk}/" and "3 dòng hợp lệ" in checked.body and mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[job.pk]))
    done = Notification.objects.get(recipient=cast.principal_a, kind="imports.done")
    assert "Đã thêm 3 trẻ" in done.body
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["hieutruong@example.vn"]
    sent = mailoutbox[0].subject + mailoutbox[0].body
    assert "Hồ Văn Trọng" not in sent and "ho-van-trong" not in sent  # nothing of a child leaves by e-mail
