"""The standards' tasks are the plans' plan-less tasks, made and audited by `plans.services.task_create`: a steering
committee's duty is filed under the committee's unit, an improvement item with no due day is refused as before."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from apps.core.models import AuditEvent
from apps.plans.models import Task
from apps.standards import committee_services, tasks

pytestmark = pytest.mark.django_db


def test_a_committee_duty_is_a_task_audited_under_the_committee_s_unit(cast):
    committee = committee_services.committee_create(
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
    member = committee_services.committee_member_add(
        actor=cast.commune_officer, committee=committee, name="", position="Trưởng trạm y tế"
    )
    duty = committee_services.committee_duty_add(
        actor=cast.commune_officer, member=member, title="Hướng dẫn Y tế học đường", due_on=datetime.date(2031, 9, 5)
    )
    event = AuditEvent.objects.get(action="plans.task_create", object_id=str(duty.task_id))
    assert (event.actor, event.org_unit) == (cast.commune_officer, cast.commune_a)


def test_a_standards_task_still_asks_for_a_due_day(cast):
    before = Task.objects.count()
    with pytest.raises(ValidationError) as caught:
        tasks.new_task(actor=cast.principal_a, title="Sửa phòng học", due_on=None, school=cast.school_a, commune=None)
    assert caught.value.message_dict == {"due_on": ["Nhập hạn hoàn thành."]}
    assert Task.objects.count() == before
