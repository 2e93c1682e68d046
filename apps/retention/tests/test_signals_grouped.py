"""The grouped query of the signals (`rules.signals`, what the backtest uses, and `rules.changes`, what the
recomputes and the daily job use) finds, for every student, exactly the reasons of the first way
(`rules.signals_by_rows`, table by table in Python), on planted data that touches every signal and its edges:
absences at the window's edges and excused ones, results of both semesters (the latest counts), dropouts after the
day, notes after the day, ĐBKK designations of the hamlet and of the commune, over age by the threshold and one below
it, preschool grades (no over age)."""

import datetime
import random

from apps.orgunits.models import Designation
from apps.retention.models import TeacherNote
from apps.retention.rules import Rules, rules_for, signals, signals_by_rows
from apps.students.models import Enrolment, EnrolmentEvent
from apps.students.records import Absence, SemesterResult

from .conftest import ON


def plant(cast, enrolments, rng):
    window_start = ON - datetime.timedelta(days=29)
    for n, e in enumerate(enrolments):
        child = e.child
        child.poor, child.near_poor = n % 5 == 0, n % 7 == 0
        child.orphan, child.disability, child.remote_area = n % 6 == 0, n % 11 == 0, n % 9 == 0
        grade_age = 5 + int(e.grade) if e.grade.isdigit() else 3
        child.birth_year = e.start_year - grade_age - (n % 4)  # 0–3 years over
        child.save()
        days = {window_start - datetime.timedelta(days=1), window_start, ON, ON + datetime.timedelta(days=1)}
        days |= {window_start + datetime.timedelta(days=rng.randint(0, 29)) for _ in range(n % 9)}
        Absence.objects.bulk_create(
            [Absence(enrolment=e, on=d, excused=rng.random() < 0.3) for d in days], ignore_conflicts=True
        )
        if n % 3 == 0:
            SemesterResult.objects.create(enrolment=e, semester=1, learning="cht" if n % 2 else "ht", conduct="")
        if n % 4 == 0:
            SemesterResult.objects.create(enrolment=e, semester=2, learning="ht", conduct="ccg" if n % 8 else "")
        if n % 10 == 0:
            TeacherNote.objects.create(
                enrolment=e,
                text="…",
                family_difficulty=n % 20 == 0,
                written_by=cast.teacher_a,
                written_on=ON if n % 30 else ON + datetime.timedelta(days=2),
            )
        if n % 13 == 0:
            EnrolmentEvent.objects.create(
                enrolment=e,
                kind="dropped_out",
                reason="economic",
                on=ON - datetime.timedelta(days=60 if n % 26 else -5),
            )


def test_the_grouped_query_finds_what_the_first_way_found(cast):
    rng = random.Random(17)
    enrolments = list(
        Enrolment.objects.filter(school__in=[cast.school_a, cast.school_b], year__start_year=2025, ongoing=True)
        .select_related("child")
        .order_by("pk")[:120]
    )
    assert len(enrolments) >= 60
    plant(cast, enrolments, rng)
    hamlet = next(e.child.hamlet_id for e in enrolments if e.child.hamlet_id)
    Designation.objects.create(unit_id=hamlet, kind=Designation.Kind.DBKK, valid_from=datetime.date(2020, 1, 1))
    queryset = Enrolment.objects.filter(pk__in=[e.pk for e in enrolments])
    rules = rules_for(cast.province.pk)
    narrow = Rules(**{**rules.__dict__, "absence_days": 2, "absence_window": 10, "over_age_years": 1})
    for each in (rules, narrow):
        for semester in (1, 2):
            old = signals_by_rows(queryset, ON, each, semester=semester)
            new = signals(queryset, ON, each, semester=semester)
            assert set(new) == set(old)
            assert {pk: reasons for pk, (_row, reasons) in new.items()} == {
                pk: reasons for pk, (_row, reasons) in old.items()
            }
            assert all(new[pk][0][:14] == old[pk][0] for pk in old)  # the enrolment's row as the callers read it
            # every signal is somewhere in the planted data
            codes = {code for _row, reasons in new.values() for code, _figure in reasons}
            assert {"absences", "orphan", "over_age", "poor_household", "disability", "remote"} <= codes
            assert {"earlier_dropout", "family_note"} <= codes and ("poor_result" in codes)


def test_the_recompute_query_scores_as_the_first_way_and_sends_only_the_changes_to_python(cast):
    """`rules.changes` (what the recomputes write from) is every student whose score under the first way
    (`signals_by_rows`, then `assess`) reaches medium with no flag in force, or whose flag in force no longer holds,
    no other; its score, level and reasons are the ones `assess` gives: under the defaults and under narrowed rules
    with a weight set to zero."""
    import json

    from apps.retention.models import RiskFlag
    from apps.retention.rules import assess, changes

    rng = random.Random(23)
    enrolments = list(
        Enrolment.objects.filter(school__in=[cast.school_a, cast.school_b], year__start_year=2025, ongoing=True)
        .select_related("child")
        .order_by("pk")[:120]
    )
    plant(cast, enrolments, rng)
    queryset = Enrolment.objects.filter(pk__in=[e.pk for e in enrolments])
    rules = rules_for(cast.province.pk)
    # a flag in force for a student who is low now: it must reach Python (to be closed)
    first = signals_by_rows(queryset, ON, rules)
    quiet = next(pk for pk, (_row, reasons) in first.items() if assess(reasons, rules)[0] < 2)
    RiskFlag.objects.create(enrolment_id=quiet, level="medium", score=3, reasons=[["orphan", 1]], since=ON)
    narrow = Rules(**{**rules.__dict__, "absence_days": 2, "medium": 2, "weights": {**rules.weights, "orphan": 0}})
    for each in (rules, narrow):
        every = {pk: assess(reasons, each) for pk, (_row, reasons) in signals_by_rows(queryset, ON, each).items()}
        rows = changes(queryset, ON, each)
        assert {row[0] for row in rows} == {pk for pk, (s, _l, _r) in every.items() if s >= each.medium} | {quiet}
        assert {row[0]: (row[2], row[3], json.loads(row[4])) for row in rows} == {row[0]: every[row[0]] for row in rows}
        assert [row[5:8][1:] for row in rows if row[0] == quiet] == [("medium", 3)]
        assert all(row[5] is None for row in rows if row[0] != quiet)
        assert 0 < len(rows) < len(every)  # some, not all, reach Python
