"""The import layer's audited actions and the confirm path: rights held today, the confirmer as the writer, every
step in the change log, and no job left running after a failure."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse

from apps.accounts.models import RoleAssignment
from apps.accounts.services import role_revoke
from apps.core.models import AuditEvent
from apps.imports import services
from apps.imports.models import ImportJob
from apps.schools.models import SchoolYear
from apps.students.models import Child, Enrolment
from apps.students.tests.test_importers import ROWS, roster


def year(cast):
    return SchoolYear.objects.get(province=cast.province, start_year=2025)


def start(cast, actor, data=None, name="ds.xlsx", capture=None):
    upload = SimpleUploadedFile(name, data if data is not None else roster(ROWS))
    with capture(execute=True):
        job = services.import_start(
            actor=actor, kind="students.roster", upload=upload, cleaned={"school": cast.school_a, "year": year(cast)}
        )
    job.refresh_from_db()
    return job


def revoke_principal(cast):
    assignment = RoleAssignment.objects.active().get(user=cast.principal_a, role="principal")
    role_revoke(actor=cast.admin, assignment=assignment)
    cast.principal_a.__dict__.pop("_dentruong_scope", None)


class TestConfirmPath:
    def test_a_principal_whose_role_was_revoked_can_neither_confirm_nor_read(
        self, cast, client_for, django_capture_on_commit_callbacks
    ):
        job = start(cast, cast.principal_a, capture=django_capture_on_commit_callbacks)
        assert job.status == "checked" and job.rejected.name == ""
        revoke_principal(cast)
        with pytest.raises(Http404):
            services.import_confirm(actor=cast.principal_a, job=job)
        client = client_for(cast.principal_a)
        assert client.get(reverse("imports:detail", args=[job.pk])).status_code == 404
        assert client.post(reverse("imports:confirm", args=[job.pk])).status_code == 404
        assert job.pk not in [j["id"] for j in client.get("/api/v1/imports/").json().get("items", [])]
        assert not Child.objects.filter(name_folded="ho van trong").exists()

    def test_the_rejected_rows_of_an_old_job_are_not_readable_after_the_role_goes(
        self, cast, client_for, django_capture_on_commit_callbacks
    ):
        bad = [ROWS[0], ["TN0202", "Trẻ Lạ", "", "01/01/2018", "Nam", "Sao Hỏa", "2B", "", "", "", "", "", "", ""]]
        job = start(cast, cast.principal_a, roster(bad), capture=django_capture_on_commit_callbacks)
        url = reverse("imports:rejected", args=[job.pk])
        assert client_for(cast.principal_a).get(url).status_code == 200
        revoke_principal(cast)
        assert client_for(cast.principal_a).get(url).status_code == 404

    def test_the_confirmer_is_recorded_audited_and_is_the_writer(self, cast, django_capture_on_commit_callbacks):
        job = start(cast, cast.principal_a, capture=django_capture_on_commit_callbacks)
        with pytest.raises(ValidationError, match="người khác thực hiện"):  # the preview was made with others' rights
            services.import_confirm(actor=cast.commune_officer, job=job)
        with django_capture_on_commit_callbacks(execute=True):
            services.import_revise(actor=cast.commune_officer, job=job, mapping=job.mapping, decisions={})
        job.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            services.import_confirm(actor=cast.commune_officer, job=job)
        job.refresh_from_db()
        assert job.status == "done" and job.confirmed_by == cast.commune_officer
        write = AuditEvent.objects.get(action="students.roster_import")
        assert write.actor == cast.commune_officer
        confirm = AuditEvent.objects.get(action="imports.confirm", object_id=str(job.pk))
        assert confirm.actor == cast.commune_officer and confirm.org_unit == cast.school_a.managed_by
        enrolment = Enrolment.objects.get(child__name_folded="ho van trong")
        assert enrolment.events.get().recorded_by == cast.commune_officer

    def test_rights_lost_between_confirming_and_writing_write_nothing(self, cast, django_capture_on_commit_callbacks):
        job = start(cast, cast.principal_a, capture=django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.import_confirm(actor=cast.principal_a, job=job)
        revoke_principal(cast)
        for callback in callbacks:
            callback()
        job.refresh_from_db()
        assert job.status == "failed" and "quyền" in job.failure
        assert not Child.objects.filter(name_folded="ho van trong").exists()

    def test_start_revise_confirm_and_discard_are_audited(self, cast, django_capture_on_commit_callbacks):
        job = start(cast, cast.principal_a, capture=django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            services.import_revise(actor=cast.principal_a, job=job, mapping={}, decisions={})
        job.refresh_from_db()
        services.import_discard(actor=cast.principal_a, job=job)
        other = start(cast, cast.principal_a, capture=django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            services.import_confirm(actor=cast.principal_a, job=other)
        actions = AuditEvent.objects.filter(object_type="imports.importjob", kind="write")
        assert sorted(actions.values_list("action", flat=True)) == [
            "imports.confirm",
            "imports.discard",
            "imports.revise",
            "imports.start",
            "imports.start",
        ]


class TestFailures:
    def test_a_plan_that_raises_marks_the_job_failed_with_its_reason(
        self, cast, monkeypatch, django_capture_on_commit_callbacks
    ):
        from apps.students import imports

        def broken(*args, **kwargs):
            raise RuntimeError("boom")

        monkeypatch.setattr(imports, "census_row", broken)
        upload = SimpleUploadedFile("dieu-tra.csv", "Họ và tên,Năm sinh,Thôn\nA,2015,Thôn 1\n".encode())
        with django_capture_on_commit_callbacks(execute=True):
            job = services.import_start(
                actor=cast.commune_officer,
                kind="students.census",
                upload=upload,
                cleaned={"commune": cast.commune_a, "year": year(cast)},
            )
        job.refresh_from_db()
        assert job.status == "failed" and "Lỗi hệ thống" in job.failure and "RuntimeError" in job.failure
        assert job.finished

    def test_a_failed_job_can_be_discarded_and_its_file_goes(
        self, cast, client_for, django_capture_on_commit_callbacks
    ):
        job = start(cast, cast.principal_a, b"\x00\x01binary", name="x.csv", capture=django_capture_on_commit_callbacks)
        storage, name = job.file.storage, job.file.name
        assert storage.exists(name)
        ImportJob.objects.filter(pk=job.pk).update(status="failed")
        client = client_for(cast.principal_a)
        page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
        assert "Hủy lượt nhập này" in page
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("imports:discard", args=[job.pk]))
        job.refresh_from_db()
        assert job.status == "discarded" and not job.file and not storage.exists(name)
        with pytest.raises(ValidationError):
            services.import_confirm(actor=cast.principal_a, job=job)


class TestPreview:
    def test_another_viewer_sees_no_questions_made_with_the_checker_s_rights(
        self, cast, client_for, django_capture_on_commit_callbacks
    ):
        from apps.students.services import child_create

        for _n in range(2):
            child_create(actor=cast.admin, full_name="Hồ Văn Song", birth_year=2018, sex="M", commune=cast.commune_a)
        data = "STT,Họ và tên,Năm sinh,Giới tính,Lớp\n1,Hồ Văn Song,2018,Nam,2B\n".encode()
        job = start(cast, cast.commune_officer, data, name="ds.csv", capture=django_capture_on_commit_callbacks)
        assert job.summary["question_count"] == 1  # the commune sees its children
        page = client_for(cast.principal_a).get(reverse("imports:detail", args=[job.pk])).content.decode()
        assert "Hồ Văn Song (2018)" not in page and "người khác thực hiện" in page and "Xác nhận nhập" not in page
        detail = client_for(cast.principal_a).get(f"/api/v1/imports/{job.pk}").json()
        assert detail["summary"]["questions"] == [] and detail["summary"]["question_count"] == 1

    def test_a_second_check_that_differs_from_the_confirmed_preview_writes_nothing(
        self, cast, django_capture_on_commit_callbacks
    ):
        job = start(cast, cast.principal_a, capture=django_capture_on_commit_callbacks)
        ImportJob.objects.filter(pk=job.pk).update(summary={**job.summary, "new_children": 1})
        job.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            services.import_confirm(actor=cast.principal_a, job=job)
        job.refresh_from_db()
        assert job.status == "failed" and "đã thay đổi" in job.failure
        assert not Child.objects.filter(name_folded="ho van trong").exists()

    def test_a_file_without_a_header_row_offers_no_confirm_button(
        self, cast, client_for, django_capture_on_commit_callbacks
    ):
        job = start(
            cast, cast.principal_a, "a,b\n1,2\n".encode(), name="ds.csv", capture=django_capture_on_commit_callbacks
        )
        page = client_for(cast.principal_a).get(reverse("imports:detail", args=[job.pk])).content.decode()
        assert "Không tìm thấy dòng tiêu đề" in page and "Xác nhận nhập" not in page
        with pytest.raises(ValidationError):
            services.import_confirm(actor=cast.principal_a, job=job, only_valid=True)

    def test_a_text_file_named_xlsx_is_read_as_text_and_said_so(
        self, cast, client_for, django_capture_on_commit_callbacks
    ):
        data = "STT,Họ và tên,Ngày sinh,Giới tính,Lớp\n1,Văn Bản Thử,01/02/2018,Nam,2B\n".encode()
        job = start(cast, cast.principal_a, data, name="ds.xlsx", capture=django_capture_on_commit_callbacks)
        assert job.summary["rows"] == 1 and job.summary["error_count"] == 0
        page = client_for(cast.principal_a).get(reverse("imports:detail", args=[job.pk])).content.decode()
        assert "thực ra là tệp văn bản" in page

    def test_the_principal_finds_their_school_preselected(self, cast, client_for):
        page = client_for(cast.principal_a).get(reverse("imports:new", args=["students.roster"])).content.decode()
        assert f'<option value="{cast.school_a.pk}" selected>' in page

    def test_previews_and_rejected_rows_are_logged_reads(self, cast, client_for, django_capture_on_commit_callbacks):
        bad = [ROWS[0], ["TN0202", "Trẻ Lạ", "", "01/01/2018", "Nam", "Sao Hỏa", "2B", "", "", "", "", "", "", ""]]
        job = start(cast, cast.principal_a, roster(bad), capture=django_capture_on_commit_callbacks)
        client = client_for(cast.principal_a)
        client.get(reverse("imports:detail", args=[job.pk]))
        client.get(reverse("imports:rejected", args=[job.pk]))
        reads = AuditEvent.objects.filter(kind="read", actor=cast.principal_a, object_type="imports.importjob")
        assert sorted(reads.values_list("action", flat=True)) == ["imports.preview_read", "imports.rejected_read"]

    def test_errors_are_paginated(self, cast, client_for, django_capture_on_commit_callbacks):
        rows = "".join(f"{n},Trẻ {n},01/01/2018,Nam,Sao Hỏa,2B\n" for n in range(1, 121))
        data = ("STT,Họ và tên,Ngày sinh,Giới tính,Dân tộc,Lớp\n" + rows).encode()
        job = start(cast, cast.principal_a, data, name="ds.csv", capture=django_capture_on_commit_callbacks)
        assert job.summary["error_count"] == 120
        client = client_for(cast.principal_a)
        first = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
        last = client.get(reverse("imports:detail", args=[job.pk]), {"errors": 3}).content.decode()
        assert "Dòng 2," in first and "Dòng 52," not in first and "1 / 3" in first
        assert "Dòng 121," in last and "Dòng 2," not in last

    def test_rows_are_paginated(self, cast, client_for, django_capture_on_commit_callbacks):
        rows = "".join(f"{n},Trẻ {n},01/01/2018,Nam,Kinh,2B\n" for n in range(1, 121))
        data = ("STT,Họ và tên,Ngày sinh,Giới tính,Dân tộc,Lớp\n" + rows).encode()
        job = start(cast, cast.principal_a, data, name="ds.csv", capture=django_capture_on_commit_callbacks)
        assert job.summary["error_count"] == 0 and job.summary["rows"] == 120
        client = client_for(cast.principal_a)
        first = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
        last = client.get(reverse("imports:detail", args=[job.pk]), {"rows": 3}).content.decode()
        assert "<td>Trẻ 50</td>" in first and "<td>Trẻ 51</td>" not in first and "1 / 3" in first
        assert "<td>Trẻ 120</td>" in last and "<td>Trẻ 50</td>" not in last and "3 / 3" in last

    def test_a_very_wide_file_and_thousands_of_errors_keep_the_preview_page_small(
        self, cast, client_for, django_capture_on_commit_callbacks
    ):
        """A 16,384-column file made a 38 MB preview page, thousands of errors a 12 MB one: the page lists the
        columns that hold something and one page of errors; the full list is in the rejected-rows workbook."""
        client = client_for(cast.principal_a)
        blank = "," * (16_384 - 6)
        wide = "STT,Họ và tên,Ngày sinh,Giới tính,Dân tộc,Lớp" + blank + "\n"
        wide += "".join(f"{n},Trẻ {n},01/01/2018,Nam,Kinh,2B{blank}\n" for n in range(1, 4))
        job = start(cast, cast.principal_a, wide.encode(), name="rong.csv", capture=django_capture_on_commit_callbacks)
        assert job.summary["rows"] == 3 and len(job.summary["header"]) == 16_384
        page = client.get(reverse("imports:detail", args=[job.pk])).content
        assert len(page) < 100_000 and "<td>Trẻ 3</td>" in page.decode()
        bad = "".join(f"{n},Trẻ {n},01/01/2018,Nam,Sao Hỏa,2B\n" for n in range(1, 5001))
        data = ("STT,Họ và tên,Ngày sinh,Giới tính,Dân tộc,Lớp\n" + bad).encode()
        job = start(cast, cast.principal_a, data, name="loi.csv", capture=django_capture_on_commit_callbacks)
        assert job.summary["error_count"] == 5000
        page = client.get(reverse("imports:detail", args=[job.pk])).content
        assert len(page) < 100_000 and "5000 lỗi" in page.decode() and "1 / 20" in page.decode()


def test_an_upload_over_the_size_limit_is_refused_before_it_is_kept(cast, client_for, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    settings.IMPORT_MAX_UPLOAD_MB = 0
    file = io.BytesIO(b"x" * 2000)
    file.name = "lon.csv"
    response = client_for(cast.principal_a).post(
        reverse("imports:new", args=["students.roster"]),
        {"school": cast.school_a.pk, "year": year(cast).pk, "file": file},
    )
    assert response.status_code == 400 and "quá giới hạn" in response.content.decode()
    assert not ImportJob.objects.exists()


class TestHostileFiles:
    def test_a_sparse_grid_is_refused_with_the_limit_named_and_the_next_job_runs(
        self, cast, client_for, django_capture_on_commit_callbacks
    ):
        from apps.core.tests.test_sheetguard import sparse_xlsx

        job = start(cast, cast.principal_a, sparse_xlsx(), name="thua.xlsx", capture=django_capture_on_commit_callbacks)
        assert job.status == "checked" and "XFD1048576" in job.summary["errors"][0] and not job.may_confirm
        page = client_for(cast.principal_a).get(reverse("imports:detail", args=[job.pk])).content.decode()
        assert "XFD1048576" in page and "Xác nhận nhập" not in page
        after = start(cast, cast.principal_a, capture=django_capture_on_commit_callbacks)
        assert after.status == "checked" and after.summary["rows"] == 3

    def test_a_check_that_runs_out_of_memory_fails_its_job_only(
        self, cast, monkeypatch, django_capture_on_commit_callbacks
    ):
        from apps.students import imports

        def greedy(*args, **kwargs):
            return bytearray(8 * 2**30)  # more than the cap lets this process add (the machine would give it)

        monkeypatch.setattr(imports, "roster_row", greedy)
        job = start(cast, cast.principal_a, capture=django_capture_on_commit_callbacks)
        assert job.status == "failed" and "giới hạn bộ nhớ" in job.failure
        monkeypatch.undo()
        assert start(cast, cast.principal_a, capture=django_capture_on_commit_callbacks).status == "checked"


def test_a_job_swept_while_its_worker_still_ran_keeps_that_end(cast, monkeypatch, django_capture_on_commit_callbacks):
    """The daily sweep failed a job whose (slow) worker then finished its check: the worker writes nothing over
    that end, keeps no rejected rows and tells nobody."""
    from apps.imports import tasks
    from apps.imports.models import ImportJob
    from apps.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=False):  # the check does not start by itself
        job = services.import_start(
            actor=cast.principal_a,
            kind="students.roster",
            upload=SimpleUploadedFile(
                "ds.xlsx", roster([*ROWS, ["", "", "", "bad", "", "", "", "", "", "", "", "", "", ""]])
            ),
            cleaned={"school": cast.school_a, "year": year(cast)},
        )
    real_plan = tasks._plan

    def swept_meanwhile(job, actor, data=None):
        plan = real_plan(job, actor, data)
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, failure="Quá thời gian xử lý")
        return plan

    monkeypatch.setattr(tasks, "_plan", swept_meanwhile)
    tasks.check_import.call(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.failure == "Quá thời gian xử lý" and not job.rejected
    assert not Notification.objects.filter(kind="imports.checked").exists()


def test_a_failed_re_check_tells_the_one_who_asked_for_it(cast, monkeypatch, django_capture_on_commit_callbacks):
    from apps.imports import tasks
    from apps.notifications.models import Notification

    job = start(cast, cast.principal_a, capture=django_capture_on_commit_callbacks)
    monkeypatch.setattr(tasks, "_plan", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    with django_capture_on_commit_callbacks(execute=True):
        services.import_revise(actor=cast.commune_officer, job=job, mapping={}, decisions={})
    failed = Notification.objects.filter(kind="imports.failed")
    assert [n.recipient for n in failed] == [cast.commune_officer]
