"""The steering committee for building national standard schools: set up by the commune's officers, its members and
roles (one head), the duties given to members as tasks of the plans app; its pages follow the commune's scope."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.core.audit import AuditEvent
from apps.plans.models import Task
from apps.standards import committee_services as services
from apps.standards.models import SteeringCommittee, SteeringMember

DECIDED = datetime.date(2031, 3, 2)


@pytest.fixture
def committee(cast):
    return services.committee_create(
        actor=cast.commune_officer,
        org_unit=cast.commune_a,
        name="Ban chỉ đạo xây dựng trường chuẩn Quốc gia xã Trà Linh",
        decision_number="45/QĐ-UBND",
        decision_date=DECIDED,
        issuer="UBND xã Trà Linh",
        period_from=2031,
        period_to=2035,
        review_on=datetime.date(2033, 12, 31),
    )


class TestCommitteeServices:
    def test_the_commune_s_officer_sets_it_up_and_the_decision_is_audited(self, cast, committee):
        assert (committee.org_unit, committee.decision_number, committee.decision_date) == (
            cast.commune_a,
            "45/QĐ-UBND",
            DECIDED,
        )
        assert AuditEvent.objects.filter(action="standards.committee_create", object_id=str(committee.pk)).exists()

    def test_another_commune_s_officer_and_a_principal_may_not(self, cast):
        for actor in (cast.other_commune_officer, cast.principal_a):
            with pytest.raises(PermissionDenied):
                services.committee_create(
                    actor=actor,
                    org_unit=cast.commune_a,
                    name="Ban chỉ đạo",
                    decision_number="1",
                    decision_date=DECIDED,
                    issuer="UBND",
                    period_from=2031,
                    period_to=2035,
                )

    def test_a_period_ending_before_it_starts_is_refused(self, cast):
        with pytest.raises(ValidationError):
            services.committee_create(
                actor=cast.commune_officer,
                org_unit=cast.commune_a,
                name="Ban chỉ đạo",
                decision_number="1",
                decision_date=DECIDED,
                issuer="UBND",
                period_from=2035,
                period_to=2031,
            )

    def test_members_keep_their_roles_and_the_committee_has_one_head(self, cast, committee):
        head = services.committee_member_add(
            actor=cast.commune_officer,
            committee=committee,
            name="Nguyễn Văn Trưởng",
            position="Phó Chủ tịch UBND xã",
            role=SteeringMember.Role.HEAD,
        )
        services.committee_member_add(
            actor=cast.commune_officer, committee=committee, name="", position="Trưởng trạm y tế", duty="Y tế học đường"
        )
        assert [(m.position, m.role) for m in committee.members.all()] == [
            ("Phó Chủ tịch UBND xã", "head"),
            ("Trưởng trạm y tế", "member"),
        ]
        with pytest.raises(ValidationError, match="đã có trưởng ban"):
            services.committee_member_add(
                actor=cast.commune_officer, committee=committee, name="B", position="Chủ tịch", role="head"
            )
        assert committee.members.get(role="head") == head

    def test_a_duty_becomes_a_task_of_the_member_s_party(self, cast, committee):
        agency = services.committee_member_add(
            actor=cast.commune_officer, committee=committee, name="", position="Trưởng trạm y tế"
        )
        partner = services.committee_member_add(
            actor=cast.commune_officer,
            committee=committee,
            name="",
            position="Chủ tịch Hội Khuyến học",
            organisation=cast.organisation,
        )
        health = services.committee_duty_add(
            actor=cast.commune_officer,
            member=agency,
            title="Hướng dẫn Y tế học đường",
            due_on=datetime.date(2031, 9, 5),
        )
        campaign = services.committee_duty_add(
            actor=cast.commune_officer, member=partner, title="Vận động xã hội hóa", due_on=datetime.date(2031, 12, 1)
        )
        assert (health.task.owner_unit, health.task.plan, health.task.due_on) == (
            cast.commune_a,
            None,
            datetime.date(2031, 9, 5),
        )
        assert campaign.task.owner_organisation == cast.organisation
        # the partner organisation's officer finds it among their tasks; another commune's officer does not
        assert Task.objects.restrict(cast.partner).filter(pk=campaign.task_id).exists()
        assert not Task.objects.restrict(cast.other_commune_officer).filter(pk=health.task_id).exists()

    def test_another_commune_s_officer_cannot_add_members(self, cast, committee):
        from django.http import Http404

        with pytest.raises(Http404):
            services.committee_member_add(actor=cast.other_commune_officer, committee=committee, name="X", position="Y")


class TestCommitteePages:
    def test_the_page_shows_the_decision_members_and_duties_and_follows_the_commune_s_scope(
        self, cast, client_for, committee
    ):
        member = services.committee_member_add(
            actor=cast.commune_officer,
            committee=committee,
            name="",
            position="Trưởng trạm y tế",
            duty="Tham mưu chỉ đạo, hướng dẫn hoạt động Y tế học đường",
        )
        services.committee_duty_add(
            actor=cast.commune_officer,
            member=member,
            title="Kiểm tra y tế học đường",
            due_on=datetime.date(2031, 10, 1),
        )
        url = reverse("standards:committee", args=[committee.pk])
        page = client_for(cast.principal_a).get(url).content.decode()
        assert "45/QĐ-UBND" in page and "02/03/2031" in page
        assert "Trưởng trạm y tế" in page and "Kiểm tra y tế học đường" in page
        assert reverse("standards:committee_member_add", args=[committee.pk]) not in page  # read-only for a principal
        assert reverse("standards:committee_member_add", args=[committee.pk]) in (
            client_for(cast.commune_officer).get(url).content.decode()
        )
        for member_ in (cast.commune_officer, cast.province_officer, cast.teacher_a, cast.admin):
            assert client_for(member_).get(url).status_code == 200
        assert client_for(cast.teacher_b).get(url).status_code == 404
        assert client_for(cast.other_commune_officer).get(url).status_code == 404

    def test_the_list_shows_only_the_committees_in_scope(self, cast, client_for, committee):
        url = reverse("standards:committees")
        assert committee.name in client_for(cast.commune_officer).get(url).content.decode()
        assert committee.name not in client_for(cast.other_commune_officer).get(url).content.decode()

    def test_the_officer_sets_it_up_adds_a_member_and_gives_a_duty_from_the_pages(self, cast, client_for):
        client = client_for(cast.commune_officer)
        response = client.post(
            reverse("standards:committee_create"),
            {
                "org_unit": cast.commune_a.pk,
                "name": "Ban chỉ đạo mới",
                "decision_number": "12/QĐ-UBND",
                "decision_date": "2031-04-01",
                "issuer": "UBND xã",
                "period_from": 2031,
                "period_to": 2035,
            },
        )
        committee = SteeringCommittee.objects.get(name="Ban chỉ đạo mới")
        assert response["Location"] == reverse("standards:committee", args=[committee.pk])
        client.post(
            reverse("standards:committee_member_add", args=[committee.pk]),
            {"name": "Lê Thị Phó", "position": "Phó Chủ tịch UBND xã", "role": "head", "duty": ""},
        )
        member = committee.members.get()
        client.post(
            reverse("standards:committee_duty_add", args=[committee.pk]),
            {"member": member.pk, "title": "Kiểm tra tiến độ xây dựng", "due_on": "2031-06-30"},
        )
        assert member.duties.get().task.title == "Kiểm tra tiến độ xây dựng"

    def test_writes_answer_403_read_only_and_404_out_of_scope(self, cast, client_for, committee):
        url = reverse("standards:committee_member_add", args=[committee.pk])
        data = {"name": "X", "position": "Y", "role": "member"}
        assert client_for(cast.principal_a).post(url, data).status_code == 403
        assert client_for(cast.other_commune_officer).post(url, data).status_code == 404
        create = client_for(cast.other_commune_officer).post(
            reverse("standards:committee_create"),
            {
                "org_unit": cast.commune_a.pk,
                "name": "Ban lạ",
                "decision_number": "1",
                "decision_date": "2031-04-01",
                "issuer": "UBND",
                "period_from": 2031,
                "period_to": 2035,
            },
        )
        assert create.status_code == 302
        assert not committee.members.exists() and not SteeringCommittee.objects.filter(name="Ban lạ").exists()


class TestInspections:
    def test_each_finding_becomes_a_task_of_the_school_inspected(self, cast, committee):
        inspection = services.inspection_record(
            actor=cast.commune_officer,
            committee=committee,
            held_on=datetime.date(2031, 5, 10),
            subject="Tiến độ xây dựng nhà đa năng",
            conclusion="Chậm so với kế hoạch",
            school=cast.school_a,
            findings=[("Đẩy nhanh tiến độ thi công", datetime.date(2031, 8, 31)), ("Bổ sung hồ sơ", DECIDED)],
        )
        tasks = [f.task for f in inspection.findings.all()]
        assert [(t.title, t.owner_school, t.due_on) for t in tasks] == [
            ("Đẩy nhanh tiến độ thi công", cast.school_a, datetime.date(2031, 8, 31)),
            ("Bổ sung hồ sơ", cast.school_a, DECIDED),
        ]
        assert AuditEvent.objects.filter(action="standards.inspection_record", object_id=str(inspection.pk)).exists()

    def test_a_school_of_another_commune_is_refused_and_nothing_is_written(self, cast, committee):
        with pytest.raises(ValidationError, match="không thuộc đơn vị"):
            services.inspection_record(
                actor=cast.commune_officer,
                committee=committee,
                held_on=DECIDED,
                subject="x",
                school=cast.school_b,
                findings=[("Việc lạ", DECIDED)],
            )
        assert not Task.objects.filter(title="Việc lạ").exists()

    def test_the_page_records_an_inspection_with_its_findings_one_per_line(self, cast, client_for, committee):
        client = client_for(cast.commune_officer)
        client.post(
            reverse("standards:committee_inspection_add", args=[committee.pk]),
            {
                "held_on": "2031-05-10",
                "school": cast.school_a.pk,
                "subject": "Kiểm tra cơ sở vật chất",
                "conclusion": "",
                "findings": "Sửa tường bao | 30/09/2031\nLắp đèn lớp học | 15/10/2031",
            },
        )
        page = client.get(reverse("standards:committee", args=[committee.pk])).content.decode()
        assert "Kiểm tra cơ sở vật chất" in page and "Sửa tường bao" in page and "Lắp đèn lớp học" in page
        bad = client.post(
            reverse("standards:committee_inspection_add", args=[committee.pk]),
            {"held_on": "2031-05-11", "subject": "Lần hai", "findings": "Không có hạn"},
            follow=True,
        )
        assert "Dòng 1" in bad.content.decode()
        assert committee.inspections.count() == 1
