"""A task with no plan (`services.task_create`): checked, owned by the first party given, audited under the commune
the caller names; a meeting's decision and a campaign's task are made through it."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from apps.core.models import AuditEvent
from apps.plans import campaign_services, meeting_services, services
from apps.plans.models import MeetingKind, Task
from apps.plans.tests.campaign_fixtures import action_month

pytestmark = pytest.mark.django_db


class TestTaskCreate:
    def test_a_month_range_task_is_saved_and_audited_under_the_commune(self, cast):
        task = services.task_create(
            actor=cast.commune_officer,
            title="  Rà soát trẻ trong độ tuổi chưa đến trường  ",
            months="10+11/2025",
            org_unit=cast.commune_a,
            commune=cast.commune_a,
        )
        task.refresh_from_db()
        assert (task.plan, task.title, task.when, task.due_on) == (
            None,
            "Rà soát trẻ trong độ tuổi chưa đến trường",
            "10+11/2025",
            datetime.date(2025, 11, 30),
        )
        assert (task.owner_kind, task.owner_unit) == (Task.Owner.UNIT, cast.commune_a)
        event = AuditEvent.objects.get(action="plans.task_create", object_id=str(task.pk))
        assert (event.actor, event.org_unit) == (cast.commune_officer, cast.commune_a)
        assert event.changes == {"when": "10+11/2025", "owner": str(cast.commune_a)}

    def test_the_first_party_given_owns_it(self, cast):
        task = services.task_create(
            actor=cast.principal_a,
            title="Vận động học sinh trở lại lớp",
            due_on=datetime.date(2025, 10, 31),
            organisation=cast.organisation,
            school=cast.school_a,
        )
        assert (task.owner_kind, task.owner_organisation, task.owner_school) == (
            Task.Owner.ORGANISATION,
            cast.organisation,
            None,
        )

    @pytest.mark.parametrize(
        ("fields", "error"),
        [
            ({"title": " ", "due_on": datetime.date(2025, 10, 1)}, "title"),
            ({"title": "Rà soát"}, "due_on"),
            ({"title": "Rà soát", "months": "13/2025"}, "months"),
        ],
    )
    def test_it_refuses_a_task_without_a_title_or_a_due_day(self, cast, fields, error):
        before = Task.objects.count(), AuditEvent.objects.filter(action="plans.task_create").count()
        with pytest.raises(ValidationError) as caught:
            services.task_create(actor=cast.principal_a, school=cast.school_a, **fields)
        assert error in caught.value.message_dict
        assert (Task.objects.count(), AuditEvent.objects.filter(action="plans.task_create").count()) == before

    def test_it_refuses_a_task_without_an_owner(self, cast):
        with pytest.raises(ValidationError) as caught:
            services.task_create(actor=cast.principal_a, title="Rà soát", due_on=datetime.date(2025, 10, 1))
        assert caught.value.message_dict == {"owner": ["Chọn người hoặc đơn vị thực hiện."]}


class TestCallers:
    """Each caller's creation is audited once, by `task_create`, under the caller's own action and context."""

    @staticmethod
    def _events_of(fn):
        before = set(AuditEvent.objects.values_list("pk", flat=True))
        made = fn()
        return made, list(AuditEvent.objects.exclude(pk__in=before).order_by("pk"))

    def test_a_meeting_decision_writes_one_event_for_its_task(self, cast):
        meeting = meeting_services.meeting_create(
            actor=cast.principal_a,
            kind=MeetingKind.BRIEFING,
            title="Giao ban tháng 10",
            held_on=datetime.date(2025, 10, 6),
            school=cast.school_a,
        )
        decision, events = self._events_of(
            lambda: meeting_services.decision_add(
                actor=cast.principal_a, meeting=meeting, text="Rà soát danh sách", due_on=datetime.date(2025, 10, 20)
            )
        )
        (event,) = events
        assert (event.action, event.object_id, event.org_unit) == (
            "plans.meeting_decision",
            str(decision.task_id),
            cast.school_a.location,
        )
        assert event.changes == {"when": "20/10/2025", "owner": str(cast.school_a), "meeting": "Giao ban tháng 10"}

    def test_a_campaign_task_for_one_agency_writes_one_event(self, cast):
        campaign = action_month(cast)
        (task,), events = self._events_of(
            lambda: campaign_services.campaign_task_assign(
                actor=cast.province_officer,
                campaign=campaign,
                title="Tăng thời lượng phát sóng về giáo dục",
                months="8/2025",
                agency="Đài Phát thanh - Truyền hình",
            )
        )
        (event,) = events
        assert (event.action, event.object_id, event.org_unit) == (
            "plans.campaign_task_assign",
            str(task.pk),
            cast.province,
        )
        assert event.changes == {
            "when": "8/2025",
            "owner": "Đài Phát thanh - Truyền hình",
            "campaign": campaign.title,
            "batch": 1,
        }

    def test_a_campaign_task_for_every_commune_writes_one_event_per_task(self, cast):
        campaign = action_month(cast)
        tasks, events = self._events_of(
            lambda: campaign_services.campaign_task_assign(
                actor=cast.province_officer,
                campaign=campaign,
                title="Lập kế hoạch Tháng hành động của xã",
                months="8/2025",
                every_commune_of=cast.province,
            )
        )
        assert {t.when for t in tasks} == {"8/2025"} and {t.due_on for t in tasks} == {datetime.date(2025, 8, 31)}
        assert len(tasks) > 1
        assert sorted(e.object_id for e in events) == sorted(str(t.pk) for t in tasks)
        assert {(e.action, e.org_unit) for e in events} == {("plans.campaign_task_assign", cast.province)}
