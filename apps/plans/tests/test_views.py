"""The plans' pages, API and exports against the cast: who sees a plan, who sees a task's details (a partner officer
only their organisation's), the Word file and the XLSX of the schedule and of the late list."""

import datetime
import io
import json
import re

import openpyxl
import pytest
from django.urls import reverse

from apps.plans import services
from apps.plans.models import Task
from apps.plans.tests.conftest import issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(plan, cast):
    from apps.schools.models import Organisation

    women = Organisation.objects.get(name="Hội Liên hiệp Phụ nữ xã Trà Linh")
    ours = services.task_add(
        actor=cast.principal_a, plan=plan, title="Trao học bổng", months="10+11/2025", organisation=cast.organisation
    )
    theirs = services.task_add(
        actor=cast.principal_a,
        plan=plan,
        title="Thăm hộ gia đình khó khăn",
        due_on=datetime.date(2025, 9, 20),
        organisation=women,
    )
    return ours, theirs


class TestPlanPages:
    def test_who_sees_the_plan(self, plan, cast, client_for):
        url = reverse("plans:detail", args=[plan.pk])
        assert client_for(cast.principal_a).get(url).status_code == 200
        assert client_for(cast.commune_officer).get(url).status_code == 200
        assert client_for(cast.teacher_a).get(url).status_code == 200
        assert client_for(cast.teacher_b).get(url).status_code == 404
        assert client_for(cast.other_commune_officer).get(url).status_code == 404
        assert client_for(cast.partner).get(url).status_code == 404  # not a signing party of this plan

    def test_only_the_principal_edits_and_the_commune_confirms(self, plan, cast, client_for):
        edit = reverse("plans:edit", args=[plan.pk])
        assert client_for(cast.principal_a).get(edit).status_code == 200
        assert client_for(cast.commune_officer).get(edit).status_code == 403
        assert client_for(cast.teacher_a).get(edit).status_code == 403
        response = client_for(cast.principal_a).post(reverse("plans:confirm", args=[plan.pk]))
        assert response.status_code == 403

    def test_a_signing_partner_reads_the_whole_plan(self, plan, cast, client_for):
        services.signatory_add(
            actor=cast.principal_a,
            plan=plan,
            title="CHỦ TỊCH",
            party="HỘI KHUYẾN HỌC XÃ",
            organisation=cast.organisation,
        )
        response = client_for(cast.partner).get(reverse("plans:detail", args=[plan.pk]))
        assert response.status_code == 200
        assert "Mục đích, yêu cầu" in response.content.decode()

    def test_new_plan_page_is_only_for_those_who_write_plans(self, cast, client_for):
        assert client_for(cast.principal_a).get(reverse("plans:new")).status_code == 200
        assert client_for(cast.teacher_a).get(reverse("plans:new")).status_code == 404

    def test_adding_an_activity_through_htmx_answers_the_schedule(self, plan, cast, client_for):
        response = client_for(cast.principal_a).post(
            reverse("plans:task_add", args=[plan.pk]),
            {"title": "Hội nghị cha mẹ học sinh", "months": "10+11/2025", "owner": "owner"},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert html.lstrip().startswith('<section id="schedule">')
        assert "Hội nghị cha mẹ học sinh" in html and "10+11/2025" in html

    def test_a_bad_month_range_is_told_under_the_field_without_naming_it_again(self, plan, cast, client_for):
        response = client_for(cast.principal_a).post(
            reverse("plans:task_add", args=[plan.pk]),
            {"title": "Việc", "months": "11+10/2025", "owner": "owner"},
            HTTP_HX_REQUEST="true",
        )
        html = response.content.decode()
        field = re.search(r'<label for="id_months">(.*?)</label>.*?id="id_months_error"><li>(.*?)</li>', html, re.S)
        assert field.group(1).startswith("Tháng")
        assert field.group(2) == (
            "“11+10/2025” không phải một tháng hay các tháng liền nhau của một năm (ví dụ 9/2025 hoặc 10+11/2025)."
        )


class TestTaskIsolation:
    def test_a_partner_officer_sees_and_updates_their_organisations_task_only(self, tasks, cast, client_for):
        ours, theirs = tasks
        partner = client_for(cast.partner)
        assert partner.get(reverse("plans:task", args=[ours.pk])).status_code == 200
        assert partner.get(reverse("plans:task", args=[theirs.pk])).status_code == 404
        response = partner.post(
            reverse("plans:task_status", args=[ours.pk]), {"status": "done", "note": "Đã trao 12 suất"}
        )
        assert response.status_code == 302
        ours.refresh_from_db()
        assert ours.status == Task.Status.DONE
        assert (
            partner.post(reverse("plans:task_status", args=[theirs.pk]), {"status": "done", "note": "x"}).status_code
            == 404
        )
        listed = partner.get(reverse("plans:tasks")).content.decode()
        assert "Trao học bổng" in listed and "Thăm hộ gia đình khó khăn" not in listed

    def test_the_api_lists_only_their_tasks(self, tasks, cast, client_for):
        ours, theirs = tasks
        body = client_for(cast.partner).get("/api/v1/plans/tasks").json()
        ids = [row["id"] for row in body["items"]]
        assert ours.pk in ids and theirs.pk not in ids
        response = client_for(cast.partner).post(
            f"/api/v1/plans/tasks/{theirs.pk}/status",
            json.dumps({"status": "done", "note": "x"}),
            content_type="application/json",
        )
        assert response.status_code == 404
        response = client_for(cast.partner).post(
            f"/api/v1/plans/tasks/{ours.pk}/status",
            json.dumps({"status": "in_progress"}),
            content_type="application/json",
        )
        assert response.status_code == 200 and response.json()["status"] == "in_progress"
        ours.refresh_from_db()
        assert ours.status == Task.Status.IN_PROGRESS
        tasks_of_plan = client_for(cast.partner).get(f"/api/v1/plans/{ours.plan_id}/tasks")
        assert tasks_of_plan.status_code == 404  # the plan itself is not theirs to read (not a signing party)

    def test_the_late_list_comes_first_and_exports(self, tasks, cast, client_for):
        from apps.plans import selectors

        ours, theirs = tasks
        done = services.task_add(
            actor=cast.principal_a, plan=ours.plan, title="Đã xong sớm", due_on=datetime.date(2025, 9, 15)
        )
        services.task_set_status(actor=cast.principal_a, task=done, status=Task.Status.DONE, note="Xong")
        listed = [t.title for t in selectors.task_list(cast.principal_a, today=datetime.date(2025, 10, 1))]
        assert listed.index("Thăm hộ gia đình khó khăn") < listed.index("Trao học bổng") < listed.index("Đã xong sớm")
        late = [t.title for t in selectors.late_tasks(cast.principal_a, today=datetime.date(2025, 10, 1))]
        assert "Thăm hộ gia đình khó khăn" in late and "Trao học bổng" not in late and "Đã xong sớm" not in late
        response = client_for(cast.principal_a).get(reverse("plans:late_xlsx"))
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
        assert "Thăm hộ gia đình khó khăn" in [r[2] for r in rows]
        assert "Đã xong sớm" not in [r[2] for r in rows]

    def test_the_calendar_shows_a_task_on_its_due_day(self, tasks, cast, client_for):
        _ours, theirs = tasks
        html = client_for(cast.principal_a).get(reverse("plans:calendar") + "?year=2025&month=9").content.decode()
        assert "Thăm hộ gia đình khó khăn" in html


class TestExports:
    def test_the_schedule_xlsx_keeps_the_month_range(self, plan, cast, client_for):
        response = client_for(cast.principal_a).get(reverse("plans:schedule_xlsx", args=[plan.pk]))
        assert response.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        whens = [row[0].value for row in sheet.iter_rows(min_row=5)]
        assert whens == ["9/2025", "10+11/2025", "12/2025"]
        assert isinstance(sheet.cell(row=5, column=4).value, datetime.datetime)

    def test_the_word_file_downloads_once_issued(self, plan, cast, client_for):
        url = reverse("plans:docx", args=[plan.pk])
        assert client_for(cast.principal_a).get(url).status_code == 404
        issue(plan, cast)
        response = client_for(cast.principal_a).get(url)
        assert response.status_code == 200
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "attachment" in response["Content-Disposition"]
        assert client_for(cast.teacher_b).get(url).status_code == 404

    def test_the_api_gives_the_plan_and_its_targets_progress(self, plan, cast, client_for):
        principal = client_for(cast.principal_a)
        plans = principal.get("/api/v1/plans/").json()["items"]
        assert plan.pk in [p["id"] for p in plans]
        targets = principal.get(f"/api/v1/plans/{plan.pk}/targets").json()
        assert [t["label"] for t in targets] == ["Duy trì sĩ số học sinh", "Họp, phối hợp với nhà trường thường xuyên"]
        assert client_for(cast.teacher_b).get(f"/api/v1/plans/{plan.pk}/targets").status_code == 404


def test_an_amendments_page_shows_its_differences(plan, cast, client_for):
    issue(plan, cast)
    plan.refresh_from_db()
    new = services.plan_amend(actor=cast.principal_a, plan=plan)
    services.plan_update(actor=cast.principal_a, plan=new, reporting="Báo cáo hằng tháng về UBND xã.")
    html = client_for(cast.principal_a).get(reverse("plans:detail", args=[new.pk])).content.decode()
    assert "Những thay đổi so với bản trước" in html
    assert "<ins>Báo cáo hằng tháng về UBND xã.</ins>" in html
    assert plan.document.symbol in html


class TestTargetAndPartyPages:
    def test_the_principal_edits_a_target_on_its_page(self, plan, cast, client_for):
        target = plan.targets.get(mode="computed")
        url = reverse("plans:target_edit", args=[target.pk])
        principal = client_for(cast.principal_a)
        page = principal.get(url)
        assert page.status_code == 200 and 'value="Duy trì sĩ số học sinh"' in page.content.decode()
        response = principal.post(
            url,
            {
                "label": "Duy trì sĩ số",
                "mode": "computed",
                "indicator": "retention",
                "level": "4",
                "comparison": ">=",
                "value": "98,5",
            },
        )
        assert response.status_code == 302
        target.refresh_from_db()
        assert target.label == "Duy trì sĩ số" and str(target.value) == "98.500" and target.level == 4
        html = principal.get(reverse("plans:detail", args=[plan.pk])).content.decode()
        assert "Duy trì sĩ số" in html and "≥ 98.5" in html

    def test_a_target_edit_page_tells_a_bad_figure(self, plan, cast, client_for):
        target = plan.targets.get(mode="computed")
        response = client_for(cast.principal_a).post(
            reverse("plans:target_edit", args=[target.pk]),
            {"label": "X", "mode": "computed", "indicator": "retention", "comparison": ">=", "value": "chín"},
        )
        assert response.status_code == 200 and "“chín” không phải là số." in response.content.decode()

    def test_who_may_edit_remove_and_assess_a_target(self, plan, cast, client_for):
        target = plan.targets.get(mode="attested")
        for name in ("target_edit", "target_remove", "target_assess"):
            url = reverse(f"plans:{name}", args=[target.pk])
            assert client_for(cast.commune_officer).post(url).status_code == 403  # reads, does not write
            assert client_for(cast.teacher_a).post(url).status_code == 403
            assert client_for(cast.teacher_b).post(url).status_code == 404
            assert client_for(cast.partner).post(url).status_code == 404
        assert plan.targets.filter(pk=target.pk).exists()

    def test_the_principal_removes_a_target(self, plan, cast, client_for):
        target = plan.targets.get(mode="attested")
        response = client_for(cast.principal_a).post(reverse("plans:target_remove", args=[target.pk]))
        assert response.status_code == 302 and response["Location"].endswith(f"/plans/{plan.pk}/#targets")
        assert not plan.targets.filter(pk=target.pk).exists()

    def test_the_principal_records_an_assessment_with_evidence(self, plan, cast, client_for):
        from apps.plans.tests.conftest import pdf

        target = plan.targets.get(mode="attested")
        principal = client_for(cast.principal_a)
        url = reverse("plans:target_assess", args=[target.pk])
        principal.post(url, {"assess-met": "1"})
        target.refresh_from_db()
        assert target.met is None  # met needs a note or evidence
        principal.post(url, {"assess-met": "1", "assess-note": "Họp 4 lần", "assess-evidence": pdf("bien-ban.pdf")})
        target.refresh_from_db()
        assert target.met is True and target.note == "Họp 4 lần" and target.evidence.filename == "bien-ban.pdf"
        html = principal.get(reverse("plans:detail", args=[plan.pk])).content.decode()
        assert "bien-ban.pdf" in html and "Họp 4 lần" in html

    def test_an_assessment_is_recorded_on_an_issued_plan_too(self, plan, cast, client_for):
        issue(plan, cast)
        target = plan.targets.get(mode="attested")
        client_for(cast.principal_a).post(
            reverse("plans:target_assess", args=[target.pk]), {"assess-met": "0", "assess-note": "Chưa họp"}
        )
        target.refresh_from_db()
        assert target.met is False

    def test_the_principal_links_a_target_and_moves_the_link(self, plan, cast, client_for):
        from decimal import Decimal

        from apps.plans import linkable

        linkable.register(
            linkable.LinkKind(
                "tests.fake",
                "Chỉ tiêu thử",
                choices=lambda user, plan: [(7, "Bảy"), (9, "Chín")],
                progress=lambda obj_id, plan, on: linkable.Progress(Decimal(obj_id), None, ">=", None, f"{obj_id} em"),
            )
        )
        try:
            principal = client_for(cast.principal_a)
            detail = principal.get(reverse("plans:detail", args=[plan.pk])).content.decode()
            assert 'value="tests.fake:7"' in detail
            principal.post(
                reverse("plans:linked_target_add", args=[plan.pk]),
                {
                    "link-label": "Học sinh được hỗ trợ",
                    "link-link": "tests.fake:7",
                    "link-comparison": ">=",
                    "link-value": "5",
                },
            )
            target = plan.targets.get(link_kind="tests.fake")
            assert target.link_id == 7 and target.mode == "computed"
            response = principal.post(
                reverse("plans:target_edit", args=[target.pk]),
                {
                    "link-label": "Học sinh được hỗ trợ",
                    "link-link": "tests.fake:9",
                    "link-comparison": ">=",
                    "link-value": "5",
                },
            )
            assert response.status_code == 302
            target.refresh_from_db()
            assert target.link_id == 9
            html = principal.get(reverse("plans:detail", args=[plan.pk])).content.decode()
            assert "9 em" in html
            response = principal.post(
                reverse("plans:linked_target_add", args=[plan.pk]),
                {"link-label": "Ngoài", "link-link": "tests.fake:8", "link-comparison": ">="},
                follow=True,
            )
            assert not plan.targets.filter(label="Ngoài").exists()
        finally:
            linkable.unregister("tests.fake")

    def test_the_principal_adds_edits_and_removes_a_party(self, plan, cast, client_for):
        principal = client_for(cast.principal_a)
        principal.post(
            reverse("plans:signatory_add", args=[plan.pk]),
            {
                "party-role": "sign",
                "party-party": "HỘI KHUYẾN HỌC XÃ",
                "party-title": "CHỦ TỊCH",
                "party-prefixes": "TM. BAN CHẤP HÀNH",
                "party-account": f"org:{cast.organisation.pk}",
            },
        )
        added = plan.signatories.get(party="HỘI KHUYẾN HỌC XÃ")
        assert added.organisation == cast.organisation and added.prefixes == ["TM. BAN CHẤP HÀNH"]
        url = reverse("plans:signatory_edit", args=[added.pk])
        page = principal.get(url).content.decode()
        assert "TM. BAN CHẤP HÀNH" in page and f'value="org:{cast.organisation.pk}" selected' in page
        principal.post(
            url,
            {
                "party-role": "sign",
                "party-party": "HỘI KHUYẾN HỌC XÃ",
                "party-title": "PHÓ CHỦ TỊCH",
                "party-name": "Lê Văn Tám",
                "party-prefixes": "TM. BAN CHẤP HÀNH\nKT. CHỦ TỊCH",
                "party-account": "",
            },
        )
        added.refresh_from_db()
        assert added.title == "PHÓ CHỦ TỊCH" and added.prefixes == ["TM. BAN CHẤP HÀNH", "KT. CHỦ TỊCH"]
        assert added.organisation is None  # now signed on paper
        assert (
            client_for(cast.commune_officer).post(reverse("plans:signatory_remove", args=[added.pk])).status_code == 403
        )
        principal.post(reverse("plans:signatory_remove", args=[added.pk]))
        assert not plan.signatories.filter(pk=added.pk).exists()

    def test_an_issued_plan_shows_no_edit_forms_and_refuses_an_edit(self, plan, cast, client_for):
        issue(plan, cast)
        principal = client_for(cast.principal_a)
        html = principal.get(reverse("plans:detail", args=[plan.pk])).content.decode()
        assert "Thêm bên ký" not in html and reverse("plans:target_remove", args=[plan.targets.first().pk]) not in html
        own = plan.signatories.get(school=cast.school_a)
        response = principal.post(reverse("plans:signatory_remove", args=[own.pk]), follow=True)
        assert "không sửa được" in response.content.decode()
        assert plan.signatories.filter(pk=own.pk).exists()


class TestTaskListOwnerFilter:
    def test_the_list_filters_on_one_owner_party(self, tasks, cast, client_for):
        ours, theirs = tasks
        principal = client_for(cast.principal_a)
        services.task_add(
            actor=cast.principal_a, plan=ours.plan, title="Khám sức khỏe", months="10/2025", agency="Trưởng trạm y tế"
        )
        page = principal.get(reverse("plans:tasks")).content.decode()
        assert f'<option value="org:{cast.organisation.pk}">{cast.organisation.name}</option>' in page
        assert '<option value="agency:Trưởng trạm y tế">Trưởng trạm y tế</option>' in page
        listed = principal.get(reverse("plans:tasks"), {"owner": f"org:{cast.organisation.pk}"}).content.decode()
        assert "Trao học bổng" in listed and "Thăm hộ gia đình khó khăn" not in listed
        assert "Khám sức khỏe" not in listed
        listed = principal.get(reverse("plans:tasks"), {"owner": "agency:Trưởng trạm y tế"}).content.decode()
        assert "Khám sức khỏe" in listed and "Trao học bổng" not in listed
        listed = principal.get(reverse("plans:tasks"), {"owner": f"school:{cast.school_a.pk}"}).content.decode()
        assert "Sơ kết công tác xã hội hóa học kỳ I" in listed  # the template's own tasks belong to the school
        assert "Trao học bổng" not in listed and "Thăm hộ gia đình khó khăn" not in listed

    def test_the_filter_offers_only_the_owners_of_tasks_the_user_follows(self, tasks, cast, client_for):
        from apps.schools.models import Organisation

        women = Organisation.objects.get(name="Hội Liên hiệp Phụ nữ xã Trà Linh")
        page = client_for(cast.partner).get(reverse("plans:tasks")).content.decode()
        assert f'value="org:{cast.organisation.pk}"' in page and f'value="org:{women.pk}"' not in page
        # Asking for another organisation's tasks shows the whole (own) list, not theirs.
        listed = client_for(cast.partner).get(reverse("plans:tasks"), {"owner": f"org:{women.pk}"}).content.decode()
        assert "Thăm hộ gia đình khó khăn" not in listed and "Trao học bổng" in listed

    def test_the_htmx_filter_answers_the_results_only(self, tasks, cast, client_for):
        response = client_for(cast.principal_a).get(
            reverse("plans:tasks"), {"owner": f"org:{cast.organisation.pk}"}, HTTP_HX_REQUEST="true"
        )
        html = response.content.decode()
        assert html.lstrip().startswith('<div id="results">') and "Trao học bổng" in html

    def test_the_list_and_its_filter_take_a_fixed_number_of_queries(self, plan, cast, client_for):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from apps.schools.models import Organisation

        principal = client_for(cast.principal_a)
        url = reverse("plans:tasks")

        def count(**params):
            with CaptureQueriesContext(connection) as caught:
                assert principal.get(url, params).status_code == 200
            return len(caught)

        few, few_filtered = count(), count(owner=f"org:{cast.organisation.pk}")
        organisations = list(
            Organisation.objects.filter(school=cast.school_a)
            | Organisation.objects.filter(org_unit=cast.school_a.location)
        )
        for i, org in enumerate(organisations * 3):
            services.task_add(actor=cast.principal_a, plan=plan, title=f"Việc {i}", months="1/2026", organisation=org)
        services.task_add(actor=cast.principal_a, plan=plan, title="Việc y tế", months="2/2026", agency="Trạm y tế")
        assert len(organisations) >= 2
        assert count() == few
        assert count(owner=f"org:{cast.organisation.pk}") == few_filtered


class TestIssuingBodyChoice:
    def test_the_choice_is_offered_only_where_the_owner_has_several_bodies(self, plan, cast, client_for):
        from apps.documents import services as documents

        principal = client_for(cast.principal_a)
        assert 'name="body"' not in principal.get(reverse("plans:new")).content.decode()
        assert 'name="body"' not in principal.get(reverse("plans:edit", args=[plan.pk])).content.decode()
        council = documents.body_create(
            actor=cast.principal_a, name="Hội đồng trường", abbreviation="HĐT", place="Trà Linh", school=cast.school_a
        )
        page = principal.get(reverse("plans:new")).content.decode()
        assert f'<option value="{council.pk}">Trường PTDTBT Tiểu học Trà Nam: Hội đồng trường (HĐT)</option>' in page
        response = principal.post(
            reverse("plans:new"), {"kind": "other", "owner": f"school:{cast.school_a.pk}", "body": str(council.pk)}
        )
        assert response.status_code == 302
        from apps.plans.models import Plan

        made = Plan.objects.get(pk=int(response["Location"].strip("/").split("/")[-1]))
        assert made.body == council
        edit = principal.get(reverse("plans:edit", args=[plan.pk])).content.decode()
        assert f'<option value="{council.pk}">Hội đồng trường (HĐT)</option>' in edit

    def test_a_body_of_another_owner_is_refused_on_the_page(self, cast, client_for):
        from apps.documents import services as documents
        from apps.plans.models import Plan

        services.owner_body(cast.principal_a, school=cast.school_a)
        documents.body_create(
            actor=cast.principal_a, name="Hội đồng trường", abbreviation="HĐT", place="Trà Linh", school=cast.school_a
        )
        other = services.owner_body(cast.commune_officer, org_unit=cast.commune_a)
        before = Plan.objects.count()
        response = client_for(cast.principal_a).post(
            reverse("plans:new"), {"kind": "other", "owner": f"school:{cast.school_a.pk}", "body": str(other.pk)}
        )
        assert response.status_code == 200 and 'class="errorlist' in response.content.decode()
        assert Plan.objects.count() == before
