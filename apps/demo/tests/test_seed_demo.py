"""The demo (seed_demo, run once for the test session): school year 2025-2026 with a census of every hamlet,
rosters that keep the rules the services enforce and the shapes the dashboards need, and the year before,
2024-2025, for the same children; the seed steps each app registers."""

import datetime
import io
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q

from apps.accounts.models import RoleAssignment, User
from apps.core.models import AuditEvent
from apps.core.text import fold, nfc
from apps.demo import steps
from apps.demo.population import plan_population
from apps.demo.seeds import orgunits as orgunits_step
from apps.demo.seeds import students as students_step
from apps.demo.spec import DEMO
from apps.orgunits.models import Designation, OrgUnit
from apps.orgunits.selectors import is_designated
from apps.schools.models import Level, School, SchoolYear
from apps.schools.services import school_year_create
from apps.students import hooks
from apps.students.models import (
    CensusRecord,
    CensusStatus,
    Child,
    ClassGroup,
    Enrolment,
    EnrolmentEvent,
    Guardian,
    TeacherAssignment,
    level_of,
    levels_teaching,
)
from apps.students.rules import FOLLOWS, is_ongoing

Kind = EnrolmentEvent.Kind
S = CensusStatus
DEMO_COMMUNES = {"20950", "20242", "20410"}


@pytest.fixture
def year(cast):
    return SchoolYear.objects.get(province=cast.province, start_year=2025)


@pytest.fixture
def last_year(cast):
    return SchoolYear.objects.get(province=cast.province, start_year=2024)


def counts():
    models = (OrgUnit, Designation, School, User, RoleAssignment, AuditEvent, Child, Guardian, ClassGroup)
    models += (TeacherAssignment, Enrolment, EnrolmentEvent, CensusRecord)
    return {model.__name__: model.objects.count() for model in models}


def census_of(year):
    return CensusRecord.objects.filter(year=year).select_related("child", "hamlet__parent", "school")


class TestSeedDemo:
    def test_a_second_run_changes_nothing(self, cast):
        before = counts()
        call_command("seed_demo", province="48", stdout=io.StringIO())
        assert counts() == before

    def test_tra_linh_is_an_especially_difficult_commune_since_2021(self, cast):
        designation = Designation.objects.get(unit=cast.commune_a)
        assert (designation.kind, designation.valid_from, designation.valid_to) == (
            Designation.Kind.DBKK,
            datetime.date(2021, 1, 1),
            None,
        )
        assert designation.decision_ref == "QĐ 861/QĐ-TTg ngày 04/6/2021"
        assert is_designated(cast.commune_a, Designation.Kind.DBKK, on=datetime.date(2025, 9, 5))
        assert not is_designated(cast.commune_b, Designation.Kind.DBKK, on=datetime.date(2025, 9, 5))
        assert AuditEvent.objects.filter(action="orgunits.designation_record", object_id=str(designation.pk)).exists()

    def test_the_children_are_the_same_every_time(self, year, last_year):
        last = (last_year.opening_day, last_year.teaching_ends_on)
        kids = plan_population(DEMO["48"], year.opening_day, last)
        assert kids == plan_population(DEMO["48"], year.opening_day, last)
        assert Child.objects.count() == len(kids) > 1500  # what the session wrote is that plan
        assert set(Child.objects.values_list("name_folded", flat=True)) == {fold(kid.full_name) for kid in kids}
        # Planning the year before changes nothing of this year.
        this_year_only = plan_population(DEMO["48"], year.opening_day)
        assert [(k.full_name, k.stays, k.census) for k in kids] == [
            (k.full_name, k.stays, k.census) for k in this_year_only
        ]

    def test_each_app_s_part_is_a_step_run_in_order(self, db):
        assert [step.name for step in steps.steps()] == [
            "orgunits",
            "schools",
            "accounts",
            "students",
            "retention",
            "funds",
            "targets",
            "plans",
            "campaigns",
            "standards",
        ]

    def test_the_steps_run_in_their_order_with_what_earlier_ones_produced(self, db, monkeypatch):
        monkeypatch.setattr(steps, "_STEPS", {})
        seen = []
        steps.register("late", lambda ctx: seen.append(("late", ctx.units["x"])), order=20)
        steps.register("early", lambda ctx: (seen.append(("early", None)), ctx.units.update(x=1)), order=10)
        steps.run(steps.Context(admin=None, province="48", spec={}, password=""))
        assert seen == [("early", None), ("late", 1)]


class TestCensus:
    def test_every_child_living_in_a_demo_hamlet_is_counted_once(self, year):
        living = Child.objects.filter(hamlet__isnull=False).values_list("pk", flat=True)
        counted = Counter(CensusRecord.objects.filter(year=year).values_list("child", flat=True))
        assert set(living) <= set(counted) and set(counted.values()) == {1}
        hamlets = OrgUnit.objects.current().filter(type=OrgUnit.Type.HAMLET, parent__code__in=DEMO_COMMUNES)
        assert all(hamlet.census_records.filter(year=year).count() > 60 for hamlet in hamlets)

    def test_it_holds_children_aged_0_to_18_surveyed_in_early_september(self, year):
        for record in census_of(year):
            assert 0 <= record.child.age_in(2025) <= 18
            assert datetime.date(2025, 9, 1) <= record.surveyed_on <= datetime.date(2025, 9, 15)
            assert record.child.birth_date < record.surveyed_on
            assert record.hamlet.parent.code in DEMO_COMMUNES

    def test_enrolled_children_are_in_school_at_their_first_school_and_grade(self, year):
        census = {record.child_id: record for record in census_of(year)}
        first = {}
        for enrolment in Enrolment.objects.filter(year=year).prefetch_related("events").order_by("pk"):
            start = enrolment.events.all()[0].on
            if enrolment.child_id not in first or start < first[enrolment.child_id][0]:
                first[enrolment.child_id] = (start, enrolment)
        for child_id, (_start, enrolment) in first.items():
            if record := census.get(child_id):
                assert (record.status, record.school_id, record.grade) == (
                    "in_school",
                    enrolment.school_id,
                    enrolment.grade,
                )
        # Told "in school" with no roster to show for it: what linking the census to enrolment must find.
        claimed = [r for r in census.values() if r.school_id and r.child_id not in first]
        assert len(claimed) == 2 and all(6 <= r.child.age_in(2025) <= 14 for r in claimed)

    def test_it_finds_children_out_of_school_and_the_others_apart(self, year):
        by_status = defaultdict(list)
        for record in census_of(year):
            by_status[record.status].append(record.child.age_in(2025))
        assert sum(age <= 5 for age in by_status[S.NOT_IN_SCHOOL]) > 100  # preschool age, at home
        assert 3 <= sum(6 <= age <= 14 for age in by_status[S.NOT_IN_SCHOOL]) <= 20
        assert (
            all(age >= 15 for age in by_status[S.COMPLETED_LOWER_SECONDARY])
            and len(by_status[S.COMPLETED_LOWER_SECONDARY]) > 50
        )
        assert all(age >= 12 for age in by_status[S.COMPLETED_PRIMARY]) and by_status[S.COMPLETED_PRIMARY]
        assert 10 <= len(by_status[S.MOVED_AWAY]) <= 80
        assert 1 <= len(by_status[S.DECEASED]) <= 5 and 1 <= len(by_status[S.EXEMPT_DISABILITY]) <= 10

    def test_some_children_study_outside_their_commune(self, year):
        in_school = census_of(year).filter(status=S.IN_SCHOOL)
        elsewhere = [r for r in in_school if r.school and r.school.location_id != r.hamlet.parent_id]
        assert 5 <= len(elsewhere) <= 40
        assert in_school.filter(school__isnull=True).exclude(school_as_written="").exists()  # a school outside the demo


class TestRosters:
    def test_children_are_written_as_the_services_write_them(self, db):
        for child in Child.objects.select_related("hamlet"):
            assert child.full_name == nfc(child.full_name) and child.name_folded == fold(child.full_name)
            assert child.birth_date.year == child.birth_year
            assert child.hamlet is None or child.hamlet.parent_id == child.commune_id
        assert not Child.objects.annotate(n=Count("guardians")).filter(n=0).exists()

    def test_enrolments_keep_the_rules_of_the_services(self, year):
        demo_schools = set(School.objects.values_list("name", flat=True))
        enrolments = Enrolment.objects.select_related("school", "class_group").prefetch_related("events")
        for enrolment in enrolments.filter(year=year):
            assert enrolment.school.levels & levels_teaching(enrolment.grade)
            group = enrolment.class_group
            assert (group.school_id, group.year_id, group.grade) == (enrolment.school_id, year.pk, enrolment.grade)
            first, *rest = events = list(enrolment.events.all())
            assert first.kind in (Kind.ENROLLED, Kind.TRANSFERRED_IN)
            from_a_demo_school = first.kind == Kind.TRANSFERRED_IN and first.other_school in demo_schools
            assert first.on == year.opening_day or from_a_demo_school
            for before, after in zip(events, rest, strict=False):
                assert after.kind in FOLLOWS[before.kind] and before.on <= after.on <= year.ends_on
            assert all(e.reason for e in events if e.kind == Kind.DROPPED_OUT)

    def test_the_year_has_dropouts_with_their_reasons_one_return_and_repeaters(self, year):
        enrolments = Enrolment.objects.filter(year=year)
        dropouts = EnrolmentEvent.objects.filter(enrolment__year=year, kind=Kind.DROPPED_OUT)
        assert 0.01 <= dropouts.count() / enrolments.count() <= 0.05
        assert len(set(dropouts.values_list("reason", flat=True))) >= 5
        assert EnrolmentEvent.objects.filter(enrolment__year=year, kind=Kind.RETURNED).count() == 1
        assert 3 <= EnrolmentEvent.objects.filter(enrolment__year=year, kind=Kind.REPEATING).count() <= 30
        assert all(count >= 15 for count in Counter(enrolments.values_list("school", flat=True)).values())

    @pytest.mark.parametrize("start, transfers", [(2025, 3), (2024, 2)])
    def test_a_transferred_child_has_two_enrolments_that_name_each_other(self, cast, start, transfers):
        # Counted within one year: since the demo holds two, most children have an enrolment in each.
        year = SchoolYear.objects.get(province=cast.province, start_year=start)
        moved = Child.objects.annotate(n=Count("enrolments", filter=Q(enrolments__year=year))).filter(n=2)
        assert moved.count() == transfers
        for child in moved:
            enrolments = child.enrolments.filter(year=year).prefetch_related("events")
            left, arrived = sorted(enrolments, key=lambda e: e.events.all()[0].on)
            out, into = list(left.events.all())[-1], arrived.events.all()[0]
            assert (out.kind, out.other_school) == (Kind.TRANSFERRED_OUT, arrived.school.name)
            assert (into.kind, into.other_school) == (Kind.TRANSFERRED_IN, left.school.name)
            assert out.on <= into.on and arrived.grade == left.grade

    def test_tra_linh_is_mostly_xo_dang(self, cast):
        ethnicities = Counter(Child.objects.filter(commune=cast.commune_a).values_list("ethnicity", flat=True))
        assert ethnicities["14"] / sum(ethnicities.values()) > 0.75 and ethnicities["01"] > 0

    def test_the_teachers_keep_their_classes(self, cast):
        assert TeacherAssignment.objects.get(teacher=cast.teacher_a).class_group.school == cast.school_a
        assert set(TeacherAssignment.objects.values_list("class_group__name", flat=True)) == {"1A", "2A"}
        for school, name in ((cast.school_a, "1A"), (cast.school_a, "2A"), (cast.school_b, "2A")):
            enrolments = Enrolment.objects.filter(class_group__school=school, class_group__name=name)
            assert enrolments.count() > 4
            assert all(e.child.commune_id == school.location_id and e.events.count() == 1 for e in enrolments)


NEXT = {"NT2": "NT3", "NT3": "MG3", "MG3": "MG4", "MG4": "MG5", "MG5": "1"} | {str(g): str(g + 1) for g in range(1, 12)}


def first_enrolment_of_each_child(year) -> dict:
    """Each child's enrolment the year started with (a child who moved between schools has two)."""
    first = {}
    for enrolment in Enrolment.objects.filter(year=year).prefetch_related("events").order_by("pk"):
        start = enrolment.events.all()[0].on
        if enrolment.child_id not in first or start < first[enrolment.child_id].events.all()[0].on:
            first[enrolment.child_id] = enrolment
    return first


def completed(year, grade):
    return EnrolmentEvent.objects.filter(enrolment__year=year, enrolment__grade=grade, kind=Kind.COMPLETED)


class TestTheYearBefore:
    """2024-2025, for the same children: last year's actuals, year-on-year figures and the phase-1 lists."""

    def test_it_ends_in_completions_of_the_last_grade_of_each_level(self, last_year):
        for grade in ("MG5", "5", "9", "12"):
            assert completed(last_year, grade).count() >= 40, grade
        completions = EnrolmentEvent.objects.filter(enrolment__year=last_year, kind=Kind.COMPLETED)
        assert set(completions.values_list("enrolment__grade", flat=True)) == {"MG5", "5", "9", "12"}
        assert set(completions.values_list("on", flat=True)) == {last_year.teaching_ends_on}
        assert not EnrolmentEvent.objects.filter(enrolment__year__start_year=2025, kind=Kind.COMPLETED).exists()

    def test_it_has_dropouts_with_their_reasons_and_transfers_out_and_in(self, last_year):
        events = EnrolmentEvent.objects.filter(enrolment__year=last_year)
        dropouts = events.filter(kind=Kind.DROPPED_OUT)
        assert dropouts.count() >= 10 and len(set(dropouts.values_list("reason", flat=True))) >= 4
        assert all(dropouts.values_list("reason", flat=True))
        demo_schools = set(School.objects.values_list("name", flat=True))
        out = list(events.filter(kind=Kind.TRANSFERRED_OUT).values_list("other_school", flat=True))
        into = list(events.filter(kind=Kind.TRANSFERRED_IN).values_list("other_school", flat=True))
        assert sum(name not in demo_schools for name in out) >= 10  # families who moved away before the census
        assert sum(name in demo_schools for name in out) == sum(name in demo_schools for name in into) == 2
        assert sum(name not in demo_schools for name in into) == 2  # came over the summer from outside the demo
        assert 3 <= events.filter(kind=Kind.REPEATING).count() <= 30

    def test_its_enrolments_keep_the_rules_of_the_services(self, last_year):
        demo_schools = set(School.objects.values_list("name", flat=True))
        enrolments = (
            Enrolment.objects.filter(year=last_year).select_related("school", "child").prefetch_related("events")
        )
        assert enrolments.count() > 1000
        for enrolment in enrolments:
            assert enrolment.school.levels & levels_teaching(enrolment.grade)
            assert enrolment.start_year == 2024 and enrolment.class_group is None  # the cast's classes stay unique
            first, *rest = events = list(enrolment.events.all())
            assert first.kind in (Kind.ENROLLED, Kind.TRANSFERRED_IN)
            from_a_demo_school = first.kind == Kind.TRANSFERRED_IN and first.other_school in demo_schools
            assert first.on == last_year.opening_day or from_a_demo_school
            for before, after in zip(events, rest, strict=False):
                assert after.kind in FOLLOWS[before.kind] and before.on <= after.on <= last_year.ends_on
            assert enrolment.ongoing == is_ongoing(events[-1].kind)
            if enrolment.grade.isdigit():  # on time or behind, never ahead of their age
                assert int(enrolment.grade) <= enrolment.child.age_in(2024) - 5

    def test_no_child_is_at_two_schools_in_one_year(self, db):
        statuses = Enrolment.objects.with_status().values_list("child", "start_year", "status")
        ongoing = Counter((child, start) for child, start, status in statuses if is_ongoing(status))
        assert {start for _child, start in ongoing} == {2024, 2025} and set(ongoing.values()) == {1}

    def test_a_child_who_completed_grade_5_is_in_grade_6_at_a_lower_secondary_school(self, year, last_year):
        for grade in ("5", "MG5", "9"):
            children = completed(last_year, grade).values_list("enrolment__child", flat=True)
            now = Enrolment.objects.filter(year=year, child__in=children).select_related("school")
            assert now.count() >= 40, grade
            assert {e.grade for e in now} == {NEXT[grade]}, grade
        sixth = Enrolment.objects.filter(year=year, grade="6").select_related("school")
        assert {e.school.moet_code for e in sixth if e.school.levels & Level.LOWER_SECONDARY} == {
            "48095003",
            "48010003",
            "48050002",
        }
        five = completed(last_year, "5").values_list("enrolment__child", flat=True)
        # Every child who finished primary in a demo school goes on to grade 6 in one (the demo has three).
        assert set(Enrolment.objects.filter(year=year, grade="6").values_list("child", flat=True)) >= set(five)

    def test_the_children_still_at_school_in_june_are_a_grade_up_this_year(self, year, last_year):
        now = first_enrolment_of_each_child(year)
        stayed = Enrolment.objects.filter(year=last_year, ongoing=True).select_related("school")
        assert stayed.count() > 1000
        for before in stayed:
            this_year = now[before.child_id]  # the same child, not a copy
            repeating = any(e.kind == Kind.REPEATING for e in this_year.events.all())
            assert this_year.grade == (before.grade if repeating else NEXT[before.grade])
            if level_of(this_year.grade) == level_of(before.grade) and before.grade not in ("1", "2"):
                assert this_year.school_id == before.school_id  # the same school while in the same level

    def test_those_who_left_during_the_year_are_at_no_demo_school_now(self, year, last_year):
        left = EnrolmentEvent.objects.filter(enrolment__year=last_year, kind=Kind.DROPPED_OUT)
        moved = EnrolmentEvent.objects.filter(enrolment__year=last_year, kind=Kind.TRANSFERRED_OUT).exclude(
            other_school__in=School.objects.values("name")
        )
        children = set(left.values_list("enrolment__child", flat=True)) | set(
            moved.values_list("enrolment__child", flat=True)
        )
        assert len(children) >= 20
        assert not Enrolment.objects.filter(year=year, child__in=children).exists()
        statuses = Counter(CensusRecord.objects.filter(year=year, child__in=children).values_list("status", flat=True))
        out_of_school = (S.NOT_IN_SCHOOL, S.COMPLETED_PRIMARY, S.COMPLETED_LOWER_SECONDARY)
        assert statuses[S.MOVED_AWAY] >= 10 and sum(statuses[status] for status in out_of_school) >= 10
        assert statuses[S.IN_SCHOOL] == 2  # the two the census was told were in school

    def test_the_seed_writes_both_years_with_one_call_of_the_hooks(self, cast):
        """The students step through its bulk path, into two empty years (rolled back with the test)."""
        spec, seen = DEMO["48"], []
        hamlets = {code: orgunits_step.hamlets(cast.admin, code, names) for code, names in spec["communes"].items()}

        def hook(ids):
            seen.append(sorted(ids))

        hooks.after_enrolments(hook)
        try:
            with transaction.atomic():
                later = school_year_create(actor=cast.admin, province=cast.province, start_year=2027)
                before = SchoolYear.objects.get(province=cast.province, start_year=2026)
                students_step.write(cast.admin, year=later, spec=spec, hamlets=hamlets, last_year=before)
        finally:
            hooks.remove(hook)
        written = sorted(Enrolment.objects.filter(year__in=[later, before]).values_list("pk", flat=True))
        assert Enrolment.objects.filter(year=before).count() > 1000 and seen == [written]


class TestPlans:
    def test_tra_nam_has_this_years_socialisation_plan_from_its_template_with_its_parties(self, cast, year):
        from apps.plans import progress
        from apps.plans.models import Plan

        plan = Plan.objects.get(school=cast.school_a, kind="socialisation", school_year=year)
        assert plan.title == "Thực hiện xã hội hóa giáo dục năm học 2025-2026"
        assert plan.status == "draft" and plan.created_by == cast.principal_a
        parties = {s.party or s.title: s.agreed_hash != "" for s in plan.signatories.filter(role="sign")}
        assert parties == {"HIỆU TRƯỞNG": False, "BAN ĐẠI DIỆN CMHS": False}
        assert plan.signatories.filter(role="confirm", org_unit=cast.commune_a).exists()
        whens = [t.when for t in plan.tasks.all()]
        assert whens == ["9/2025", "10+11/2025", "10+11/2025", "12/2025", "1/2026"]
        association = plan.tasks.get(owner_organisation=cast.organisation)
        assert association.when == "10+11/2025"
        assert plan.tasks.get(owner_kind="agency").owner_label == "Trưởng trạm y tế xã Trà Linh"
        assert plan.tasks.order_by("due_on").first().status == "done"
        lines = {line.target.label: line.progress for line in progress.measure(plan)}
        assert "%" in lines["Duy trì sĩ số học sinh"].text
        assert lines["Vận động Quỹ khuyến học của trường"].text.startswith("Đã vận động ")
        assert AuditEvent.objects.filter(action="plans.plan_create", object_id=str(plan.pk)).exists()


class TestActionMonth:
    def test_the_city_s_action_month_2025_has_its_peak_tasks_per_agency_and_trà_linh_s_report(self, cast):
        from apps.plans.models_campaigns import Campaign, CampaignReport

        campaign = Campaign.objects.get(org_unit=cast.province, kind="action_month", starts_on__year=2025)
        assert (campaign.starts_on, campaign.ends_on) == (datetime.date(2025, 8, 1), datetime.date(2025, 9, 1))
        assert (campaign.peak_starts_on, campaign.peak_ends_on) == (
            datetime.date(2025, 8, 18),
            datetime.date(2025, 8, 25),
        )
        owners = Counter(t.task.owner_label for t in campaign.campaign_tasks.all())
        assert len(owners) >= 6 and owners["Sở Giáo dục và Đào tạo"] == 2 and owners[str(cast.commune_a)] == 2
        assert {t.task.status for t in campaign.campaign_tasks.all()} == {"done"}
        reports = CampaignReport.objects.filter(campaign=campaign)
        assert reports.count() == 3
        assert [r.org_unit for r in reports.filter(status="submitted")] == [cast.commune_a]
        actions = set(AuditEvent.objects.filter(object_id=str(campaign.pk)).values_list("action", flat=True))
        assert {"plans.campaign_create", "plans.campaign_event_add", "plans.campaign_reports_request"} <= actions
