"""The demo's school year 2025-2026 (seed_demo, run once for the test session): a census of every hamlet,
rosters that keep the rules the services enforce, and the shapes the dashboards need."""

import datetime
import io
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db.models import Count

from apps.accounts.models import RoleAssignment, User
from apps.core.management.commands.seed_demo import DEMO, plan_population
from apps.core.models import AuditEvent
from apps.core.text import fold, nfc
from apps.orgunits.models import Designation, OrgUnit
from apps.orgunits.selectors import is_designated
from apps.schools.models import School, SchoolYear
from apps.students.models import (
    CensusRecord,
    CensusStatus,
    Child,
    ClassGroup,
    Enrolment,
    EnrolmentEvent,
    Guardian,
    TeacherAssignment,
    levels_teaching,
)
from apps.students.rules import FOLLOWS

Kind = EnrolmentEvent.Kind
S = CensusStatus
DEMO_COMMUNES = {"20950", "20242", "20410"}


@pytest.fixture
def year(cast):
    return SchoolYear.objects.get(province=cast.province, start_year=2025)


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

    def test_the_children_are_the_same_every_time(self, year):
        kids = plan_population(DEMO["48"], year.opening_day)
        assert kids == plan_population(DEMO["48"], year.opening_day)
        assert Child.objects.count() == len(kids) > 1500  # what the session wrote is that plan
        assert set(Child.objects.values_list("name_folded", flat=True)) == {fold(kid.full_name) for kid in kids}


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

    def test_a_transferred_child_has_two_enrolments_that_name_each_other(self, year):
        moved = Child.objects.annotate(n=Count("enrolments")).filter(n=2)
        assert moved.count() >= 3
        for child in moved:
            left, arrived = sorted(child.enrolments.prefetch_related("events"), key=lambda e: e.events.all()[0].on)
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
