"""`home_visit_coverage` and `mentored` in the indicator engine: at-risk students visited in the last 30 days, and
those with a mentor, over the at-risk students, by school and by a unit's subtree, in one query each."""

import datetime
import uuid

from apps.accounts.models import Role, RoleAssignment, User
from apps.indicators.registry import Query, Target, get
from apps.retention.mentors import mentor_assign
from apps.retention.services import flags_recompute, visit_record
from apps.students.models import Enrolment

END = datetime.date(2026, 6, 30)


def test_home_visit_coverage_and_mentored_count_the_at_risk_students(cast, class_a, django_assert_num_queries):
    pupils = list(
        Enrolment.objects.filter(class_group=class_a, ongoing=True).select_related("child").order_by("pk")[:3]
    )
    for e in pupils:
        e.child.orphan = e.child.poor = True  # 2 + 1: medium
        e.child.save()
    flags_recompute(Enrolment.objects.filter(year=class_a.year, ongoing=True), on=END)
    year = class_a.year
    targets = (Target(school=cast.school_a), Target(unit=cast.commune_a), Target(school=cast.school_b))
    before = get("home_visit_coverage").compute(Query(targets=targets, year=year, on=END))
    at_risk = before[targets[0].key][""].denominator
    assert at_risk >= 3 and before[targets[0].key][""].numerator == 0
    visit_record(actor=cast.teacher_a, enrolment=pupils[0], key=uuid.uuid4().hex, on=END, met="Mẹ", findings="Ổn")
    with django_assert_num_queries(1):
        after = get("home_visit_coverage").compute(Query(targets=targets, year=year, on=END))
    school, commune, other = (after[t.key][""] for t in targets)
    assert (school.numerator, school.denominator) == (1, at_risk)
    assert commune.denominator >= at_risk and commune.numerator == 1
    assert other.numerator == 0
    mentor = User.objects.create_user(username="gv.dodau2", password="x")
    RoleAssignment.objects.create(user=mentor, role=Role.TEACHER, school=cast.school_a, granted_by=cast.admin)
    mentor_assign(actor=cast.principal_a, enrolment=pupils[1], mentor=mentor, starts_on=END)
    value = get("mentored").compute(Query(targets=targets[:1], year=year, on=END))[targets[0].key][""]
    assert (value.numerator, value.denominator) == (1, at_risk)
