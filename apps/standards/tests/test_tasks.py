"""The standards' tasks are the plans' plan-less tasks, made and audited by `plans.services.task_create` — once each,
under the standards' own action: a steering committee's duty is filed under the committee's unit, an improvement item
with no due day is refused as before."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from apps.core.models import AuditEvent
from apps.plans.models import Task
from apps.standards import committee_services, tasks
from apps.standards import services as standards_services

pytestmark = pytest.mark.django_db


def _committee(cast):
    return committee_services.committee_create(
        actor=cast.commune_officer,
        org_unit=cast.commune_a,
        name="Ban chỉ đạo xây dựng trường chuẩn Quốc gia xã Trà Linh",
        decision_number="45/QĐ-UBND",
        decision_date=datetime.date(2031, 3, 2),
        issuer="UBND xã Trà Linh",
        period_from=2031,
        period_to=2035,
        review_on=datetime.date(2033, 12, 31),
    )


def test_a_committee_duty_is_a_task_audited_once_under_the_committee_s_unit(cast):
    committee = _committee(cast)
    member = committee_services.committee_member_add(
        actor=cast.commune_officer, committee=committee, name="Hồ Thị Lan", position="Trưởng trạm y tế"
    )
    before = AuditEvent.objects.count()
    duty = committee_services.committee_duty_add(
        actor=cast.commune_officer, member=member, title="Hướng dẫn Y tế học đường", due_on=datetime.date(2031, 9, 5)
    )
    assert AuditEvent.objects.count() == before + 1  # the duty and its task: one event
    event = AuditEvent.objects.get(object_type="plans.task", object_id=str(duty.task_id))
    assert (event.action, event.actor, event.org_unit) == (
        "standards.committee_duty_add",
        cast.commune_officer,
        cast.commune_a,
    )
    assert event.changes == {"when": "05/09/2031", "owner": str(cast.commune_a), "member": "Hồ Thị Lan"}


def test_a_standards_task_still_asks_for_a_due_day(cast):
    before = Task.objects.count()
    with pytest.raises(ValidationError) as caught:
        tasks.new_task(actor=cast.principal_a, title="Sửa phòng học", due_on=None, school=cast.school_a, commune=None)
    assert caught.value.message_dict == {"due_on": ["Nhập hạn hoàn thành."]}
    assert Task.objects.count() == before


def test_an_improvement_item_and_its_task_write_one_event(cast, cycle):
    assessment = cycle.assessments.select_related("criterion").order_by("pk").first()
    before = AuditEvent.objects.count()
    item = standards_services.improvement_add(
        actor=cast.principal_a,
        assessment=assessment,
        text="Bổ sung tủ sách lớp học",
        owner="Tổ chuyên môn 1",
        due_on=datetime.date(2031, 11, 20),
    )
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.get(object_type="plans.task", object_id=str(item.task_id))
    assert (event.action, event.org_unit_id) == ("standards.improvement_add", cast.school_a.managed_by_id)
    assert event.changes == {
        "when": "20/11/2031",
        "owner": "Tổ chuyên môn 1",
        "criterion": assessment.criterion.code,
        "indicator": "",
    }


def test_an_inspection_writes_one_event_and_one_per_finding_s_task_naming_the_inspection(cast):
    committee = _committee(cast)
    before = AuditEvent.objects.count()
    inspection = committee_services.inspection_record(
        actor=cast.commune_officer,
        committee=committee,
        held_on=datetime.date(2031, 5, 10),
        subject="Tiến độ xây dựng nhà đa năng",
        school=cast.school_a,
        findings=[
            ("Đẩy nhanh tiến độ thi công", datetime.date(2031, 8, 31)),
            ("Bổ sung hồ sơ", datetime.date(2031, 9, 1)),
        ],
    )
    tasks = [str(f.task_id) for f in inspection.findings.all()]
    assert AuditEvent.objects.count() == before + 1 + len(tasks)
    assert AuditEvent.objects.filter(action="standards.inspection_record", object_id=str(inspection.pk)).count() == 1
    for task in tasks:
        (event,) = AuditEvent.objects.filter(object_type="plans.task", object_id=task)
        assert event.changes["inspection"] == "Tiến độ xây dựng nhà đa năng"
