"""Seed 004 in the demo: the three schools of Phường Hải Châu with their targets and roadmap, years moved on."""

from django.core.management import call_command

from apps.schools.models import School
from apps.standards import selectors
from apps.standards.models import ConstructionItem, Cycle, SteeringCommittee, Target


def test_the_three_schools_of_seed_004_have_their_targets_and_roadmap(cast):
    schools = {s.moet_code: s for s in School.objects.filter(moet_code__in=["48010001", "48010002", "48010003"])}
    targets = {(t.school.moet_code, t.level, t.year) for t in Target.objects.filter(school__in=schools.values())}
    assert targets == {("48010002", 2, 2027), ("48010001", 2, 2028), ("48010003", 1, 2028)}
    lower = ConstructionItem.objects.filter(school=schools["48010003"])
    assert set(lower.filter(year=2025).values_list("kind", flat=True)) == {"administration", "functional"}
    assert set(lower.filter(year__in=[2026, 2027]).values_list("kind", flat=True)) == {
        "guard",
        "parking",
        "walls",
        "gate",
    }
    handed = ConstructionItem.objects.get(school=schools["48010002"], kind="classrooms")
    assert "nhận bàn giao từ UBND xã" in handed.name and handed.status == "handed_over"
    assert ConstructionItem.objects.filter(school=schools["48010002"], kind="pool").exists()
    assert ConstructionItem.objects.filter(school=schools["48010001"], kind="land").exists()
    roadmap = selectors.roadmap(cast.admin)
    assert roadmap["totals"]["land"] > 0
    cycle = Cycle.objects.get(school=schools["48010002"])
    assert selectors.cycle_result(cycle).level_text == "chưa xác minh"


def test_the_commune_s_steering_committee_is_led_by_its_vice_chair_and_gives_the_health_station_its_duty(cast):
    primary = School.objects.get(moet_code="48010002")
    committee = SteeringCommittee.objects.get(org_unit=primary.managed_by)
    head = committee.members.get(role="head")
    assert head.position == "Phó Chủ tịch UBND"
    health = committee.members.get(position="Trưởng trạm y tế")
    assert [d.task.title for d in health.duties.all()] == ["Tham mưu chỉ đạo, hướng dẫn hoạt động Y tế học đường"]
    reports = head.duties.filter(task__title__startswith="Báo cáo Đảng ủy").values_list("task__due_on__year", flat=True)
    assert sorted(reports) == [2025, 2026, 2027, 2028, 2029]
    assert committee.review_on.year == 2027
    assert head.duties.filter(task__title__startswith="Sơ kết", task__due_on__year=2027).exists()


def test_seeding_again_adds_nothing(cast):
    before = (
        Target.objects.count(),
        ConstructionItem.objects.count(),
        Cycle.objects.count(),
        SteeringCommittee.objects.count(),
    )
    call_command("seed_demo", province="48", stdout=open("/dev/null", "w"))
    assert (
        Target.objects.count(),
        ConstructionItem.objects.count(),
        Cycle.objects.count(),
        SteeringCommittee.objects.count(),
    ) == before
