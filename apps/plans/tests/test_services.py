import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import override_settings

from apps.core.models import AuditEvent
from apps.documents.models import Document
from apps.plans import content, services
from apps.plans.models import Plan, Signatory, Status, Task
from apps.plans.tests.conftest import DAY, agree_all, issue, jpeg_with_location, pdf

pytestmark = pytest.mark.django_db


class TestTemplate:
    def test_a_new_plan_starts_from_its_kinds_template_filled_for_this_year(self, plan, cast):
        assert plan.title == "Thực hiện xã hội hóa giáo dục năm học 2025-2026"
        assert plan.school_year.start_year == 2025
        assert plan.confirming_unit == cast.school_a.managed_by
        assert any("2025-2026" in b for b in plan.basis)
        whens = [t.when for t in plan.tasks.all()]
        assert whens == ["9/2025", "10+11/2025", "12/2025"]
        assert plan.tasks.get(month_end=datetime.date(2025, 11, 1)).due_on == datetime.date(2025, 11, 30)
        roles = list(plan.signatories.values_list("role", "title"))
        assert ("sign", "HIỆU TRƯỞNG") in roles and ("confirm", "PHÓ CHỦ TỊCH") in roles
        assert plan.status == Status.DRAFT

    def test_a_teacher_may_not_write_the_schools_plan(self, cast):
        with pytest.raises(PermissionDenied):
            services.plan_create(actor=cast.teacher_a, kind="other", school=cast.school_a, on=DAY)

    def test_a_coordination_plan_has_four_parties(self, cast):
        plan = services.plan_create(actor=cast.principal_a, kind="coordination", school=cast.school_a, on=DAY)
        labels = [s.party or s.title for s in plan.signatories.filter(role="sign")]
        assert labels == ["MẶT TRẬN TỔ QUỐC XÃ", "CT.CĐCS", "HIỆU TRƯỞNG", "TỔNG PHỤ TRÁCH ĐỘI"]
        front = plan.signatories.get(party="MẶT TRẬN TỔ QUỐC XÃ")
        assert front.organisation is not None and "MTTQ" in front.organisation.name


class TestMonths:
    @pytest.mark.parametrize(
        "text, first, last",
        [("10+11/2025", (2025, 10, 1), (2025, 11, 1)), ("9/2025", (2025, 9, 1), (2025, 9, 1))],
    )
    def test_it_reads_a_month_or_a_range(self, text, first, last):
        assert services.parse_months(text) == (datetime.date(*first), datetime.date(*last))

    @pytest.mark.parametrize("text", ["11+10/2025", "13/2025", "10+12/2025", "tháng 10", ""])
    def test_it_refuses_what_is_not_a_range_of_months(self, text):
        with pytest.raises(ValidationError):
            services.parse_months(text)

    def test_an_activity_over_two_months_is_due_at_the_end_of_the_second(self, plan, cast):
        task = services.task_add(
            actor=cast.principal_a, plan=plan, title="Vận động", months="10+11/2025", agency="Trưởng trạm y tế"
        )
        assert task.when == "10+11/2025"
        assert task.due_on == datetime.date(2025, 11, 30)
        assert task.owner_label == "Trưởng trạm y tế"


class TestAgreement:
    def test_an_edit_after_agreement_voids_it(self, plan, cast):
        services.plan_submit(actor=cast.principal_a, plan=plan)
        own = plan.signatories.get(school=cast.school_a)
        services.signatory_agree(actor=cast.principal_a, signatory=own)
        own.refresh_from_db()
        assert own.agreed(content.content_hash(plan))
        services.plan_update(actor=cast.principal_a, plan=plan, purposes="Mục đích mới.")
        own.refresh_from_db()
        assert own.agreed_hash == "" and own.agreed_at is None
        assert AuditEvent.objects.filter(action="plans.agreement_void", object_id=str(plan.pk)).exists()

    def test_adding_an_activity_after_agreement_voids_it_too(self, plan, cast):
        services.plan_submit(actor=cast.principal_a, plan=plan)
        own = plan.signatories.get(school=cast.school_a)
        services.signatory_agree(actor=cast.principal_a, signatory=own)
        services.task_add(actor=cast.principal_a, plan=plan, title="Thêm việc", months="1/2026")
        own.refresh_from_db()
        assert own.agreed_hash == ""

    def test_a_party_agrees_only_for_itself(self, plan, cast):
        services.plan_submit(actor=cast.principal_a, plan=plan)
        own = plan.signatories.get(school=cast.school_a)
        with pytest.raises((PermissionDenied, Http404)):
            services.signatory_agree(actor=cast.teacher_a, signatory=own)

    def test_a_party_on_paper_is_recorded_with_its_scan_and_audited(self, plan, cast):
        services.plan_submit(actor=cast.principal_a, plan=plan)
        other = plan.signatories.filter(role="sign").exclude(school=cast.school_a).get()
        services.signatory_record_paper(actor=cast.principal_a, signatory=other, scan=pdf())
        other.refresh_from_db()
        assert other.on_paper and other.scan.filename == "ban-ky.pdf"
        event = AuditEvent.objects.get(action="plans.signatory_paper", object_id=str(plan.pk))
        assert event.changes["scan"] == "ban-ky.pdf"

    def test_a_scan_with_a_forged_extension_is_refused(self, plan, cast):
        services.plan_submit(actor=cast.principal_a, plan=plan)
        other = plan.signatories.filter(role="sign").exclude(school=cast.school_a).get()
        forged = pdf("ban-ky.jpg")
        with pytest.raises(ValidationError):
            services.signatory_record_paper(actor=cast.principal_a, signatory=other, scan=forged)

    def test_when_all_agree_it_awaits_the_commune_which_confirms_and_issues_it(self, plan, cast):
        services.plan_submit(actor=cast.principal_a, plan=plan)
        agree_all(plan, cast)
        assert plan.status == Status.AWAITING
        with pytest.raises((PermissionDenied, Http404)):
            services.plan_confirm(actor=cast.principal_a, plan=plan, on=DAY)
        services.plan_confirm(actor=cast.commune_officer, plan=plan, on=DAY)
        plan.refresh_from_db()
        assert plan.status == Status.ISSUED
        assert plan.document.symbol.endswith("/KH-" + plan.body.abbreviation)
        assert plan.document.kind == "ke_hoach"
        with pytest.raises(ValidationError):
            services.plan_update(actor=cast.principal_a, plan=plan, title="Sửa sau khi ban hành")


class TestAmendment:
    def test_an_amendment_shows_its_differences_needs_agreement_again_and_supersedes_the_old_number(self, plan, cast):
        issue(plan, cast)
        plan.refresh_from_db()
        old_symbol = plan.document.symbol
        task = plan.tasks.get(month_start=datetime.date(2025, 9, 1))
        services.task_set_status(actor=cast.principal_a, task=task, status=Task.Status.IN_PROGRESS)
        services.task_add_evidence(actor=cast.principal_a, task=task, upload=pdf("bien-ban.pdf"))

        new = services.plan_amend(actor=cast.principal_a, plan=plan)
        new = services.plan_update(actor=cast.principal_a, plan=new, title="Thực hiện xã hội hóa giáo dục (sửa đổi)")
        changes = {d["key"]: d for d in content.differences(plan, new)}
        assert list(changes) == ["title"]
        assert changes["title"]["added"] == ["Thực hiện xã hội hóa giáo dục (sửa đổi)"]

        services.plan_submit(actor=cast.principal_a, plan=new)
        with pytest.raises(ValidationError):
            services.plan_confirm(actor=cast.commune_officer, plan=new, on=DAY)  # not agreed again yet
        agree_all(new, cast)
        services.plan_confirm(actor=cast.commune_officer, plan=new, on=datetime.date(2025, 10, 1))
        new.refresh_from_db()
        plan.refresh_from_db()
        assert plan.status == Status.SUPERSEDED
        assert new.document.symbol != old_symbol
        assert new.document.supersedes == plan.document
        assert f"thay thế Kế hoạch số {old_symbol}" in new.document.summary
        carried = new.tasks.get(carried_from=task)
        assert carried.status == Task.Status.IN_PROGRESS
        assert [e.filename for e in carried.evidence.all()] == ["bien-ban.pdf"]

    def test_only_an_issued_plan_is_amended(self, plan, cast):
        with pytest.raises(ValidationError):
            services.plan_amend(actor=cast.principal_a, plan=plan)


class TestTasks:
    @pytest.fixture
    def two_tasks(self, plan, cast):
        from apps.schools.models import Organisation

        women = Organisation.objects.get(name="Hội Liên hiệp Phụ nữ xã Trà Linh")
        ours = services.task_add(
            actor=cast.principal_a, plan=plan, title="Trao học bổng", months="10/2025", organisation=cast.organisation
        )
        theirs = services.task_add(
            actor=cast.principal_a, plan=plan, title="Thăm hộ gia đình", months="10/2025", organisation=women
        )
        return ours, theirs

    def test_a_partner_officer_updates_their_organisations_task(self, two_tasks, cast):
        ours, _theirs = two_tasks
        services.task_set_status(actor=cast.partner, task=ours, status=Task.Status.DONE, note="Đã trao 10 suất")
        ours.refresh_from_db()
        assert ours.status == Task.Status.DONE

    def test_a_partner_officer_sees_no_other_organisations_task(self, two_tasks, cast):
        ours, theirs = two_tasks
        assert list(Task.objects.restrict(cast.partner).filter(pk__in=[ours.pk, theirs.pk])) == [ours]
        with pytest.raises(Http404):
            services.task_set_status(actor=cast.partner, task=theirs, status=Task.Status.DONE, note="x")
        with pytest.raises(Http404):
            services.task_comment(actor=cast.partner, task=theirs, text="x")

    def test_done_needs_a_note_or_evidence_and_cancelled_a_reason(self, two_tasks, cast):
        ours, _theirs = two_tasks
        with pytest.raises(ValidationError):
            services.task_set_status(actor=cast.partner, task=ours, status=Task.Status.DONE)
        with pytest.raises(ValidationError):
            services.task_set_status(actor=cast.partner, task=ours, status=Task.Status.CANCELLED)
        services.task_add_evidence(actor=cast.partner, task=ours, upload=pdf())
        services.task_set_status(actor=cast.partner, task=ours, status=Task.Status.DONE)

    def test_a_photo_as_evidence_loses_its_location(self, two_tasks, cast):
        from PIL import Image

        ours, _theirs = two_tasks
        item = services.task_add_evidence(actor=cast.partner, task=ours, upload=jpeg_with_location())
        with item.file.open("rb") as fh:
            assert 0x8825 not in Image.open(fh).getexif()

    def test_late_is_derived(self, two_tasks):
        ours, _theirs = two_tasks
        assert not ours.is_late(datetime.date(2025, 10, 31))
        assert ours.is_late(datetime.date(2025, 11, 1))


class TestReminders:
    @override_settings(SITE_URL="https://dentruong.example.vn")
    def test_reminders_go_out_7_and_1_days_before_and_once_when_late(
        self, plan, cast, django_capture_on_commit_callbacks
    ):
        from apps.notifications.models import Notification
        from apps.plans import jobs

        cast.partner.email = "khuyenhoc.tralinh@example.vn"
        cast.partner.save(update_fields=["email"])
        task = services.task_add(
            actor=cast.principal_a,
            plan=plan,
            title="Trao học bổng",
            due_on=datetime.date(2025, 10, 20),
            organisation=cast.organisation,
        )
        issue(plan, cast)
        task = Task.objects.get(plan=plan, title="Trao học bokng".replace("bokng", "bổng"))

        def mine():
            return list(
                Notification.objects.filter(recipient=cast.partner, url__endswith=f"/tasks/{task.pk}/").values_list(
                    "kind", flat=True
                )
            )

        def run(day):
            with django_capture_on_commit_callbacks(execute=True):  # the e-mails go once the job's write commits
                jobs.reminders(day)

        def mails():
            link = f"https://dentruong.example.vn/plans/tasks/{task.pk}/"
            return [m.subject for m in mail.outbox if m.to == [cast.partner.email] and link in m.body]

        mail.outbox.clear()
        run(datetime.date(2025, 10, 12))
        assert mine() == [] and mails() == []
        run(datetime.date(2025, 10, 13))
        assert mine() == ["plans.due7"]
        assert mails() == ["Nhiệm vụ còn 7 ngày đến hạn: 20/10/2025"]
        run(datetime.date(2025, 10, 14))
        assert mine() == ["plans.due7"]
        run(datetime.date(2025, 10, 19))
        assert sorted(mine()) == ["plans.due1", "plans.due7"]
        run(datetime.date(2025, 10, 21))
        run(datetime.date(2025, 10, 22))
        assert sorted(mine()) == ["plans.due1", "plans.due7", "plans.late"]
        assert mails() == [
            "Nhiệm vụ còn 7 ngày đến hạn: 20/10/2025",
            "Nhiệm vụ đến hạn ngày mai: 20/10/2025",
            "Nhiệm vụ quá hạn: 20/10/2025",
        ]
        assert "Trao học bổng" in next(m.body for m in mail.outbox if m.to == [cast.partner.email])

    def test_a_done_task_is_not_reminded(self, plan, cast):
        from apps.notifications.models import Notification
        from apps.plans import jobs

        issue(plan, cast)
        task = services.task_add  # noqa: F841 - the plan is issued: its template tasks are the ones reminded
        first = plan.tasks.order_by("due_on").first()
        services.task_set_status(actor=cast.principal_a, task=first, status=Task.Status.DONE, note="Xong")
        jobs.reminders(first.due_on - datetime.timedelta(days=1))
        assert not Notification.objects.filter(url__endswith=f"/tasks/{first.pk}/").exists()

    def test_the_daily_job_is_registered(self):
        from apps.core import daily

        assert "plans.reminders" in daily.jobs()


def test_plan_and_document_counts_stay_consistent(plan, cast):
    issue(plan, cast)
    assert Document.objects.filter(pk=Plan.objects.get(pk=plan.pk).document_id).count() == 1
    assert Signatory.objects.filter(plan=plan, on_paper=True).count() == 1


class TestLinkedAndAttestedTargets:
    def test_a_target_linked_to_a_registered_kind_shows_that_kinds_live_figure(self, plan, cast):
        from decimal import Decimal

        from apps.plans import linkable, progress

        kind = linkable.LinkKind(
            "tests.fake",
            "Chỉ tiêu thử",
            choices=lambda user, plan: [(7, "Bảy")],
            progress=lambda obj_id, plan, on: linkable.Progress(
                Decimal(obj_id * 10), None, ">=", None, f"{obj_id * 10} em"
            ),
        )
        linkable.register(kind)
        try:
            services.target_add(
                actor=cast.principal_a,
                plan=plan,
                label="Học sinh được hỗ trợ",
                mode="computed",
                link_kind="tests.fake",
                link_id=7,
                comparison=">=",
                value="60",
            )
            with pytest.raises(ValidationError):
                services.target_add(
                    actor=cast.principal_a,
                    plan=plan,
                    label="Ngoài phạm vi",
                    mode="computed",
                    link_kind="tests.fake",
                    link_id=8,
                    value="1",
                )
            line = next(x for x in progress.measure(plan) if x.target.label == "Học sinh được hỗ trợ")
            assert line.progress.text == "70 em" and line.progress.met is True
        finally:
            linkable.unregister("tests.fake")

    def test_the_targets_and_funds_kinds_are_registered(self):
        from apps.plans import linkable

        assert {"targets.target", "funds.fund"} <= set(linkable.kinds())

    def test_a_computed_target_follows_the_engine(self, plan, cast):
        from apps.indicators import registry
        from apps.indicators import selectors as engine
        from apps.plans import progress

        line = progress.measure(plan)[0]
        target = registry.Target(school=cast.school_a)
        figure = engine.figures([target], year=plan.school_year, level=4, codes={"retention"})["retention"][target.key][
            ""
        ]
        assert line.progress.text == f"{figure.rate:.1f} % ({figure.numerator}/{figure.denominator})"

    def test_an_attested_target_is_met_with_evidence(self, plan, cast):
        attested = plan.targets.get(mode="attested")
        with pytest.raises(ValidationError):
            services.target_attest(actor=cast.principal_a, target=attested, met=True)
        services.target_attest(actor=cast.principal_a, target=attested, met=True, evidence=pdf("bien-ban-hop.pdf"))
        attested.refresh_from_db()
        assert attested.met is True and attested.evidence.filename == "bien-ban-hop.pdf"


class TestUnitPlan:
    def test_a_communes_plan_is_signed_tm_kt_and_issued_by_the_commune_without_confirmation(self, cast):
        import io

        from docx import Document as open_docx

        plan = services.plan_create(actor=cast.commune_officer, kind="other", org_unit=cast.commune_a, on=DAY)
        own = plan.signatories.get()
        assert own.prefixes == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"] and own.title == "PHÓ CHỦ TỊCH"
        plan = services.plan_update(
            actor=cast.commune_officer,
            plan=plan,
            period_start=datetime.date(2021, 1, 1),
            period_end=datetime.date(2025, 12, 31),
        )
        services.plan_submit(actor=cast.commune_officer, plan=plan)
        services.signatory_agree(actor=cast.commune_officer, signatory=own)
        services.plan_issue(actor=cast.commune_officer, plan=plan, on=DAY)
        plan.refresh_from_db()
        assert plan.status == Status.ISSUED and plan.document.symbol == "01/KH-UBND"
        with plan.document.file.open("rb") as fh:
            doc = open_docx(io.BytesIO(fh.read()))
        cells = [p.text for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs]
        at = cells.index("TM. ỦY BAN NHÂN DÂN")
        assert cells[at : at + 3] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


@pytest.fixture
def agreed_by_the_school(plan, cast):
    """The plan sent to its parties, the school having agreed to it as it is."""
    services.plan_submit(actor=cast.principal_a, plan=plan)
    own = plan.signatories.get(school=cast.school_a)
    services.signatory_agree(actor=cast.principal_a, signatory=own)
    own.refresh_from_db()
    assert own.agreed(content.content_hash(plan))
    return own


@pytest.fixture
def fake_kind():
    from decimal import Decimal

    from apps.plans import linkable

    kind = linkable.LinkKind(
        "tests.fake",
        "Chỉ tiêu thử",
        choices=lambda user, plan: [(7, "Bảy"), (9, "Chín")],
        progress=lambda obj_id, plan, on: linkable.Progress(
            Decimal(obj_id * 10), None, ">=", None, f"{obj_id * 10} em"
        ),
    )
    linkable.register(kind)
    yield kind
    linkable.unregister("tests.fake")


class TestEditingTargets:
    def test_editing_a_target_after_agreement_voids_it_and_is_audited(self, plan, cast, agreed_by_the_school):
        target = plan.targets.get(mode="computed")
        services.target_update(
            actor=cast.principal_a,
            target=target,
            label="Duy trì sĩ số học sinh tiểu học",
            mode="computed",
            indicator=target.indicator,
            level=target.level,
            comparison=">=",
            value="99",
        )
        target.refresh_from_db()
        assert target.label == "Duy trì sĩ số học sinh tiểu học" and str(target.value) == "99.000"
        agreed_by_the_school.refresh_from_db()
        assert agreed_by_the_school.agreed_hash == ""
        event = AuditEvent.objects.get(action="plans.target_update", object_id=str(plan.pk))
        assert event.changes["label"] == ["Duy trì sĩ số học sinh", "Duy trì sĩ số học sinh tiểu học"]
        assert AuditEvent.objects.filter(action="plans.agreement_void", object_id=str(plan.pk)).exists()

    def test_an_edit_that_changes_nothing_keeps_the_agreement(self, plan, cast, agreed_by_the_school):
        target = plan.targets.get(mode="attested")
        services.target_update(actor=cast.principal_a, target=target, label=target.label, mode="attested")
        agreed_by_the_school.refresh_from_db()
        assert agreed_by_the_school.agreed(content.content_hash(plan))
        assert not AuditEvent.objects.filter(action="plans.target_update").exists()

    def test_a_target_with_an_unknown_indicator_is_refused(self, plan, cast):
        target = plan.targets.get(mode="computed")
        with pytest.raises(ValidationError) as caught:
            services.target_update(
                actor=cast.principal_a, target=target, label="X", mode="computed", indicator="khong_co", value="1"
            )
        assert "khong_co" in str(caught.value)

    def test_removing_a_target_voids_the_agreement_and_is_audited(self, plan, cast, agreed_by_the_school):
        target = plan.targets.get(mode="attested")
        services.target_remove(actor=cast.principal_a, target=target)
        assert not plan.targets.filter(pk=target.pk).exists()
        agreed_by_the_school.refresh_from_db()
        assert agreed_by_the_school.agreed_hash == ""
        event = AuditEvent.objects.get(action="plans.target_remove", object_id=str(plan.pk))
        assert event.changes == {"label": target.label}

    def test_an_issued_plans_targets_are_not_edited_nor_removed(self, plan, cast):
        issue(plan, cast)
        target = plan.targets.get(mode="attested")
        with pytest.raises(ValidationError):
            services.target_remove(actor=cast.principal_a, target=target)
        with pytest.raises(ValidationError):
            services.target_update(actor=cast.principal_a, target=target, label="Khác", mode="attested")

    def test_a_teacher_may_not_edit_a_target(self, plan, cast):
        target = plan.targets.get(mode="attested")
        with pytest.raises((PermissionDenied, Http404)):
            services.target_remove(actor=cast.teacher_a, target=target)

    def test_a_linked_target_moves_to_another_object_in_scope_only(self, plan, cast, fake_kind):
        from apps.plans import progress

        target = services.target_add(
            actor=cast.principal_a, plan=plan, label="Hỗ trợ", mode="computed", link_kind="tests.fake", link_id=7
        )
        services.target_update(
            actor=cast.principal_a,
            target=target,
            label="Hỗ trợ",
            mode="computed",
            link_kind="tests.fake",
            link_id=9,
            comparison=">=",
            value="80",
        )
        line = next(x for x in progress.measure(plan) if x.target.pk == target.pk)
        assert line.progress.text == "90 em" and line.progress.met is True
        with pytest.raises(ValidationError):
            services.target_update(
                actor=cast.principal_a,
                target=target,
                label="Hỗ trợ",
                mode="computed",
                link_kind="tests.fake",
                link_id=8,
            )

    def test_assessing_a_target_after_agreement_keeps_the_agreement(self, plan, cast, agreed_by_the_school):
        target = plan.targets.get(mode="attested")
        services.target_attest(actor=cast.principal_a, target=target, met=False, note="Chưa họp quý I")
        target.refresh_from_db()
        assert target.met is False and target.note == "Chưa họp quý I"
        agreed_by_the_school.refresh_from_db()
        assert agreed_by_the_school.agreed(content.content_hash(plan))
        assert AuditEvent.objects.get(action="plans.target_attest").changes["met"] is False

    def test_a_computed_target_is_not_assessed_by_hand(self, plan, cast):
        with pytest.raises(ValidationError):
            services.target_attest(actor=cast.principal_a, target=plan.targets.get(mode="computed"), met=True, note="x")


class TestEditingParties:
    def test_editing_a_party_after_agreement_voids_it_and_is_audited(self, plan, cast, agreed_by_the_school):
        other = plan.signatories.filter(role="sign").exclude(school=cast.school_a).get()
        services.signatory_update(
            actor=cast.principal_a,
            signatory=other,
            title="TRƯỞNG BAN",
            party=other.party,
            name="Nguyễn Thị Hoa",
            prefixes="TM. BAN ĐẠI DIỆN CMHS\n",
        )
        other.refresh_from_db()
        assert other.name == "Nguyễn Thị Hoa" and other.prefixes == ["TM. BAN ĐẠI DIỆN CMHS"]
        agreed_by_the_school.refresh_from_db()
        assert agreed_by_the_school.agreed_hash == ""
        event = AuditEvent.objects.get(action="plans.signatory_update", object_id=str(plan.pk))
        assert event.changes["name"] == ["", "Nguyễn Thị Hoa"]

    def test_changing_who_speaks_for_a_party_voids_that_partys_agreement(self, plan, cast, agreed_by_the_school):
        own = agreed_by_the_school
        services.signatory_update(
            actor=cast.principal_a,
            signatory=own,
            title=own.title,
            party=own.party,
            name=own.name,
            prefixes=own.prefixes,
            organisation=cast.organisation,
        )
        own.refresh_from_db()
        assert own.organisation == cast.organisation and own.school is None and own.agreed_hash == ""

    def test_a_party_needs_a_title_and_at_most_one_account(self, plan, cast):
        own = plan.signatories.get(school=cast.school_a)
        with pytest.raises(ValidationError):
            services.signatory_update(actor=cast.principal_a, signatory=own, title=" ")
        with pytest.raises(ValidationError):
            services.signatory_update(
                actor=cast.principal_a, signatory=own, title="X", school=cast.school_a, organisation=cast.organisation
            )

    def test_removing_a_party_voids_the_agreement_and_is_audited(self, plan, cast, agreed_by_the_school):
        other = plan.signatories.filter(role="sign").exclude(school=cast.school_a).get()
        services.signatory_remove(actor=cast.principal_a, signatory=other)
        agreed_by_the_school.refresh_from_db()
        assert agreed_by_the_school.agreed_hash == ""
        assert AuditEvent.objects.get(action="plans.signatory_remove").changes == {"party": str(other)}

    def test_an_issued_plans_parties_are_not_edited(self, plan, cast):
        issue(plan, cast)
        own = plan.signatories.get(school=cast.school_a)
        with pytest.raises(ValidationError):
            services.signatory_update(actor=cast.principal_a, signatory=own, title="HIỆU TRƯỞNG", name="Ai đó")


@pytest.fixture
def second_body(cast):
    """School A's second issuing body: its council (Hội đồng trường), numbering on its own."""
    from apps.documents import services as documents

    services.owner_body(cast.principal_a, school=cast.school_a)  # the first one exists
    return documents.body_create(
        actor=cast.principal_a,
        name="Hội đồng trường PTDTBT Tiểu học Trà Nam",
        parent_name="UBND xã Trà Linh",
        abbreviation="HĐTTN",
        place="Trà Linh",
        school=cast.school_a,
    )


class TestIssuingBody:
    def test_a_plan_uses_its_owners_first_issuing_body_by_default(self, plan, cast, second_body):
        again = services.plan_create(actor=cast.principal_a, kind="other", school=cast.school_a, on=DAY)
        assert again.body == plan.body == services.owner_bodies(school=cast.school_a).first() != second_body

    def test_the_owner_chooses_another_of_its_bodies_and_the_plan_is_numbered_in_it(self, cast, second_body):
        plan = services.plan_create(
            actor=cast.principal_a, kind="socialisation", school=cast.school_a, on=DAY, body=second_body
        )
        assert plan.body == second_body
        issue(plan, cast)
        plan.refresh_from_db()
        assert plan.document.symbol.endswith("/KH-HĐTTN") and plan.document.body == second_body

    def test_another_owners_body_is_refused(self, cast):
        other = services.owner_body(cast.commune_officer, org_unit=cast.commune_a)
        with pytest.raises(ValidationError) as caught:
            services.plan_create(actor=cast.principal_a, kind="other", school=cast.school_a, on=DAY, body=other)
        assert "không thuộc đơn vị lập kế hoạch" in str(caught.value)

    def test_changing_the_body_after_agreement_voids_it_and_shows_in_the_differences(
        self, plan, cast, second_body, agreed_by_the_school
    ):
        first = plan.body
        services.plan_update(actor=cast.principal_a, plan=plan, body=second_body)
        agreed_by_the_school.refresh_from_db()
        assert agreed_by_the_school.agreed_hash == ""
        old = Plan.objects.get(pk=plan.pk)
        old.body = first
        changes = {d["key"]: d for d in content.differences(old, Plan.objects.get(pk=plan.pk))}
        assert changes["body"]["added"] == ["Hội đồng trường PTDTBT Tiểu học Trà Nam (HĐTTN)"]
