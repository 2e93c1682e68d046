"""Exactly the expected numerators and denominators of the hand-written province (`tests/province.py`), at school,
commune and province level."""

import datetime
from decimal import Decimal

import pytest

from apps.indicators import counts
from apps.indicators.registry import NOT_YET, Query, Target, Value, get
from apps.schools.models import Level

pytestmark = pytest.mark.django_db
AFTER = datetime.date(2026, 7, 1)
P = int(Level.PRIMARY)


@pytest.fixture
def tp(cast):
    from apps.indicators.tests.province import build

    return build(cast.admin)


def figures(tp, code, *, period="Y", level=None, on=AFTER, breakdown=""):
    targets = (
        Target(school=tp.a),
        Target(school=tp.b),
        Target(school=tp.c),
        Target(unit=tp.x),
        Target(unit=tp.y),
        Target(unit=tp.province),
    )
    out = get(code).compute(
        Query(targets=targets, year=tp.year, period=period, level=level, on=on, breakdown=breakdown)
    )
    names = ["a", "b", "c", "x", "y", "province"]
    return {n: out[t.key][""] if breakdown == "" else out[t.key] for n, t in zip(names, targets, strict=True)}


def pairs(values):
    return {k: (v.numerator, v.denominator) for k, v in values.items()}


class TestTheHandWrittenProvince:
    def test_retention_counts_the_transfer_at_both_ends_and_the_return(self, tp):
        assert pairs(figures(tp, "retention")) == {
            "a": (2, 2),
            "b": (2, 2),
            "c": (1, 1),
            "x": (4, 4),
            "y": (1, 1),
            "province": (5, 5),
        }

    def test_retention_is_not_yet_before_the_count_day(self, tp):
        value = figures(tp, "retention", on=datetime.date(2025, 9, 20))["province"]
        assert value.note == NOT_YET and value.rate is None

    def test_dropout_counts_from_the_count_day(self, tp):
        assert pairs(figures(tp, "dropout")) == {
            "a": (0, 3),
            "b": (1, 2),
            "c": (0, 1),
            "x": (1, 5),
            "y": (0, 1),
            "province": (1, 6),
        }

    def test_dropout_in_phase_two_and_three(self, tp):
        phases = figures(tp, "dropout", breakdown="phase")["b"]
        assert (phases["P2"].numerator, phases["P3"].numerator) == (1, 0)

    def test_returned(self, tp):
        values = figures(tp, "returned")
        assert pairs(values) == {"a": (0, 0), "b": (1, 1), "c": (0, 1), "x": (1, 1), "y": (0, 1), "province": (1, 2)}
        assert values["a"].rate is None  # no dropout: no data, never 0 % or 100 %

    def test_did_not_continue_leaves_out_the_child_who_moved_away(self, tp):
        assert pairs(figures(tp, "did_not_continue")) == {
            "a": (1, 1),
            "b": (0, 1),
            "c": (0, 0),
            "x": (1, 2),
            "y": (0, 0),
            "province": (1, 2),
        }

    def test_a_dropout_before_the_count_day_is_its_own_figure(self, tp):
        assert pairs(figures(tp, "dropout_before_count"))["c"] == (1, 2)

    def test_health_insurance(self, tp):
        assert pairs(figures(tp, "health_insurance"))["a"] == (1, 2)

    def test_grade1_at_6_follows_each_school_catchment_and_counts_a_child_schooled_elsewhere(self, tp):
        assert pairs(figures(tp, "grade1_at_6")) == {
            "a": (3, 3),
            "b": (1, 2),
            "c": (0, 0),
            "x": (4, 5),
            "y": (0, 0),
            "province": (4, 5),
        }

    def test_net_primary_enrolment(self, tp):
        values = figures(tp, "enrol_net", level=P)
        assert pairs(values) == {"a": (3, 4), "b": (1, 2), "c": (0, 0), "x": (4, 6), "y": (0, 0), "province": (4, 6)}
        assert values["province"].rate == Decimal("66.667")

    def test_the_rate_is_the_sum_of_counts_not_an_average_of_rates(self, tp):
        values = figures(tp, "enrol_net", level=P)
        assert values["x"] == values["a"] + values["b"]
        assert values["x"].rate != (values["a"].rate + values["b"].rate) / 2

    def test_a_sex_breakdown_adds_up_to_the_total(self, tp):
        groups = figures(tp, "grade1_at_6", breakdown="sex")["x"]
        assert (groups["F"].numerator, groups["F"].denominator) == (3, 3)  # c1, c3, c10
        assert (groups["M"].numerator, groups["M"].denominator) == (1, 2)  # c2 in school, c4 not

    def test_census_figures_break_down_by_ethnicity_and_each_household_circumstance(self, tp):
        from apps.students.models import Child

        Child.objects.filter(pk=tp.children["c1"].pk).update(ethnicity="02")
        Child.objects.filter(pk__in=[tp.children["c4"].pk, tp.children["c10"].pk]).update(poor=True)
        counts.rebuild()  # no write path changes a child's record yet: rebuilt as `rebuild_counts` does
        stored = counts.stored()
        assert stored == counts.recompute()
        assert {(k[4], k[5]) for k in stored[1]} >= {("02", 0), ("01", 1)}  # ethnicity, circumstances in the key
        by_ethnicity = figures(tp, "grade1_at_6", breakdown="ethnicity")["x"]
        assert pairs(by_ethnicity) == {"": (4, 5), "01": (3, 4), "02": (1, 1)}  # c1 is the one of ethnicity 02
        by_poor = figures(tp, "grade1_at_6", breakdown="poor")["x"]
        assert pairs(by_poor) == {"": (4, 5), "yes": (1, 2), "no": (3, 3)}  # c10 in school, c4 not
        assert pairs(figures(tp, "grade1_at_6", breakdown="orphan")["x"]) == {"": (4, 5), "no": (4, 5)}

    def test_the_tables_equal_a_full_recompute(self, tp):
        assert counts.stored() == counts.recompute()

    def test_the_value_of_a_zero_denominator_is_no_data(self):
        assert Value(0, 0).rate is None and Value(0, 0).no_data


class TestARecordedNotContinued:
    def test_it_counts_once_not_twice(self, tp, cast):
        from apps.students import services as students
        from apps.students.models import Child

        child = Child.objects.create(
            full_name="c11", name_folded="c11", birth_year=2016, sex="M", commune=tp.x, hamlet=tp.h1
        )
        e = students.enrolment_create(
            actor=cast.admin, child=child, school=tp.a, year=tp.last, grade="2", on=datetime.date(2024, 9, 5)
        )
        students.enrolment_record_event(
            actor=cast.admin, enrolment=e, kind="not_continued", on=datetime.date(2025, 6, 15)
        )
        assert pairs(figures(tp, "did_not_continue"))["a"] == (2, 2)  # c6 derived, c11 recorded: each once
        assert pairs(figures(tp, "did_not_continue"))["province"] == (2, 3)
        assert counts.stored() == counts.recompute()


class TestAChangeInAnotherProvince:
    def test_a_child_leaving_a_school_of_another_province_leaves_the_census_figures_too(self, tp, cast):
        from apps.students import services as students

        enrolment = tp.elsewhere.enrolments.get(child=tp.children["c3"])
        students.enrolment_record_event(
            actor=cast.admin, enrolment=enrolment, kind="dropped_out", on=datetime.date(2025, 10, 1), reason="economic"
        )
        from apps.indicators.models import CensusCount

        # No longer matched to an enrolment: counted by the census's own word ("in school, grade 1").
        row = CensusCount.objects.get(hamlet=tp.h1, year=tp.year, birth_year=2019, sex="F", enrolled=False)
        assert (row.enrolled, row.children) == (False, 1)  # c3; c1 (F, enrolled) is its own row
        assert pairs(figures(tp, "grade1_at_6"))["a"] == (3, 3)
        assert counts.stored() == counts.recompute()
