"""The recompute's one query (`rules.changes`): the database scores, levels and words the reasons exactly as `assess`
does, under the defaults and under rules that reorder the reasons; it reads the absences and results by an id range
as it does by the ids; and it sends back only the students whose flag has to change."""

import datetime
import json
import random

import pytest
from django.db import connection

from apps.retention.models import RiskFlag
from apps.retention.rules import Rules, assess, changes, rules_for, signals
from apps.retention.services import flags_recompute
from apps.students.models import Enrolment
from apps.students.records import Absence, SemesterResult

from .conftest import ON
from .test_signals_grouped import plant


def planted(cast, seed):
    enrolments = list(
        Enrolment.objects.filter(school__in=[cast.school_a, cast.school_b], year__start_year=2025, ongoing=True)
        .select_related("child")
        .order_by("pk")[:120]
    )
    plant(cast, enrolments, random.Random(seed))  # noqa: S311 (planted data, not secrets)
    return Enrolment.objects.filter(pk__in=[e.pk for e in enrolments])


def every_rules(cast):
    rules = rules_for(cast.province.pk)
    # poor household heaviest, orphan weightless, disability tied with absences: the order of the reasons changes
    reordered = {**rules.weights, "poor_household": 6, "orphan": 0, "disability": 3}
    return [
        rules,
        Rules(**{**rules.__dict__, "absence_days": 2, "absence_window": 10, "over_age_years": 1, "medium": 2}),
        Rules(**{**rules.__dict__, "weights": reordered, "high": 6}),
    ]


def test_the_database_words_the_reasons_as_assess_weighs_them(cast):
    queryset = planted(cast, 29)
    for rules in every_rules(cast):
        for semester in (1, 2):
            expected = {}
            for pk, (_row, reasons) in signals(queryset, ON, rules, semester=semester).items():
                score, level, weighing = assess(reasons, rules)
                if score >= rules.medium:
                    expected[pk] = (score, level, json.dumps(weighing))
            found = {row[0]: (row[2], row[3], row[4]) for row in changes(queryset, ON, rules, semester=semester)}
            assert found == expected
            assert any(len(json.loads(text)) > 2 for _s, _l, text in found.values())


def test_only_the_students_whose_flag_changes_come_back(cast):
    queryset = planted(cast, 37)
    rules = rules_for(cast.province.pk)
    written = flags_recompute(queryset, on=ON, tell=False)
    assert written["changed"] > 0
    assert changes(queryset, ON, rules) == []
    assert flags_recompute(queryset, on=ON, tell=False) == {"changed": 0, "high": 0}
    # a quiet student absent six days: the only one to change
    quiet = next(pk for pk in queryset.values_list("pk", flat=True) if not RiskFlag.objects.filter(enrolment=pk))
    Absence.objects.filter(enrolment=quiet).delete()
    Absence.objects.bulk_create(
        [Absence(enrolment_id=quiet, on=ON - datetime.timedelta(days=d), excused=False) for d in range(6)]
    )
    assert [row[0] for row in changes(queryset, ON, rules)] == [quiet]
    assert flags_recompute(queryset, on=ON, tell=False)["changed"] == 1


def test_absences_at_the_threshold_and_a_poor_latest_result_weigh_and_no_others(cast, class_a):
    """The recompute reads the absences and results that weigh alone (on PostgreSQL it keeps only those): a count of
    exactly `absence_days` weighs and one under it does not, a poor result weighs only while it is the latest."""
    pupils = list(Enrolment.objects.filter(class_group=class_a, ongoing=True).order_by("pk")[:5])
    ids = [e.pk for e in pupils]
    RiskFlag.objects.filter(enrolment__in=ids).delete()
    Absence.objects.filter(enrolment__in=ids).delete()
    SemesterResult.objects.filter(enrolment__in=ids).delete()
    at, under, poor_then_good, good_then_poor, poor_first = ids

    def absent(pk, unexcused, excused=0):
        days = [ON - datetime.timedelta(days=d) for d in range(unexcused + excused)]
        Absence.objects.bulk_create(
            [Absence(enrolment_id=pk, on=d, excused=i >= unexcused) for i, d in enumerate(days)]
        )

    absent(at, 5)
    absent(under, 4, excused=3)
    Absence.objects.create(enrolment_id=under, on=ON - datetime.timedelta(days=30), excused=False)  # out of the window
    for pk, first, second in ((poor_then_good, "cht", "ht"), (good_then_poor, "ht", "cht"), (poor_first, "cht", None)):
        SemesterResult.objects.create(enrolment_id=pk, semester=1, learning=first, conduct="")
        if second:
            SemesterResult.objects.create(enrolment_id=pk, semester=2, learning=second, conduct="")
    only = {code: 0 for code in Rules().weights} | {"absences": 3, "poor_result": 3}
    rules = Rules(weights=only)
    queryset = Enrolment.objects.filter(pk__in=ids)
    found = {row[0]: json.loads(row[4]) for row in changes(queryset, ON, rules, semester=2)}
    assert found == {
        at: [["absences", [5, 30]]],
        good_then_poor: [["poor_result", 2]],
        poor_first: [["poor_result", 1]],
    }
    found = {row[0]: json.loads(row[4]) for row in changes(queryset, ON, rules, semester=1)}
    assert found == {
        at: [["absences", [5, 30]]],
        poor_then_good: [["poor_result", 1]],
        poor_first: [["poor_result", 1]],
    }


def test_reasons_stored_in_another_writing_are_not_a_change(cast):
    queryset = planted(cast, 41)
    flags_recompute(queryset, on=ON, tell=False)
    flag = RiskFlag.objects.filter(enrolment__in=queryset, current=True).order_by("pk").first()
    # the same JSON without spaces, as another writer may have stored it (SQLite keeps the text as written;
    # PostgreSQL's jsonb keeps its own)
    from django.db import connection

    with connection.cursor() as cursor:
        table = connection.ops.quote_name(RiskFlag._meta.db_table)
        if connection.vendor == "sqlite":
            cursor.execute(
                f"UPDATE {table} SET reasons = %s WHERE id = %s",
                [json.dumps(flag.reasons, separators=(",", ":")), flag.pk],
            )
    assert flags_recompute(queryset, on=ON, tell=False) == {"changed": 0, "high": 0}
    assert RiskFlag.objects.get(pk=flag.pk).current


def test_an_id_range_reads_as_the_ids(cast):
    """A chunk of the daily job reads the absences and results by its id range (`bounds`, on PostgreSQL): the
    enrolments in the range but not in the chunk, absences and results and all, change nothing."""
    queryset = planted(cast, 43)
    ids = sorted(queryset.values_list("pk", flat=True))
    some = Enrolment.objects.filter(pk__in=[*ids[::2], ids[-1]])
    bounds = (ids[0], ids[-1])
    assert Absence.objects.filter(enrolment__in=[ids[0], ids[-1]]).exists()
    for rules in every_rules(cast):
        for semester in (1, 2):
            by_ids = signals(some, ON, rules, semester=semester)
            assert signals(some, ON, rules, semester=semester, bounds=bounds) == by_ids
            assert len(by_ids) == len(ids[::2]) + (len(ids) % 2 == 0)
            by_range = changes(some, ON, rules, semester=semester, bounds=bounds)
            assert sorted(by_range) == sorted(changes(some, ON, rules, semester=semester))


def test_a_large_recompute_chunk_by_chunk_writes_what_one_query_writes(cast, monkeypatch):
    """The daily job's path: chunks by id range (`bounds`), here of seven enrolments, write the flags one query over
    the ids writes."""
    from apps.retention import services

    queryset = planted(cast, 47)

    def written():
        flags = RiskFlag.objects.filter(enrolment__in=queryset, current=True)
        return sorted(flags.values_list("enrolment_id", "level", "score", "reasons"))

    by_ids = flags_recompute(queryset, on=ON, tell=False)
    expected = written()
    RiskFlag.objects.filter(enrolment__in=queryset).delete()
    monkeypatch.setattr(services, "SMALL", 0)
    monkeypatch.setattr(services, "CHUNK", 7)
    monkeypatch.setattr(services, "CHUNK_POSTGRESQL", 7)
    assert flags_recompute(queryset, on=ON, tell=False) == by_ids
    assert written() == expected
    assert len(expected) > 20


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL storage setting")
def test_the_flags_table_leaves_room_on_its_pages_for_updates_in_place():
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'retention_riskflag'")
        assert "fillfactor=85" in (cursor.fetchone()[0] or [])
